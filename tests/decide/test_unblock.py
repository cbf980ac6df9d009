"""What to fix first: the moves returned really open the play, they go the founder's way,
and none of them can be left out."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gtmcompass.decide.levers import apply_changes
from gtmcompass.decide.unblock import unblock
from gtmcompass.scoring.decision import decisions
from gtmcompass.scoring.features import PLAYS
from tests.decide.conftest import goes_the_founders_way
from tests.strategies import profiles


def _blockers(engine, profile, play):
    batch = engine.score([profile], confidence=False)
    return decisions(engine, batch, [profile.name])[0].blockers[play]


@settings(max_examples=40)
@given(profiles(), st.sampled_from(PLAYS))
def test_the_moves_returned_unblock_the_play_and_go_the_founders_way(engine, profile, play):
    result = unblock(engine, profile, play)
    assert result is not None and result.play == play
    assert tuple(b.id for b in result.blockers) == _blockers(engine, profile, play)
    for ch in result.moves:
        assert ch.kind == "lever" and goes_the_founders_way(ch), ch
    if not result.found:
        assert result.moves == ()
        return
    assert _blockers(engine, apply_changes(profile, result.moves), play) == ()
    # Fewest changes: leaving any one out leaves the play blocked.
    if len(result.moves) > 1:
        for k in range(len(result.moves)):
            rest = result.moves[:k] + result.moves[k + 1:]
            assert _blockers(engine, apply_changes(profile, rest), play) != ()


def test_a_go_verdict_has_nothing_to_fix_first(engine, examples):
    for profile in examples:
        batch = engine.score([profile], confidence=False)
        if batch.verdict[0] == 0:
            assert unblock(engine, profile) is None


def test_the_blocked_examples_get_moves_fixes_and_the_partner_route(engine, examples):
    blocked = [p for p in examples if unblock(engine, p) is not None]
    assert blocked, "the examples include not_yet profiles"
    for profile in blocked:
        result = unblock(engine, profile)
        assert result.found and result.moves and result.verdict_after == "go"
        for b in result.blockers:
            assert b.fix("en") and b.fix("zh") and b.evidence
            if b.partner_route:
                assert "B5" in b.partner_note("en") and "B2" in b.partner_note("zh")
            else:
                assert b.partner_note("en") == ""
        text = result.describe("en")
        assert text.startswith("Fix first") and not any(p in text for p in PLAYS)
