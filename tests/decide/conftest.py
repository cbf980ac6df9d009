from __future__ import annotations

import pytest

from gtmcompass.decide.playbook import NUMERIC_FIELDS, load_levers
from gtmcompass.io.files import load_profile
from gtmcompass.model.profile import Profile
from gtmcompass.scoring.engine import Engine
from gtmcompass.scoring.features import CATEGORIES, PLAYS, SIDES
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


def goes_the_founders_way(change) -> bool:
    """A move goes its lever's direction (data/levers.toml); pivots and facts are exempt."""
    lever = load_levers().by_field(change.field)
    if change.kind != "lever" or change.op == "add" or change.old is None:
        return True
    if change.field in NUMERIC_FIELDS:
        old, new = float(change.old), float(change.new)
    elif isinstance(change.old, bool):
        old, new = float(change.old), float(change.new)
    else:
        vocab = CATEGORIES[change.field]
        old, new = vocab.index(change.old), vocab.index(change.new)
    return new > old if lever.direction == "up" else new < old
