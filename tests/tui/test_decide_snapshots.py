"""Snapshots of the Decide view and the Weights screen at 120x40 in English and Chinese.

Update with ``pytest tests/tui/test_decide_snapshots.py --snapshot-update`` and look at the
pictures.
"""

from __future__ import annotations

import pytest

from gtmcompass.tui.app import CompassApp
from gtmcompass.tui.screens.decide import DecideScreen
from gtmcompass.tui.screens.weights import WeightsScreen
from tests.tui.conftest import ROOT, SIZE, YEAR, settle, until

PROFILE = "profiles/medical-partners.toml"


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("GTMCOMPASS_WEIGHTS_DIR", str(tmp_path))


def make_app(lang: str) -> CompassApp:
    return CompassApp(PROFILE, lang=lang, as_of_year=YEAR)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_decide_screen(snap_compare, lang):
    async def run_before(pilot):
        await settle(pilot.app, pilot)
        await pilot.press("f8")
        await until(pilot, "the Decide view's decision", lambda: isinstance(
            pilot.app.screen, DecideScreen) and pilot.app.screen.decision is not None
            and not pilot.app.screen.busy)
        await pilot.pause(0.2)

    assert snap_compare(make_app(lang), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_weights_screen(snap_compare, lang):
    async def run_before(pilot):
        await settle(pilot.app, pilot)
        await pilot.press("f9")
        await until(pilot, "the Weights screen",
                    lambda: isinstance(pilot.app.screen, WeightsScreen))
        screen = pilot.app.screen
        # an inconsistent grid, so the picture shows the CR warning
        for cell, value in (("#ahp-0-1", "9"), ("#ahp-1-2", "9"), ("#ahp-0-2", "1/9")):
            screen.query_one(cell).value = value
        await pilot.pause(0.2)

    assert snap_compare(make_app(lang), terminal_size=SIZE, run_before=run_before)
