"""The app's view of a result, the what-if difference and the bars."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from gtmcompass.io.files import load_profile
from gtmcompass.scoring.features import PLAYS
from gtmcompass.tui.scored import Diff, Scorer
from gtmcompass.tui.widgets.detail import bar

PROFILES = Path(__file__).resolve().parents[2] / "profiles"


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer(as_of_year=2026)


def test_contributions_add_up_to_each_play_score(scorer):
    for path in sorted(PROFILES.glob("*.toml")):
        result = scorer.score([load_profile(path)])[0]
        for play in PLAYS:
            total = sum(c.toward(play) for c in result.contributions)
            assert math.isclose(total, result.score(play), abs_tol=1e-9)
            ranked = [c.toward(play) for c in result.ranked(play)]
            assert ranked == sorted(ranked, reverse=True)
        # A go recommends the best play not blocked; otherwise the play is the closest one
        # (not yet) or the top score (not enough information), never a recommendation.
        if result.recommended:
            open_plays = [p for p in PLAYS if result.status_of(p) != "blocked"]
            assert result.play == max(open_plays, key=result.score)
        elif result.insufficient:
            assert result.play == max(PLAYS, key=result.score) and result.confidence == 0


def test_diff_reports_changed_scores_and_flags(scorer):
    base = load_profile(PROFILES / "medical-partners.toml")
    broke = base.model_copy(update={"funding": base.funding.model_copy(update={"cash": 10.0})})
    before, after = scorer.score([base, broke])
    diff = Diff(before, after)
    assert "runway_under_six_months" in diff.flags_added
    assert diff.flags_removed == ()
    assert diff.score_delta("b_private") < 0
    assert any(cid == "runway" for cid, _, _ in diff.criterion_deltas(after.play))
    assert Diff(before, before).unchanged


@pytest.mark.parametrize(("value", "maximum", "width", "filled"), [
    (0, 100, 10, 0), (100, 100, 10, 10), (50, 100, 10, 5), (150, 100, 4, 4), (-3, 100, 4, 0),
])
def test_bar_fills_in_proportion(value, maximum, width, filled):
    full, track = bar(value, maximum, width)
    assert len(full) + len(track) == width
    assert full.count("█") == filled
