"""The results panel says the verdict in words, and the form edits as_of and annual revenue.

Three examples, one per verdict: professor-lab is not yet (blocked), funding-headline has
too little information, medical-partners is a go.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from textual.widgets import Static

from gtmcompass.io.files import load_profile
from gtmcompass.model.catalogue import load_catalogue
from gtmcompass.scoring.features import PLAYS
from gtmcompass.tui.form_fields import FIELDS
from gtmcompass.vocab.i18n import tr
from tests.tui.conftest import PROFILES, running, settle, type_into


def panel_text(app) -> str:
    verdict = str(app.panel.query_one("#verdict", Static).render())
    bars = str(app.panel.query_one("#bars", Static).render())
    detail = str(app.panel.query_one("#detail", Static).render())
    return "\n".join((verdict, bars, detail))


def copy(name: str, tmp_path):
    target = tmp_path / f"{name}.toml"
    shutil.copy(PROFILES / f"{name}.toml", target)
    return target


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_not_yet_names_the_closest_play_and_what_blocks_it(tmp_path, lang):
    async with running(copy("professor-lab", tmp_path), lang=lang) as (app, pilot):
        result = app.result
        assert result.verdict == "not_yet" and result.blockers_of(result.play)
        text = panel_text(app)
        assert ("Not yet" if lang == "en" else "暂不具备条件") in text
        cat = load_catalogue()
        for rid in result.blockers_of(result.play):
            requirement = cat.requirement_by_id(rid)
            assert getattr(requirement, lang) in text  # its name, not its id
            fix = getattr(requirement, f"fix_{lang}")
            assert fix.split()[0] in text.replace("\n", " ")
            assert rid not in text
        assert ("blocked" if lang == "en" else "受阻") in text


async def test_insufficient_names_the_fields_to_fill_in_and_no_confidence(tmp_path):
    async with running(copy("funding-headline", tmp_path)) as (app, pilot):
        result = app.result
        assert result.verdict == "insufficient_data" and result.missing
        text = panel_text(app)
        assert "Not enough information" in text
        assert "Confidence" not in text and "◀" not in text
        # No score is given for any play: the bars only show how far each got.
        bars = str(app.panel.query_one("#bars", Static).render())
        assert not any(f"{result.score(p):.1f}" in bars for p in PLAYS)
        for key in result.missing:
            if key in FIELDS:
                assert tr(f"field.{key}", "en") in text, key


async def test_go_marks_its_play_and_shows_each_plays_status(tmp_path):
    async with running(copy("medical-partners", tmp_path)) as (app, pilot):
        result = app.result
        assert result.verdict == "go"
        text = panel_text(app)
        assert "Go" in text and "◀" in text
        blocked = [p for p in ("c_domestic", "c_overseas") if result.status_of(p) == "blocked"]
        assert blocked and text.count("blocked") >= len(blocked)
        assert result.as_of == dt.date(2024, 8, 15)
        assert "2024-08-15" in text


async def test_as_of_and_annual_revenue_are_edited_and_saved(tmp_path):
    path = copy("medical-partners", tmp_path)
    async with running(path) as (app, pilot):
        await type_into(app, pilot, "as_of", "2024-13-01")
        assert "as_of" in app.checked.errors  # not a date: the form's one-line error
        await type_into(app, pilot, "as_of", "2025-03-01")
        await type_into(app, pilot, "market.annual_revenue", "12.5")
        assert app.checked.ok
        assert app.result.as_of == dt.date(2025, 3, 1)
        await pilot.press("ctrl+s")
        for _ in range(100):
            if "unsaved" not in app.sub_title:
                break
            await pilot.pause(0.02)
        else:
            raise AssertionError("the profile was not saved")
        saved = load_profile(path)
        assert saved.as_of == dt.date(2025, 3, 1) and saved.market.annual_revenue == 12.5
        assert "as_of = 2025-03-01" in path.read_text()
        await type_into(app, pilot, "market.annual_revenue", "")
        await type_into(app, pilot, "as_of", "")
        assert app.checked.ok
        assert app.checked.profile.as_of is None
        assert app.checked.profile.market.annual_revenue is None  # unknown, not zero
    async with running(path) as (again, _):
        await settle(again, _)
        assert again.checked.profile == saved
