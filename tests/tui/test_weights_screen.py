"""Pilot tests of the Weights screen (F9): editing a weight re-scores at once, the AHP grid
warns on inconsistent judgements and applies family weights, named sets save and load."""

from __future__ import annotations

import numpy as np
import pytest
from textual.widgets import Input, Select

from gtmcompass.decide import apply_family_weights
from gtmcompass.io.weights import WeightSet, load_named_weights
from gtmcompass.scoring.features import PLAYS
from gtmcompass.tui.screens.weights import LoadPrompt, NamePrompt, WeightsScreen, WeightTable
from tests.tui.conftest import running, settle


async def open_weights(app, pilot) -> WeightsScreen:
    await pilot.press("f9")
    for _ in range(300):
        if isinstance(app.screen, WeightsScreen):
            await pilot.pause(0.05)
            return app.screen
        await pilot.pause(0.01)
    raise AssertionError("the weights screen did not open")


async def wait_for(app, pilot, kind):
    for _ in range(300):
        if isinstance(app.screen, kind):
            await pilot.pause(0.05)
            return app.screen
        await pilot.pause(0.01)
    raise AssertionError(f"{kind.__name__} did not open")


async def rescored(app, pilot) -> None:
    await settle(app, pilot)


@pytest.mark.asyncio
async def test_editing_a_weight_rescores_and_renames(medical):
    async with running(medical) as (app, pilot):
        before = app.result
        assert before.weights == "catalogue"
        screen = await open_weights(app, pilot)
        table = screen.query_one(WeightTable)
        table.focus()
        # differentiation is the API's biggest asset here; the cursor goes to its API cell
        row = app.scorer.criterion_ids.index("differentiation")
        table.move_cursor(row=row, column=1 + PLAYS.index("b_api"))
        await pilot.press("enter")
        box = screen.query_one("#weight-input", Input)
        assert box.has_focus and float(box.value) == 18.0
        await pilot.press("end", *["backspace"] * len(box.value), "2", "enter")
        await rescored(app, pilot)
        engine = app.scorer.engine
        assert engine.weight_table()["differentiation"]["b_api"] == 2.0
        assert engine.weights_name == "custom"
        assert app.result.weights == "custom"
        assert app.result.score("b_api") < before.score("b_api")
        assert "custom" in app.sub_title
        assert "custom" in str(screen.query_one("#weights-current").render())
        # text that is not a number is refused and changes nothing
        assert not screen.set_weight("differentiation", "b_api", "abc")
        assert engine.weight_table()["differentiation"]["b_api"] == 2.0
        await pilot.press("ctrl+r")
        await rescored(app, pilot)
        # engines are immutable: the reset installed a new one, the old one is as it was
        assert engine.weights_name == "custom"
        assert app.scorer.engine.weights_name == "catalogue"
        assert app.result.scores == before.scores


@pytest.mark.asyncio
async def test_ahp_grid_warns_and_applies(medical):
    async with running(medical) as (app, pilot):
        screen = await open_weights(app, pilot)
        assert "CR 0.000" in str(screen.query_one("#ahp-result").render())
        # procurement 9x the price war, the price war 9x retention, yet retention 9x
        # procurement: a cycle no weighting can satisfy
        screen.query_one("#ahp-0-1", Select).value = "9"
        screen.query_one("#ahp-1-2", Select).value = "9"
        screen.query_one("#ahp-0-2", Select).value = "1/9"
        await pilot.pause(0.1)
        assert screen.ahp.cr > 0.10
        result = str(screen.query_one("#ahp-result").render())
        assert "above 0.10" in result
        assert str(screen.query_one("#ahp-1-0").render()) == "1/9"
        # a consistent set: procurement 3x everything else
        screen.query_one("#ahp-0-2", Select).value = "1"
        screen.query_one("#ahp-1-2", Select).value = "1"
        for j in range(1, 5):
            screen.query_one(f"#ahp-0-{j}", Select).value = "3"
        await pilot.pause(0.1)
        assert screen.ahp.cr <= 0.10
        assert "above 0.10" not in str(screen.query_one("#ahp-result").render())
        weights = dict(zip(screen.families, map(float, screen.ahp.weights)))
        await pilot.press("f10")
        await rescored(app, pilot)
        engine = app.scorer.engine
        expected = apply_family_weights(WeightSet("catalogue").matrix(engine.catalogue),
                                        weights, engine.catalogue)
        assert np.allclose(engine.signed, expected)
        assert engine.weights_name == "ahp" and app.result.weights == "ahp"


@pytest.mark.asyncio
async def test_save_and_load_a_named_set(medical, tmp_path, monkeypatch):
    folder = tmp_path / "weights"
    monkeypatch.setenv("GTMCOMPASS_WEIGHTS_DIR", str(folder))
    async with running(medical) as (app, pilot):
        screen = await open_weights(app, pilot)
        assert screen.set_weight("runway", "b_private", "20")
        await pilot.press("ctrl+s")
        prompt = await wait_for(app, pilot, NamePrompt)
        prompt.query_one(Input).value = "cash first"
        await pilot.press("enter")
        await wait_for(app, pilot, WeightsScreen)
        await rescored(app, pilot)
        saved = load_named_weights("cash first", folder)
        assert saved.name == "cash first"
        assert saved.overrides == {"runway": {"b_private": 20.0}}
        assert app.scorer.engine.weights_name == "cash first"
        await pilot.press("ctrl+r")
        await rescored(app, pilot)
        assert app.scorer.engine.weight_table()["runway"]["b_private"] == 8.0
        await pilot.press("ctrl+o")
        await wait_for(app, pilot, LoadPrompt)
        await pilot.press("enter")
        await wait_for(app, pilot, WeightsScreen)
        await rescored(app, pilot)
        assert app.scorer.engine.weights_name == "cash first"
        assert app.scorer.engine.weight_table()["runway"]["b_private"] == 20.0
        assert app.result.weights == "cash first"
        # saving under an existing name asks first; cancelling keeps the file
        mtime = (folder / "cash-first.toml").stat().st_mtime_ns
        await pilot.press("ctrl+s")
        await wait_for(app, pilot, NamePrompt)
        await pilot.press("enter")
        from gtmcompass.tui.screens.dialogs import ConfirmScreen

        await wait_for(app, pilot, ConfirmScreen)
        await pilot.press("escape")
        await wait_for(app, pilot, WeightsScreen)
        assert (folder / "cash-first.toml").stat().st_mtime_ns == mtime


async def new_result(app, pilot, before, what: str):
    """The first result the app shows after ``before``, once the app has settled."""
    for _ in range(500):
        await pilot.pause(0.01)
        if app.result is not None and app.result is not before:
            await settle(app, pilot)
            return app.result
    raise AssertionError(f"no new result was shown after {what}")


def assert_matches_a_fresh_engine(result, path, overrides: dict[str, dict[str, float]],
                                  what: str):
    """Every criterion's points and maximum are those a new engine with these weights gives,
    and none shows more points than its maximum."""
    from gtmcompass.io.files import load_path
    from gtmcompass.scoring.engine import Engine
    from tests.tui.conftest import YEAR

    engine = Engine(as_of_year=YEAR).with_weights(WeightSet("custom", overrides))
    profile = load_path(path)[0].profile
    batch = engine.score([profile])
    for j, c in enumerate(result.contributions):
        for k, play in enumerate(PLAYS):
            points, most = c.toward(play), c.max_toward(play)
            assert points == pytest.approx(float(batch.points[0, k, j]), abs=1e-9), (
                what, c.criterion, play)
            assert most == pytest.approx(float(engine.maxima[k, j]), abs=1e-9), (
                what, c.criterion, play)
            assert points <= most + 1e-9, (what, c.criterion, play, points, most)


@pytest.mark.asyncio
async def test_repeated_weight_edits_keep_points_within_their_maxima(medical):
    """Three cells edited one after another, then Ctrl+R: after each, the panel's points and
    maxima are a fresh engine's for the same weights (no stale maxima from an earlier set)."""
    async with running(medical) as (app, pilot):
        assert_matches_a_fresh_engine(app.result, medical, {}, "opening")
        screen = await open_weights(app, pilot)
        table = screen.query_one(WeightTable)
        table.focus()
        ids = app.scorer.criterion_ids
        overrides: dict[str, dict[str, float]] = {}
        edits = [("differentiation", "b_api", "40"), (ids[0], "c_domestic", "0.5"),
                 (ids[3], "b_private", "25"), ("differentiation", "b_api", "1")]
        for criterion, play, typed in edits:
            before = app.result
            table.move_cursor(row=ids.index(criterion), column=1 + PLAYS.index(play))
            await pilot.press("enter")
            box = screen.query_one("#weight-input", Input)
            assert box.has_focus, f"the weight box for {criterion}/{play}"
            await pilot.press("end", *["backspace"] * len(box.value), *typed, "enter")
            what = f"setting {criterion}/{play} to {typed}"
            result = await new_result(app, pilot, before, what)
            overrides.setdefault(criterion, {})[play] = float(typed)
            assert app.scorer.engine.weight_table()[criterion][play] == float(typed), what
            assert_matches_a_fresh_engine(result, medical, overrides, what)
            table.focus()
        before = app.result
        await pilot.press("ctrl+r")
        result = await new_result(app, pilot, before, "ctrl+r (reset)")
        assert result.weights == "catalogue"
        assert_matches_a_fresh_engine(result, medical, {}, "ctrl+r (reset)")
