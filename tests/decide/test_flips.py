"""Flip search: every reported flip really flips, it is the smallest on the searched grid, and
independent fields really add up."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gtmcompass.decide.flips import MARGIN, find_flips, scores_apart
from gtmcompass.decide.levers import all_candidates, apply_changes, criterion_keys
from gtmcompass.model.profile import Profile
from gtmcompass.scoring.engine import PLAY_SIDE, VERDICTS
from gtmcompass.scoring.features import PLAYS, SIDES
from tests.decide.conftest import goes_the_founders_way, verdict
from tests.strategies import profiles

ONLY_UP = {"funding.raised", "cloud.private_deployments", "market.largest_deal"}
INSUFFICIENT = VERDICTS.index("insufficient_data")


def _robust(engine, batch, target: str, kind: str) -> np.ndarray:
    """Where the engine's verdict rule picks ``target`` and still does with its score(s)
    lowered by MARGIN, for every row of a scored batch."""
    handicap = np.zeros(len(PLAYS))
    if kind == "play":
        handicap[PLAYS.index(target)] = MARGIN
        picked = batch.play == PLAYS.index(target)
    else:
        handicap[PLAY_SIDE == SIDES.index(target)] = MARGIN
        picked = PLAY_SIDE[batch.play] == SIDES.index(target)
    insufficient = batch.verdict == INSUFFICIENT
    _, still = engine.choose(np.asarray(batch.scores) - handicap, batch.fails, insufficient)
    held = (still == PLAYS.index(target)) if kind == "play" else (
        PLAY_SIDE[still] == SIDES.index(target))
    return picked & held & ~insufficient


def _wins(engine, profile, flip) -> bool:
    batch = engine.score([profile], confidence=False)
    return bool(_robust(engine, batch, flip.target, flip.target_kind)[0])


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
                    assert goes_the_founders_way(ch), ch
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
    for group, lever_only in ((report.levers, True), (report.structural, False)):
        for t in group:
            wins = _robust(engine, batch, t.target, t.target_kind)
            ok = np.array([(ch.kind == "lever") == lever_only for ch in cands], dtype=bool) & wins
            cost = np.array([ch.distance for ch in cands])
            if t.single is None:
                assert not ok.any()
            else:
                assert cost[ok].min() == pytest.approx(t.single.cost)


def test_the_issue_example_reads_in_plain_words(engine, examples):
    chatbot = next(p for p in examples if p.name == "Domestic Chatbot")
    report = find_flips(engine, chatbot)
    flip = next(t.single for t in report.levers if t.target == "b_private")
    text = flip.describe("en")
    assert text.startswith("With ") and "private deployment and tenders would overtake" in text
    assert "delivered private deployment" in text
    assert "将超过" in flip.describe("zh")
    assert not any(p in text for p in PLAYS), "plays are named in words"


def test_the_lead_shown_is_the_difference_of_the_scores_shown(engine, examples):
    for profile in examples:
        for flip in find_flips(engine, profile).all_flips():
            text = flip.describe("en")
            if flip.verdict != "go" or "overtake" not in text:
                continue
            a, b, d = (float(x) for x in
                       text.rsplit("(", 1)[1].replace(" ahead).", "").replace(" against ", ",")
                       .replace(", ", ",").split(","))
            assert round(a - b, 1) == d and d >= 0.1, text


def test_a_dominant_verdict_has_no_quick_lever(engine, examples):
    bidder = next(p for p in examples if p.name == "Compute Bidder")
    report = find_flips(engine, bidder)
    assert all(t.single is None and t.pair is None for t in report.levers)


def test_a_close_call_flips_on_a_small_change(engine, examples):
    # Medical partners: model API and platform sales lead private deployment by 2.3 points.
    medical = next(p for p in examples if p.name == "Medical Partner Models")
    report = find_flips(engine, medical)
    assert report.play == "b_api"
    private = next(t for t in report.levers if t.target == "b_private")
    costs = [f.cost for f in (private.single, private.pair) if f is not None]
    assert costs and min(costs) < 0.3


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


def _without_counts(report) -> dict:
    out = report.to_dict()
    out.pop("evaluated")
    out.pop("combined")
    return out


@settings(max_examples=25, deadline=None)
@given(profiles())
def test_combining_independent_pairs_reports_what_scoring_every_pair_does(engine, profile):
    fast = find_flips(engine, profile)
    full = find_flips(engine, profile, exhaustive=True)
    assert full.combined == 0
    assert _without_counts(fast) == _without_counts(full)


def test_combining_pairs_matches_scoring_them_on_the_examples(engine, examples):
    combined = 0
    for profile in examples:
        fast = find_flips(engine, profile)
        assert _without_counts(fast) == _without_counts(find_flips(engine, profile,
                                                                   exhaustive=True))
        combined += fast.combined
    assert combined > 0  # the fast path was taken, not only the exhaustive one


@settings(max_examples=200)
@given(st.lists(st.tuples(st.lists(st.sampled_from([0.0, 40.0, 40.1, 40.15, 55.5, 70.0]),
                                   min_size=4, max_size=4),
                          st.lists(st.booleans(), min_size=4, max_size=4)),
                min_size=1, max_size=30),
       st.lists(st.booleans(), min_size=4, max_size=4))
def test_a_lead_that_survives_the_margin_is_the_verdict_rule_with_a_handicap(engine, rows,
                                                                               among):
    scores = np.array([s for s, _ in rows])
    open_plays = np.array([o for _, o in rows])
    open_plays[~open_plays.any(axis=1), 0] = True  # the rule always leaves one play open
    among = np.array(among)
    verdict = np.zeros(len(rows), dtype=np.int64)
    _, still = engine.choose(scores - MARGIN * among, open_plays=(verdict, open_plays))
    assert (engine.leads(engine.open_scores(scores, open_plays), among, MARGIN)
            == among[still]).all()
