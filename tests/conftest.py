from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "profiles"
# The evidence articles live beside the repository (CI clones main with shared/ beside it).
SHARED = Path(os.environ.get("GTMCOMPASS_SHARED", ROOT.parent / "shared"))

settings.register_profile(
    "default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("default")


@pytest.fixture
def example_paths() -> list[Path]:
    return sorted(PROFILES.glob("*.toml"))
