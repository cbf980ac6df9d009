"""Screens that open and close while the app's news is still on its way.

F9 (the Weights screen) followed at once by F4 (the language) and Escape left messages and
watchers aimed at a screen that was half composed or already leaving the stack; each ended
the app (``NoMatches`` on ``HeaderTitle``, ``#ahp-col-0``, ``SelectOverlay``; ``KeyError``
on a table column) and took the unsaved edits with it.
"""

from __future__ import annotations

import asyncio

from gtmcompass.tui.screens.weights import WeightsScreen
from tests.tui.conftest import running, type_into

EDITED = "Edited Medical"


async def back_on_editor(app, pilot, timeout: float = 10.0) -> None:
    """Until every key is handled and only the editor is left on the stack."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.05)
        if len(app.screen_stack) == 1:
            await pilot.pause(0.2)
            if len(app.screen_stack) == 1:
                return
    raise AssertionError(f"waited {timeout} s for the editor alone on the stack; "
                         f"still open: {app.screen_stack[1:]}")


async def test_weights_language_escape_rounds_keep_the_app_and_the_edit(medical):
    async with running(medical) as (app, pilot):
        await type_into(app, pilot, "name", EDITED)
        langs = set()
        for round_ in range(12):
            await pilot.press("f9")
            await pilot.press("f4")
            # Alternate no wait with a wait long enough for the screen to finish mounting.
            await pilot.pause(0.3 if round_ % 2 else None)
            langs.add(app.lang)
            await pilot.press("escape")
            await back_on_editor(app, pilot)
            assert app.return_code is None, f"the app ended in round {round_ + 1}"
        assert langs == {"en", "zh"}
        assert app.form.values()["name"] == EDITED
        assert app.dirty


async def test_bunched_keys_keep_the_app_and_the_edit(medical):
    """The same keys without waiting for the app between them, as a terminal delivers
    them when they arrive together."""
    async with running(medical) as (app, pilot):
        await type_into(app, pilot, "name", EDITED)
        for round_ in range(12):
            for key in ("f9", "f4", "escape"):
                app.simulate_key(key)
            if round_ % 3 == 0:
                await pilot.pause(0.05)
        # F9 opens its screen from a worker, so an Escape may arrive before the screen does
        # and leave it open: that one is closed here, as a user would.
        for _ in range(3):
            await pilot.pause(0.5)
            if len(app.screen_stack) > 1:
                await pilot.press("escape")
        await back_on_editor(app, pilot)
        assert app.return_code is None
        assert app.form.values()["name"] == EDITED


async def test_a_screen_closed_before_it_is_composed(medical):
    """Dismissed in the same tick it was pushed, while the title and the language change:
    the screen closes once mounted, and nothing looks for its missing widgets."""
    async with running(medical) as (app, pilot):
        lang = app.lang
        screen = WeightsScreen(app.scorer, app.lang)
        app.push_screen(screen)
        screen.dismiss()
        app.action_language()
        await back_on_editor(app, pilot)
        assert app.return_code is None
        assert app.lang != lang
        assert screen not in app.screen_stack


async def test_a_screen_closed_behind_the_language_switch(medical):
    """Closed right after F4, before it handled the news: nothing looks for its widgets,
    and the next one opens in the new language."""
    async with running(medical) as (app, pilot):
        await pilot.press("f9")
        for _ in range(200):
            if isinstance(app.screen, WeightsScreen):
                break
            await pilot.pause(0.02)
        else:
            raise AssertionError("the weights screen did not open")
        screen = app.screen
        await pilot.pause(0.1)
        before = str(screen.query_one("#weights-current").render())
        app.action_language()
        screen.dismiss()
        await back_on_editor(app, pilot)
        assert app.return_code is None
        await pilot.press("f9")
        for _ in range(200):
            if isinstance(app.screen, WeightsScreen) and app.screen.is_mounted:
                break
            await pilot.pause(0.02)
        else:
            raise AssertionError("the weights screen did not open again")
        await pilot.pause(0.1)
        after = str(app.screen.query_one("#weights-current").render())
        assert after != before  # drawn in the other language
