"""Helpers for driving the app headless: start it, wait for the core and a result."""

from __future__ import annotations

import asyncio
import shutil
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from gtmcompass.tui.app import CompassApp
from gtmcompass.tui.form_fields import GROUPS

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "profiles"
SIZE = (120, 40)
# Fixed so company age, and with it the scores, do not change with the calendar.
YEAR = 2026


@pytest.fixture
def medical(tmp_path: Path) -> Path:
    """A copy of an example profile in a folder of its own, free to be overwritten."""
    target = tmp_path / "medical-partners.toml"
    shutil.copy(PROFILES / "medical-partners.toml", target)
    return target


async def until(pilot, what: str, done, timeout: float = 30.0) -> None:
    """Pause until ``done()``; raise naming ``what`` if it has not happened by ``timeout``.

    The timeout is a safety net for a stuck app, not a speed test: generous, so a busy
    machine only makes the wait longer.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not done():
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        await pilot.pause(0.01)


async def settle(app: CompassApp, pilot, timeout: float = 10.0) -> None:
    """Until the core has loaded, every form group is mounted and the latest edit is shown."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.01)
        if not app.core_ready.is_set() or app.form.groups_mounted < len(GROUPS):
            continue
        if app.checked is not None and app.checked.ok and not app.result_is_current:
            continue
        if app.checked is not None and (app.result is not None or not app.checked.ok):
            await pilot.pause(0.05)
            return
    raise AssertionError("the app did not settle")


@asynccontextmanager
async def running(path: Path | str | None = None, lang: str = "en"):
    app = CompassApp(path, lang=lang, as_of_year=YEAR)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        yield app, pilot


async def type_into(app: CompassApp, pilot, path: str, text: str) -> None:
    """Replace a text field's content by typing, as a user would (select all, then type)."""
    widget = app.form.control(path)
    assert widget is not None, path
    widget.focus()
    await pilot.pause()
    await pilot.press("end", *["backspace"] * len(widget.value))
    if text:
        await pilot.press(*text)
    await settle(app, pilot)
