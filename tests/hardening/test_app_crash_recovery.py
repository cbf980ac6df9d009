"""An internal error in the app keeps what was typed: the form goes to a recovery file beside
the profile (atomically), standard error names it, the status is not 0, and the next launch
on that file offers it back (restore, discard, keep for later)."""

from __future__ import annotations

import asyncio
import os
import shutil
import tomllib
from pathlib import Path

import pytest
from textual.widgets import Button

from gtmcompass.tui import exit_status
from gtmcompass.tui.app import pending_recovery, recovery_path_for
from gtmcompass.tui.screens.dialogs import ConfirmScreen
from gtmcompass.tui.screens.weights import WeightsScreen
from gtmcompass.vocab.exits import ExitCode
from gtmcompass.vocab.i18n import tr
from tests.tui.conftest import PROFILES, running, type_into

EDITED = "Edited Before The Crash"


@pytest.fixture
def medical(tmp_path: Path) -> Path:
    """A copy of an example profile in a folder of its own."""
    target = tmp_path / "medical-partners.toml"
    shutil.copy(PROFILES / "medical-partners.toml", target)
    return target


class Boom(RuntimeError):
    pass


def explode(*args, **kwargs):
    raise Boom("forced failure in a handler")


async def until(pilot, what: str, condition, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"waited {timeout} s for {what}")


async def crash_on_language_switch(app, pilot, monkeypatch) -> None:
    """Open the Weights screen and switch the language with its redraw made to raise."""
    monkeypatch.setattr(WeightsScreen, "apply_language", explode)
    await pilot.press("f9")
    await until(pilot, "the weights screen", lambda: isinstance(app.screen, WeightsScreen)
                and app.screen.is_mounted)
    await pilot.press("f4")
    await until(pilot, "the app to stop on the error", lambda: app.return_code is not None)


async def test_a_crash_keeps_the_edits_beside_the_file(medical, monkeypatch, capsys):
    original = medical.read_bytes()
    app = None
    with pytest.raises(Boom):
        async with running(medical) as (app, pilot):
            await type_into(app, pilot, "name", EDITED)
            # fewer people than its commercial staff: invalid, and kept all the same
            await type_into(app, pilot, "team.headcount", "3")
            assert not app.checked.ok
            typed = app.form.values()
            expected_text = app.recovery_text()
            await crash_on_language_switch(app, pilot, monkeypatch)
    assert app is not None and app.return_code == 1
    status = exit_status(app, None)
    assert status == ExitCode.CRASHED != 0
    recovered = medical.with_name("medical-partners.recovered.toml")
    assert recovered.read_text("utf-8") == expected_text
    doc = tomllib.loads(recovered.read_text("utf-8"))
    assert doc["name"] == EDITED == typed["name"]
    assert doc["team"]["headcount"] == 3
    assert medical.read_bytes() == original  # the profile itself is untouched
    err = capsys.readouterr().err.strip().splitlines()
    # one line, in the language the app was in (F4 had switched it)
    assert [line for line in err if "recovered.toml" in line] == [
        tr("app.crashed_recovered", app.lang, path=str(recovered))]
    assert not [p for p in medical.parent.iterdir() if p.name.endswith(".tmp")]


async def test_a_crash_on_a_new_profile_goes_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = None
    with pytest.raises(Boom):
        async with running(None) as (app, pilot):
            await type_into(app, pilot, "name", EDITED)
            await crash_on_language_switch(app, pilot, monkeypatch)
    assert exit_status(app, None) == ExitCode.CRASHED
    doc = tomllib.loads((tmp_path / "untitled.recovered.toml").read_text("utf-8"))
    assert doc["name"] == EDITED


async def test_a_crash_with_nothing_unsaved_writes_nothing(medical, monkeypatch, capsys):
    app = None
    with pytest.raises(Boom):
        async with running(medical) as (app, pilot):
            await crash_on_language_switch(app, pilot, monkeypatch)
    assert exit_status(app, None) == ExitCode.CRASHED
    assert not recovery_path_for(medical).exists()
    assert tr("app.crashed_clean", app.lang) in capsys.readouterr().err.splitlines()


async def test_a_clean_quit_is_status_0_and_leaves_no_recovery_file(medical):
    async with running(medical) as (app, pilot):
        await pilot.press("ctrl+q")
        await until(pilot, "the app to quit", lambda: app.return_code is not None)
    assert exit_status(app, app.return_code) == 0
    assert not recovery_path_for(medical).exists()


def leave_recovery(profile: Path, name: str, newer: bool = True) -> Path:
    text = profile.read_text("utf-8").replace('name = "Medical Partner Models"',
                                               f'name = "{name}"')
    assert name in text
    recovered = recovery_path_for(profile)
    recovered.write_text(text, "utf-8")
    stamp = profile.stat().st_mtime_ns + (10**9 if newer else -(10**9))
    os.utime(recovered, ns=(stamp, stamp))
    return recovered


async def answer(app, pilot, choice: str) -> None:
    await until(pilot, "the recovery question", lambda: isinstance(app.screen, ConfirmScreen))
    if choice == "escape":
        await pilot.press("escape")
    else:
        await pilot.click(app.screen.query_one(f"#b-{choice}", Button))
    await until(pilot, "the question to close",
                lambda: not isinstance(app.screen, ConfirmScreen))
    await pilot.pause(0.1)


async def test_the_next_launch_restores(medical):
    recovered = leave_recovery(medical, EDITED)
    async with running(medical) as (app, pilot):
        await answer(app, pilot, "restore")
        await until(pilot, "the restored name", lambda: app.form.values()["name"] == EDITED)
        await until(pilot, "the form to count as unsaved", lambda: app.dirty)
        assert app.path == medical  # Ctrl+S still saves to the profile
        assert not recovered.exists()


async def test_the_next_launch_discards(medical):
    recovered = leave_recovery(medical, EDITED)
    async with running(medical) as (app, pilot):
        await answer(app, pilot, "discard")
        assert app.form.values()["name"] == "Medical Partner Models"
        assert not recovered.exists()


async def test_the_next_launch_keeps_it_for_later(medical):
    recovered = leave_recovery(medical, EDITED)
    async with running(medical) as (app, pilot):
        await answer(app, pilot, "escape")
        assert app.form.values()["name"] == "Medical Partner Models"
        assert recovered.exists()
    assert pending_recovery(medical) == recovered  # asked again next time


def test_a_recovery_file_older_than_the_profile_is_not_offered(medical):
    leave_recovery(medical, EDITED, newer=False)
    assert pending_recovery(medical) is None
    assert pending_recovery(medical.with_name("other.toml")) is None


def test_recovery_path_names():
    assert recovery_path_for(Path("a/medical.toml")) == Path("a/medical.recovered.toml")
    assert recovery_path_for(None) == Path("untitled.recovered.toml")


