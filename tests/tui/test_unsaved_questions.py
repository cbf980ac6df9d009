"""Leaving unsaved work asks first: a new profile (ctrl+n) offers Save, Discard and Cancel as
quitting does, and quitting with hand-edited weights saved nowhere offers to save them."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input

from gtmcompass.io.files import load_profile
from gtmcompass.io.weights import load_named_weights
from gtmcompass.tui.screens.dialogs import ConfirmScreen
from gtmcompass.tui.screens.weights import NamePrompt, WeightsScreen
from tests.tui.conftest import running, settle, type_into, until

pytestmark = pytest.mark.asyncio


async def question(app, pilot) -> ConfirmScreen:
    await until(pilot, "a question", lambda: isinstance(app.screen, ConfirmScreen))
    await pilot.pause(0.05)
    return app.screen


def buttons(screen: ConfirmScreen) -> list[str]:
    return [str(b.id).removeprefix("b-") for b in screen.query(Button)]


async def edited_weights(app, pilot) -> None:
    """Runway's private-deployment weight set to 20 by hand, then back to the editor."""
    await pilot.press("f9")
    await until(pilot, "the Weights screen", lambda: isinstance(app.screen, WeightsScreen))
    assert app.screen.set_weight("runway", "b_private", "20")
    await until(pilot, "the edited weights in use",
                lambda: app.scorer.engine.weights_name == "custom")
    await pilot.press("escape")
    await until(pilot, "the editor", lambda: not isinstance(app.screen, WeightsScreen))
    await settle(app, pilot)


async def test_new_with_unsaved_changes_offers_save(medical):
    async with running(medical) as (app, pilot):
        await type_into(app, pilot, "name", "Changed")
        await pilot.press("ctrl+n")
        asked = await question(app, pilot)
        assert buttons(asked) == ["save", "discard", "cancel"]
        await pilot.press("escape")  # cancel: the edits stay
        await until(pilot, "the question to close", lambda: not isinstance(app.screen,
                                                                           ConfirmScreen))
        assert app.form.values()["name"] == "Changed" and app.dirty
        await pilot.press("ctrl+n")
        await question(app, pilot)
        await pilot.click("#b-save")
        await until(pilot, "the new profile", lambda: app.path is None)
        await settle(app, pilot)
        assert load_profile(medical).name == "Changed"
        assert app.form.values()["name"] == "New profile" and not app.dirty


async def test_quit_with_edited_weights_offers_to_save_them(medical, tmp_path, monkeypatch):
    folder = tmp_path / "weights"
    monkeypatch.setenv("GTMCOMPASS_WEIGHTS_DIR", str(folder))
    async with running(medical) as (app, pilot):
        await edited_weights(app, pilot)
        assert not app.dirty  # the profile itself is as on disk: only the weights ask
        await pilot.press("ctrl+q")
        asked = await question(app, pilot)
        assert "custom" in asked.message
        assert buttons(asked) == ["save", "discard", "cancel"]
        await pilot.press("escape")
        await until(pilot, "the question to close", lambda: not isinstance(app.screen,
                                                                           ConfirmScreen))
        assert app.is_running and app.scorer.engine.weights_name == "custom"
        await pilot.press("ctrl+q")
        await question(app, pilot)
        await pilot.click("#b-save")
        await until(pilot, "the name prompt", lambda: isinstance(app.screen, NamePrompt))
        app.screen.query_one(Input).value = "runway first"
        await pilot.press("enter")
        await until(pilot, "the app to quit", lambda: not app.is_running)
    saved = load_named_weights("runway first", folder)
    assert saved.overrides == {"runway": {"b_private": 20.0}}


async def test_quit_can_drop_edited_weights(medical, tmp_path, monkeypatch):
    folder = tmp_path / "weights"
    monkeypatch.setenv("GTMCOMPASS_WEIGHTS_DIR", str(folder))
    async with running(medical) as (app, pilot):
        await edited_weights(app, pilot)
        await pilot.press("ctrl+q")
        await question(app, pilot)
        await pilot.click("#b-discard")
        await until(pilot, "the app to quit", lambda: not app.is_running)
    assert not folder.exists() or not any(folder.iterdir())


async def test_cancelling_the_weights_name_keeps_the_app_open(medical, tmp_path, monkeypatch):
    monkeypatch.setenv("GTMCOMPASS_WEIGHTS_DIR", str(tmp_path / "weights"))
    async with running(medical) as (app, pilot):
        await edited_weights(app, pilot)
        await pilot.press("ctrl+q")
        await question(app, pilot)
        await pilot.click("#b-save")
        await until(pilot, "the name prompt", lambda: isinstance(app.screen, NamePrompt))
        await pilot.press("escape")
        await until(pilot, "the editor", lambda: app.screen is app.screen_stack[0])
        assert app.is_running and app.weights_edited


async def test_weights_saved_or_reset_do_not_ask(medical, tmp_path, monkeypatch):
    monkeypatch.setenv("GTMCOMPASS_WEIGHTS_DIR", str(tmp_path / "weights"))
    async with running(medical) as (app, pilot):
        await edited_weights(app, pilot)
        await pilot.press("f9")
        await until(pilot, "the Weights screen", lambda: isinstance(app.screen, WeightsScreen))
        await pilot.press("ctrl+r")  # back to the catalogue's weights, which are not lost
        await until(pilot, "the catalogue weights",
                    lambda: app.scorer.engine.weights_name == "catalogue")
        await pilot.press("ctrl+q")
        await until(pilot, "the app to quit", lambda: not app.is_running)
