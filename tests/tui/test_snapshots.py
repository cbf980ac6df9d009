"""Snapshots of the main screens at 120x40 in English and Chinese.

Paths are relative to the repository (the tests chdir there) so the pictures do not depend
on where the repository is cloned; the year is fixed so company age does not drift. Update
with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the pictures.
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from gtmcompass.io.files import load_all
from gtmcompass.tui.app import CompassApp
from gtmcompass.tui.screens.compare import CompareScreen
from gtmcompass.tui.screens.help import HelpScreen
from gtmcompass.tui.screens.whatif import WhatIfScreen
from tests.tui.conftest import ROOT, SIZE, YEAR, settle, until

PROFILE = "profiles/medical-partners.toml"


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch):
    monkeypatch.chdir(ROOT)


def make_app(lang: str) -> CompassApp:
    return CompassApp(PROFILE, lang=lang, as_of_year=YEAR)


async def _ready(pilot) -> None:
    await settle(pilot.app, pilot)
    pilot.app.set_focus(None)  # no blinking cursor in the picture
    await pilot.pause(0.1)


async def compare_every_example(pilot) -> None:
    """Add every example profile to the open Compare screen and wait until its table shows
    every result at its final column widths."""
    screen = pilot.app.screen
    screen.add_entries(load_all(["profiles"]))
    table = screen.query_one("#table", DataTable)

    def shown() -> bool:
        rows = screen.state.rows
        return (all(r.result is not None for r in rows) and table.row_count == len(rows)
                and all("…" not in str(cell) for i in range(table.row_count)
                        for cell in table.get_row_at(i)))

    await until(pilot, "every compared profile's result in the table", shown)
    # DataTable sizes its columns when idle; on a loaded machine the picture was once taken
    # before that, with every column at its header's width. Wait for two equal sizes.
    sizes = []

    def steady() -> bool:
        sizes.append(table.virtual_size)
        return len(sizes) > 2 and sizes[-1] == sizes[-2] == sizes[-3]

    await until(pilot, "the Compare table's column widths to settle", steady)
    await pilot.pause(0.2)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_main_screen(snap_compare, lang):
    async def run_before(pilot):
        await _ready(pilot)
        await pilot.press("f7", "down")  # a criterion selected: its evidence shows
        await pilot.pause(0.1)
        pilot.app.set_focus(None)
        await pilot.pause(0.1)

    assert snap_compare(make_app(lang), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_main_screen_with_an_invalid_field(snap_compare, lang):
    async def run_before(pilot):
        await _ready(pilot)
        cash = pilot.app.form.control("funding.cash")
        cash.focus()
        await pilot.press("home", "-")
        await settle(pilot.app, pilot)
        pilot.app.set_focus(None)
        await pilot.pause(0.1)

    assert snap_compare(make_app(lang), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_compare_screen(snap_compare, lang):
    async def run_before(pilot):
        await _ready(pilot)
        await pilot.press("f2")
        await until(pilot, "the Compare screen",
                    lambda: isinstance(pilot.app.screen, CompareScreen))
        await compare_every_example(pilot)

    assert snap_compare(make_app(lang), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_screen(snap_compare, lang):
    async def run_before(pilot):
        await _ready(pilot)
        await pilot.press("f1")
        await until(pilot, "the help screen", lambda: isinstance(pilot.app.screen, HelpScreen))
        await pilot.pause(0.3)

    assert snap_compare(make_app(lang), terminal_size=SIZE, run_before=run_before)


def test_what_if_screen(snap_compare):
    async def run_before(pilot):
        await _ready(pilot)
        await pilot.press("f3")
        await until(pilot, "the What-if screen",
                    lambda: isinstance(pilot.app.screen, WhatIfScreen))
        await pilot.pause(0.3)
        form = pilot.app.screen.query_one("#whatif-form")
        form.control("funding.monthly_burn").focus()
        await pilot.press("end", "0")
        await pilot.pause(0.5)
        pilot.app.set_focus(None)
        await pilot.pause(0.1)

    assert snap_compare(make_app("en"), terminal_size=SIZE, run_before=run_before)


NARROW = (80, 24)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_main_screen_at_80_by_24(snap_compare, lang):
    """The verdict, the confidence and all four plays' scores, without scrolling."""
    async def run_before(pilot):
        await _ready(pilot)

    assert snap_compare(make_app(lang), terminal_size=NARROW, run_before=run_before)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_results_alone_at_80_by_24(snap_compare, lang):
    async def run_before(pilot):
        await _ready(pilot)
        await pilot.press("f7")
        await until(pilot, "the results to fill the screen",
                    lambda: pilot.app.screen.maximized is pilot.app.panel)
        pilot.app.set_focus(None)
        await pilot.pause(0.1)

    assert snap_compare(make_app(lang), terminal_size=NARROW, run_before=run_before)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_compare_screen_at_80_by_24(snap_compare, lang):
    async def run_before(pilot):
        await _ready(pilot)
        await pilot.press("f2")
        await until(pilot, "the Compare screen",
                    lambda: isinstance(pilot.app.screen, CompareScreen))
        await compare_every_example(pilot)

    assert snap_compare(make_app(lang), terminal_size=NARROW, run_before=run_before)
