"""A save never silently overwrites a change made to the file by another program: the app
remembers the file's time, size and SHA-256 when it reads or writes it, and asks overwrite,
reload or save as when the file on disk differs. Comments, which a save does not keep, are
announced before the first save over a commented file."""

from __future__ import annotations

import asyncio
import os
import tomllib

from textual.widgets import Button, Input

from gtmcompass.model.template import template_text
from gtmcompass.tui.screens.dialogs import ConfirmScreen, PathPrompt
from gtmcompass.vocab.i18n import tr
from tests.tui.conftest import running, type_into

IN_APP = "Edited In The App"
OUTSIDE = "Edited Elsewhere"


async def until(pilot, what: str, condition, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"waited {timeout} s for {what}")


def change_outside(path, name: str = OUTSIDE) -> bytes:
    """Another editor's save: new content, and a time the app has not seen."""
    text = path.read_text("utf-8")
    start = text.index('name = "') + len('name = "')
    text = text[:start] + name + text[text.index('"', start):]
    path.write_text(text, "utf-8")
    later = path.stat().st_mtime_ns + 10**9
    os.utime(path, ns=(later, later))
    return path.read_bytes()


def saved_name(path) -> str:
    return tomllib.loads(path.read_text("utf-8"))["name"]


async def question(app, pilot) -> ConfirmScreen:
    await until(pilot, "a question", lambda: isinstance(app.screen, ConfirmScreen))
    await pilot.pause(0.05)
    return app.screen


async def choose(app, pilot, choice: str) -> None:
    screen = await question(app, pilot)
    await pilot.click(screen.query_one(f"#b-{choice}", Button))
    await until(pilot, "the question to close", lambda: app.screen is not screen)


async def edit_then_change_outside(app, pilot, medical) -> bytes:
    await type_into(app, pilot, "name", IN_APP)
    outside = change_outside(medical)
    await pilot.press("ctrl+s")
    screen = await question(app, pilot)
    assert str(medical) in screen.message
    assert screen.message == tr("confirm.changed_outside", app.lang, path=medical)
    return outside


async def test_overwrite(medical):
    async with running(medical) as (app, pilot):
        await edit_then_change_outside(app, pilot, medical)
        await choose(app, pilot, "overwrite")
        await until(pilot, "the save", lambda: not app.dirty)
        assert saved_name(medical) == IN_APP
        # the file as written is the new reference: the next save asks nothing
        await type_into(app, pilot, "name", IN_APP + " 2")
        await pilot.press("ctrl+s")
        await until(pilot, "the second save", lambda: saved_name(medical) == IN_APP + " 2")
        assert not isinstance(app.screen, ConfirmScreen)


async def test_reload(medical):
    async with running(medical) as (app, pilot):
        outside = await edit_then_change_outside(app, pilot, medical)
        await choose(app, pilot, "reload")
        await until(pilot, "the reloaded name", lambda: app.form.values()["name"] == OUTSIDE)
        await until(pilot, "a clean form", lambda: not app.dirty)
        assert medical.read_bytes() == outside  # nothing written


async def test_save_as(medical):
    other = medical.with_name("kept-from-the-app.toml")
    async with running(medical) as (app, pilot):
        outside = await edit_then_change_outside(app, pilot, medical)
        await choose(app, pilot, "save_as")
        await until(pilot, "the path prompt", lambda: isinstance(app.screen, PathPrompt))
        box = app.screen.query_one(Input)
        box.value = str(other)
        await pilot.press("enter")
        await until(pilot, "the save as", lambda: other.exists())
        assert saved_name(other) == IN_APP
        assert medical.read_bytes() == outside
        assert app.path == other


async def test_cancel_writes_nothing(medical):
    async with running(medical) as (app, pilot):
        outside = await edit_then_change_outside(app, pilot, medical)
        await choose(app, pilot, "cancel")
        assert medical.read_bytes() == outside
        assert app.dirty and app.form.values()["name"] == IN_APP


async def test_a_touched_file_saves_without_asking(medical):
    async with running(medical) as (app, pilot):
        await type_into(app, pilot, "name", IN_APP)
        later = medical.stat().st_mtime_ns + 10**9
        os.utime(medical, ns=(later, later))  # new time, same bytes
        await pilot.press("ctrl+s")
        await until(pilot, "the save", lambda: saved_name(medical) == IN_APP)
        assert not isinstance(app.screen, ConfirmScreen)


async def test_a_change_that_keeps_time_and_size_is_still_seen(medical):
    """Same length, same time: only the hash tells."""
    async with running(medical) as (app, pilot):
        await type_into(app, pilot, "name", IN_APP)
        before = medical.stat()
        text = medical.read_text("utf-8").replace("Medical Partner Models",
                                                  "Medical Partner Modelz")
        medical.write_text(text, "utf-8")
        os.utime(medical, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert medical.stat().st_size == before.st_size
        await pilot.press("ctrl+s")
        await choose(app, pilot, "cancel")
        assert saved_name(medical) == "Medical Partner Modelz"


async def test_comments_are_announced_before_the_first_save(tmp_path):
    commented = tmp_path / "template.toml"
    commented.write_text(template_text("Commented AI"), "utf-8")
    async with running(commented) as (app, pilot):
        await type_into(app, pilot, "name", IN_APP)
        await pilot.press("ctrl+s")
        screen = await question(app, pilot)
        assert screen.message == tr("confirm.comments_lost", app.lang, path=commented)
        await choose(app, pilot, "overwrite")
        await until(pilot, "the save", lambda: saved_name(commented) == IN_APP)
        assert "#" not in commented.read_text("utf-8")
        # once saved, the file has no comments left to lose: no second notice
        await type_into(app, pilot, "name", IN_APP + " 2")
        await pilot.press("ctrl+s")
        await until(pilot, "the second save", lambda: saved_name(commented) == IN_APP + " 2")
