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
    app._edited_early = False
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
