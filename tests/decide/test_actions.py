"""The action plan: moves never lower the recommended play, and each cites its evidence."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gtmcompass.decide.actions import MIN_GAP, action_plan
from gtmcompass.decide.playbook import load_playbook
from gtmcompass.io.files import load_profile
from gtmcompass.io.weights import WeightSet
from gtmcompass.scoring.engine import Engine
from gtmcompass.scoring.features import PLAYS
from tests.conftest import PROFILES
from tests.decide.conftest import goes_the_founders_way, verdict
from tests.strategies import profiles

BASE = Engine(samples=16).signed


@st.composite
def weight_matrices(draw):
    """Signed (4, m) weight matrices: the catalogue's, each entry rescaled by 0-3x and about
    one in four flipped in sign; every play keeps a non-zero weight."""
    n = BASE.size
    scale = np.array(draw(st.lists(st.floats(0.0, 3.0), min_size=n, max_size=n)))
    signs = np.array(draw(st.lists(st.sampled_from([1.0, 1.0, 1.0, -1.0]), min_size=n,
                                   max_size=n)))
    signed = BASE * (scale * signs).reshape(BASE.shape)
    signed[np.abs(signed).sum(axis=1) == 0, 0] = 1.0
    return signed


@settings(max_examples=40)
@given(profiles(), weight_matrices())
def test_the_plan_never_lowers_the_recommended_play(profile, signed):
    engine = Engine(samples=16).with_weights(WeightSet("drawn"), signed)
    plan = action_plan(engine, profile)
    assert plan.score_after >= plan.score_before - 1e-9
    p = PLAYS.index(plan.play)
    after = engine.score([plan.profile_after], confidence=False).scores[0, p]
    assert after == pytest.approx(plan.score_after, abs=1e-9)
    for item in plan.items:
        if item.applied:
            assert item.gain >= -1e-9 and item.changes


@settings(max_examples=40)
@given(profiles())
def test_under_the_catalogue_weights_every_move_helps_or_is_neutral(engine, profile):
    plan = action_plan(engine, profile)
    for item in plan.items:
        assert item.gain >= -1e-9, (item.id, item.action, item.changes)
        assert item.action, f"no move for {item.id} under {plan.play}"
        assert set(item.evidence) >= set(_item_evidence(engine, item))


def _item_evidence(engine, item):
    cat = engine.catalogue
    source = cat.criterion_by_id(item.id) if item.kind == "gap" else cat.flag_by_id(item.id)
    action = next(a for a in load_playbook().action if a.id == item.action)
    return (*source.evidence, *action.evidence)


@settings(max_examples=30)
@given(profiles())
def test_gaps_are_the_largest_losses_and_every_raised_flag_is_listed(engine, profile):
    plan = action_plan(engine, profile)
    batch = engine.score([profile], confidence=False)
    p = int(batch.play[0])
    lost = 100.0 * engine.share[p] - batch.points[0, p]
    gaps = [i.lost for i in plan.gaps]
    assert gaps == sorted(gaps, reverse=True)
    assert all(g >= MIN_GAP for g in gaps)
    if gaps and len(gaps) < 5:  # fewer than the limit: nothing else reached MIN_GAP
        listed = {i.id for i in plan.gaps}
        rest = [lost[j] for j, c in enumerate(engine.criteria)
                if c.id not in listed and engine.share[p, j] > 0]
        assert all(x < MIN_GAP for x in rest)
    raised = {engine.flags[k].id for k in np.flatnonzero(batch.flags[0])}
    assert {i.id for i in plan.flags} == raised


def test_professor_lab_is_told_to_add_a_commercial_leader(engine):
    plan = action_plan(engine, load_profile(PROFILES / "professor-lab.toml"))
    item = next(i for i in plan.flags if i.id == "professor_led_no_commercial")
    assert item.action == "add_a_commercial_leader" and "B1" in item.evidence
    assert [(c.field, c.new) for c in item.changes] == [("team.research_led", False)]
    assert item.applied and item.gain > 0
    after = plan.profile_after
    assert after.team.research_led is False
    # The runway move reaches the nine months a deployment plus payment cycle needs.
    assert after.funding.cash / after.funding.monthly_burn >= 9


def test_a_first_tender_goes_through_partners(engine):
    veteran = load_profile(PROFILES / "tender-veteran.toml")
    bare = veteran.model_copy(update={"cloud": veteran.cloud.model_copy(
        update={"private_deployments": 0})})
    plan = action_plan(engine, bare)
    assert plan.play == "b_private"
    item = next(i for i in plan.flags if i.id == "no_similar_project")
    assert item.action == "enter_through_partners"
    assert {"B2", "B5"} <= set(item.evidence)
    assert [(c.field, c.new) for c in item.changes] == [("cloud.private_deployments", 1)]
    assert verdict(engine, plan.profile_after)[0] == "b_private"


def test_market_conditions_get_advice_without_a_change(engine):
    # An API seller's plan (the price-war profile itself is blocked from b_api by the gate
    # price_war_commodity, so its plan is for b_private).
    plan = action_plan(engine, load_profile(PROFILES / "professor-lab.toml"))
    assert plan.play == "b_api"
    floor = next(i for i in plan.gaps if i.id == "api_price_floor")
    assert floor.changes == () and floor.gain == 0 and not floor.applied
    assert "B9" in floor.evidence and floor.move


def test_the_plan_speaks_chinese(engine):
    plan = action_plan(engine, load_profile(PROFILES / "professor-lab.toml"), lang="zh")
    assert any("老师带队" in i.label or "学者" in i.move for i in plan.items)
    assert all(i.move for i in plan.items)
    assert plan.to_dict()["items"][0]["changes"] is not None


@settings(max_examples=30)
@given(profiles())
def test_every_move_goes_the_founders_way(engine, profile):
    """A plan raises money, hires, delivers, certifies and grows, or cuts burn and CAC; it
    never proposes spending cash down, shrinking the team or lowering retention."""
    for item in action_plan(engine, profile).items:
        for change in item.changes:
            assert goes_the_founders_way(change), (item.action, change)
