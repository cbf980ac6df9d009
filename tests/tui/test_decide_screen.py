"""Pilot tests of the Decide view (F8): flips that really flip, a plan with evidence, one
tornado row per weight, live updates and the language switch."""

from __future__ import annotations

import asyncio

import pytest

from gtmcompass.scoring.features import PLAYS
from gtmcompass.tui.screens.decide import DecideScreen, FlipList, PlanList
from gtmcompass.tui.screens.whatif import WhatIfScreen
from tests.tui.conftest import running, settle


async def open_decide(app, pilot) -> DecideScreen:
    await pilot.press("f8")
    for _ in range(300):
        screen = app.screen
        if isinstance(screen, DecideScreen) and screen.decision is not None and not screen.busy:
            await pilot.pause(0.05)
            return screen
        await pilot.pause(0.01)
    raise AssertionError("the decide view did not show a decision")


async def until_idle(screen: DecideScreen, pilot) -> None:
    for _ in range(300):
        await pilot.pause(0.01)
        if not screen.busy:
            await pilot.pause(0.05)
            return
    raise AssertionError("the decide view did not catch up")


def plain(widget) -> str:
    return str(widget.render())


@pytest.mark.asyncio
async def test_listed_flips_really_flip(medical):
    async with running(medical) as (app, pilot):
        screen = await open_decide(app, pilot)
        engine = app.scorer.engine
        flips = screen.flips
        assert flips, "medical-partners is a coin toss: something must flip it"
        listed = screen.query_one(FlipList)
        texts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        profile = screen.decision.profile
        for flip in flips:
            assert any(flip.describe("en") in t for t in texts)
            after = engine.score_one(flip.apply(profile))
            play = PLAYS[int(after.play[0])]
            if flip.target_kind == "play":
                assert play == flip.target
            else:
                assert play != screen.decision.sensitivity.play
                assert ("to_b" if play.startswith("b_") else "to_c") == flip.target
        # levers and pivots are shown apart, each under its own heading
        assert texts[0].startswith("Levers")
        assert any(t.startswith("Pivots") for t in texts)
        lever_flips = [f for t in screen.decision.flips.levers for f in (t.single, t.pair) if f]
        assert all(not f.structural for f in lever_flips)


@pytest.mark.asyncio
async def test_plan_lists_moves_with_evidence(medical):
    async with running(medical) as (app, pilot):
        screen = await open_decide(app, pilot)
        plan = screen.query_one(PlanList)
        assert plan.option_count == len(screen.decision.plan.items) > 0
        plan.focus()
        # the first move that changes the profile (market-condition advice changes nothing)
        first = next(i for i, it in enumerate(screen.decision.plan.items) if it.changes)
        plan.highlighted = first
        await pilot.pause(0.1)
        item = screen.decision.plan.items[first]
        detail = plain(screen.query_one("#decide-plan-detail"))
        assert item.evidence
        for fact_id in item.evidence:
            assert fact_id in detail
        assert "Evidence" in detail
        # Enter opens the move in What-if against the profile as it is
        await pilot.press("enter")
        for _ in range(200):
            if isinstance(app.screen, WhatIfScreen):
                break
            await pilot.pause(0.01)
        assert isinstance(app.screen, WhatIfScreen)
        await pilot.press("escape")


@pytest.mark.asyncio
async def test_tornado_has_one_row_per_weight(medical):
    async with running(medical) as (app, pilot):
        screen = await open_decide(app, pilot)
        sens = screen.decision.sensitivity
        rows = plain(screen.query_one("#decide-tornado")).splitlines()[1:]  # after the axis
        tornado = sens.tornado()
        assert len(rows) == len(tornado) == int((abs(app.scorer.engine.signed[
            PLAYS.index(sens.play)]) > 0).sum())
        for row, s in zip(rows, tornado):
            low, high = s.factors
            assert "–" in row
            assert ("∞" in row) == (high == float("inf"))
        share = plain(screen.query_one("#decide-share"))
        for play, value in sens.win_share.items():
            assert f"{value:.1%}" in share


@pytest.mark.asyncio
async def test_decide_follows_edits_and_language(medical):
    async with running(medical) as (app, pilot):
        screen = await open_decide(app, pilot)
        before = screen.decision
        # an edit in the editor (here: what What-if's ctrl+t does) reaches the open view
        values = app.form.values()
        values["cloud.private_deployments"] = "12"
        app.form.set_values(values)
        await settle(app, pilot)
        await until_idle(screen, pilot)
        assert screen.decision.profile != before.profile
        assert screen.decision.profile.cloud.private_deployments == 12
        assert screen.latencies and max(screen.latencies) < 2000
        english = plain(screen.query_one("#decide-head"))
        await pilot.press("f4")
        await until_idle(screen, pilot)
        chinese = plain(screen.query_one("#decide-head"))
        assert english != chinese and "置信度" in chinese
        first = str(screen.query_one(FlipList).get_option_at_index(0).prompt)
        assert first.startswith("可以")
        assert screen.query_one("#decide-plan-box").border_title == "行动计划"
        await pilot.press("escape")
        await asyncio.sleep(0)
        assert not isinstance(app.screen, DecideScreen)
