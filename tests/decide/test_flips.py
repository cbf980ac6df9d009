"""Flip search: every reported flip really flips, it is the smallest on the searched grid, and
independent fields really add up."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gtmcompass.decide.flips import EPS, find_flips, scores_apart
from gtmcompass.decide.levers import all_candidates, apply_changes, criterion_keys
from gtmcompass.model.profile import Profile
from gtmcompass.scoring.features import PLAYS
from tests.decide.conftest import verdict
from tests.strategies import profiles

ONLY_UP = {"funding.raised", "cloud.private_deployments", "market.largest_deal"}


def _wins(engine, profile, flip) -> bool:
    play, side, _ = verdict(engine, profile)
    return (play == flip.target) if flip.target_kind == "play" else (side == flip.target)


def _check_report(engine, profile: Profile) -> None:
    report = find_flips(engine, profile)
    play, side, _ = verdict(engine, profile)
    assert (report.play, report.side) == (play, side)
    targets = [t.target for t in report.levers]
    assert targets == [p for p in PLAYS if p != play] + [("to_c" if side == "to_b" else "to_b")]
    for group, lever_only in ((report.levers, True), (report.structural, False)):
        for t in group:
            for flip, size in ((t.single, 1), (t.pair, 2)):
                if flip is None:
                    continue
                assert len(flip.changes) == size
                assert len({ch.key for ch in flip.changes}) == size
                assert all(ch.kind == "lever" for ch in flip.changes) == lever_only
                assert flip.cost == pytest.approx(sum(ch.distance for ch in flip.changes))
                changed = flip.apply(profile)
                assert _wins(engine, changed, flip), flip.describe()
                _, _, after = verdict(engine, changed)
                assert after == pytest.approx(list(flip.scores.values()), abs=1e-9)
                for ch in flip.changes:
                    if ch.field in ONLY_UP:
                        assert ch.new > ch.old
                    if ch.op == "add":
                        assert ch.new not in profile.compliance.qualifications
                if size == 2:  # a real pair: neither change wins on its own
                    for ch in flip.changes:
                        assert not _wins(engine, apply_changes(profile, [ch]), flip)


@settings(max_examples=40)
@given(profiles())
def test_every_reported_flip_flips_when_applied_and_rescored(engine, profile):
    _check_report(engine, profile)


def test_example_profiles_flips_hold(engine, examples):
    for profile in examples:
        _check_report(engine, profile)


def _brute_force_singles(engine, profile):
    """Every single candidate applied to a real profile and scored from scratch."""
    cands = [c for cand in all_candidates(profile, engine.cny_per_usd) for c in cand.changes]
    changed = [apply_changes(profile, [c]) for c in cands]
    batch = engine.score(changed, confidence=False)
    return cands, batch


@settings(max_examples=15)
@given(profiles())
def test_the_single_flip_is_the_smallest_on_the_grid(engine, profile):
    report = find_flips(engine, profile)
    cands, batch = _brute_force_singles(engine, profile)
    scores = batch.scores
    for group, lever_only in ((report.levers, True), (report.structural, False)):
        for t in group:
            if t.target_kind == "play":
                q = PLAYS.index(t.target)
                margin = scores[:, q] - np.delete(scores, q, axis=1).max(axis=1)
            else:
                b, c = scores[:, :2].max(axis=1), scores[:, 2:].max(axis=1)
                margin = (c - b) if t.target == "to_c" else (b - c)
            ok = np.array([(ch.kind == "lever") == lever_only for ch in cands]) & (margin > EPS)
            cost = np.array([ch.distance for ch in cands])
            if t.single is None:
                assert not ok.any()
            else:
                assert cost[ok].min() == pytest.approx(t.single.cost)


def test_the_issue_example_reads_in_plain_words(engine, examples):
    chatbot = next(p for p in examples if p.name == "Domestic Chatbot")
    report = find_flips(engine, chatbot)
    pair = next(t.pair for t in report.levers if t.target == "b_private")
    text = pair.describe("en")
    assert text.startswith("With ") and "b_private would overtake c_domestic" in text
    assert "more commercial staff" in text or "delivered private deployment" in text
    assert "将超过" in pair.describe("zh")


def test_a_dominant_verdict_has_no_quick_lever(engine, examples):
    bidder = next(p for p in examples if p.name == "Compute Bidder")
    report = find_flips(engine, bidder)
    assert all(t.single is None and t.pair is None for t in report.levers)


def test_a_close_call_flips_on_a_small_change(engine, examples):
    medical = next(p for p in examples if p.name == "Medical Partner Models")
    report = find_flips(engine, medical)
    api = next(t for t in report.levers if t.target == "b_api")
    assert api.single is not None and api.single.cost < 0.1


def test_the_founding_year_is_never_a_lever(engine, examples):
    for profile in examples:
        for flip in find_flips(engine, profile).all_flips():
            for ch in flip.changes:
                if ch.field == "team.founded_year":
                    assert ch.kind == "fixed" and flip.structural


@settings(max_examples=30)
@given(profiles(), st.data())
def test_changes_to_independent_fields_add_up(engine, profile, data):
    """The premise of pair search: two fields feeding no common criterion move a play's
    score by the sum of what each moves it alone."""
    cands = all_candidates(profile, engine.cny_per_usd)
    by_key = {c.key: c for c in cands}
    crit = {c.key: set() for c in cands}
    for j, criterion in enumerate(engine.criteria):
        for key in criterion_keys(criterion):
            if key in crit:
                crit[key].add(j)
    keys = sorted(by_key)
    a = data.draw(st.sampled_from(keys))
    b = data.draw(st.sampled_from([k for k in keys if k != a and not crit[k] & crit[a]]))
    ca = data.draw(st.sampled_from(by_key[a].changes))
    cb = data.draw(st.sampled_from(by_key[b].changes))
    rows = [profile, apply_changes(profile, [ca]), apply_changes(profile, [cb]),
            apply_changes(profile, [ca, cb])]
    s = engine.score(rows, confidence=False).scores
    assert s[3] - s[0] == pytest.approx((s[1] - s[0]) + (s[2] - s[0]), abs=1e-9)


def test_scores_are_shown_with_enough_decimals_to_tell_them_apart():
    assert scores_apart(56.84, 56.81) == ("56.84", "56.81")
    assert scores_apart(61.2, 60.8) == ("61.2", "60.8")
