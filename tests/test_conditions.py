"""The catalogue's conditions and groups, evaluated all at once, agree with the rule they
state, tested one condition and one profile at a time in plain Python."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gtmcompass.model.catalogue import load_catalogue
from gtmcompass.scoring.conditions import ConditionTable, GroupTable
from gtmcompass.scoring.engine import BLOCKED, CONDITIONAL, Engine
from gtmcompass.scoring.features import CATEGORIES, PLAYS, QUALIFICATION_BIT, SET_FEATURE
from tests.strategies import profiles

CAT = load_catalogue()
ENGINE = Engine(catalogue=CAT, as_of_year=2026)
GROUPS = [(f.when, f.when_any) for f in CAT.flag] + [(r.when, r.when_any)
                                                     for r in CAT.requirement]
CONDITIONS = [c for when, when_any in GROUPS for c in (*when, *when_any)] + [
    c for s in CAT.sufficiency for c in s.any]
SIDE_OF = {"b_private": 0, "b_api": 0, "c_domestic": 1, "c_overseas": 1}


def holds(cond, features, i: int, extra: dict[str, int]) -> bool:
    """One condition for profile ``i``, as the catalogue's format describes it."""
    if cond.known is not None:
        return (not math.isnan(features.numeric[cond.feature][i])) == cond.known
    if cond.feature == SET_FEATURE:
        held = {q for q, bit in QUALIFICATION_BIT.items() if features.qualification_bits[i] & bit}
        return ((cond.has is None or cond.has in held) and not set(cond.lacks) & held
                and (not cond.has_any or bool(set(cond.has_any) & held)))
    if cond.feature in CATEGORIES:
        code = extra[cond.feature] if cond.feature in extra else features.codes[cond.feature][i]
        return CATEGORIES[cond.feature][code] in cond.is_
    value = float(features.numeric[cond.feature][i])  # NaN fails every comparison
    bounds = ((cond.below, value.__lt__), (cond.at_most, value.__le__),
              (cond.at_least, value.__ge__), (cond.above, value.__gt__))
    return all(test(bound) for bound, test in bounds if bound is not None)


@settings(max_examples=40, deadline=None)
@given(st.lists(profiles(), min_size=1, max_size=6), st.sampled_from(PLAYS))
def test_every_condition_and_group_holds_where_its_rule_says(batch, play):
    features = ENGINE.features(batch)
    n = len(batch)
    extra = {"play": PLAYS.index(play), "side": SIDE_OF[play]}
    codes = {k: np.full(n, v) for k, v in extra.items()}
    table = ConditionTable(CONDITIONS).holds(features, codes)
    expected = np.array([[holds(c, features, i, extra) for c in CONDITIONS] for i in range(n)])
    assert (table == expected).all()
    groups = GroupTable(GROUPS).holds(features, codes)
    for g, (when, when_any) in enumerate(GROUPS):
        for i in range(n):
            want = (all(holds(c, features, i, extra) for c in when)
                    and (not when_any or any(holds(c, features, i, extra) for c in when_any)))
            assert groups[i, g] == want, (i, g)


@settings(max_examples=30, deadline=None)
@given(st.lists(profiles(), min_size=1, max_size=6))
def test_scoring_flags_and_statuses_follow_the_groups(batch):
    """Flags are the flag groups for the play each profile is given; a play is conditional
    exactly when, pursued, it raises a high-severity flag and no requirement blocks it."""
    features = ENGINE.features(batch)
    scored = ENGINE.score_features(features)
    flag_groups = GroupTable([(f.when, f.when_any) for f in CAT.flag])
    side = np.array([SIDE_OF[PLAYS[p]] for p in scored.play])
    assert (scored.flags == flag_groups.holds(features, {"play": scored.play, "side": side})).all()
    high = np.array([f.severity == "high" for f in CAT.flag])
    for p, name in enumerate(PLAYS):
        pursued = {"play": np.full(len(batch), p), "side": np.full(len(batch), SIDE_OF[name])}
        raised = flag_groups.holds(features, pursued)[:, high].any(axis=1)
        blocked = scored.status[:, p] == BLOCKED
        assert ((scored.status[:, p] == CONDITIONAL) == (raised & ~blocked)).all()
