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


# The hardening suite's counters (tests/hardening/conftest.py), added up over the processes
# that ran it: this file is the one conftest the controlling process loads under xdist.
_WORKER_COUNTS: list[dict[str, int]] = []


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    from tests.hardening.conftest import WORKER_KEY

    counts = getattr(node, "workeroutput", {}).get(WORKER_KEY)
    if counts:
        _WORKER_COUNTS.append(counts)


def pytest_terminal_summary(terminalreporter) -> None:
    from tests.hardening.conftest import COUNTS, summary

    totals = dict(COUNTS)
    for counts in _WORKER_COUNTS:
        for kind, n in counts.items():
            totals[kind] = totals.get(kind, 0) + n
    line = summary(totals)
    if line is not None:
        terminalreporter.write_line(line)


@pytest.fixture
def example_paths() -> list[Path]:
    return sorted(PROFILES.glob("*.toml"))
