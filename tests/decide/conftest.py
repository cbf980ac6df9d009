from __future__ import annotations

import pytest

from gtmcompass.io.files import load_profile
from gtmcompass.model.profile import Profile
from gtmcompass.scoring.engine import Engine
from gtmcompass.scoring.features import PLAYS, SIDES
from tests.conftest import PROFILES

EXAMPLES = sorted(PROFILES.glob("*.toml"))


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine()


@pytest.fixture(scope="session")
def examples() -> list[Profile]:
    return [load_profile(p) for p in EXAMPLES]


def verdict(engine: Engine, profile: Profile) -> tuple[str, str, list[float]]:
    """(play, side, scores) of one profile, scored from scratch."""
    batch = engine.score([profile], confidence=False)
    return PLAYS[int(batch.play[0])], SIDES[int(batch.side[0])], batch.scores[0].tolist()
