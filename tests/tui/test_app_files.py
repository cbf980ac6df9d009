"""Pilot tests of files and screens: save, save as, open, broken files, quit, exports,
language, help, command palette, compare and what-if."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Label, Static

from gtmcompass.io.files import load_profile
from gtmcompass.tui.screens.compare import CompareScreen
from gtmcompass.tui.screens.dialogs import ConfirmScreen, ErrorScreen, PathPrompt
from gtmcompass.tui.screens.help import HelpScreen
from gtmcompass.tui.screens.whatif import WhatIfScreen
from tests.tui.conftest import PROFILES, running, settle, type_into


async def answer_path(pilot, path) -> None:
    """Fill the open path prompt and press Enter."""
    prompt = pilot.app.screen
    assert isinstance(prompt, PathPrompt)
    prompt.query_one(Input).value = str(path)
    await pilot.press("enter")
    await pilot.pause()


async def wait_for(pilot, kind, tries: int = 200):
    for _ in range(tries):
        if isinstance(pilot.app.screen, kind):
            return pilot.app.screen
        await pilot.pause(0.01)
    raise AssertionError(f"{kind.__name__} did not open; on {pilot.app.screen!r}")


async def test_save_then_reload_equals(medical):
    async with running(medical) as (app, pilot):
        await type_into(app, pilot, "funding.cash", "321.5")
        await type_into(app, pilot, "market.d30_retention", "0.25")
        assert "unsaved" in app.sub_title
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        for _ in range(50):
            if "unsaved" not in app.sub_title:
                break
            await pilot.pause(0.02)
        assert "unsaved" not in app.sub_title
        saved = load_profile(medical)
        assert saved == app.checked.profile
        assert saved.funding.cash == 321.5 and saved.market.d30_retention == 0.25
        assert "cac" not in medical.read_text(), "unknown figures stay out of the file"
    async with running(medical) as (again, _):
        assert again.checked.profile == saved
        assert not again.dirty


async def test_save_refused_while_a_field_is_invalid(medical):
    before = medical.read_bytes()
    async with running(medical) as (app, pilot):
        await type_into(app, pilot, "team.headcount", "0")
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        assert medical.read_bytes() == before
        assert app.is_running


async def test_save_as_asks_before_overwriting_another_file(medical, tmp_path):
    other = tmp_path / "other.toml"
    shutil.copy(PROFILES / "api-price-war.toml", other)
    other_bytes = other.read_bytes()
    async with running(medical) as (app, pilot):
        await type_into(app, pilot, "name", "Renamed")
        await pilot.press("f12")
        await wait_for(pilot, PathPrompt)
        await answer_path(pilot, other)
        confirm = await wait_for(pilot, ConfirmScreen)
        assert str(other) in confirm.message
        await pilot.press("escape")  # keep the other file
        await pilot.pause(0.1)
        assert other.read_bytes() == other_bytes
        assert app.path == medical
        await pilot.press("f12")
        await wait_for(pilot, PathPrompt)
        await answer_path(pilot, other)
        await wait_for(pilot, ConfirmScreen)
        await pilot.click("#b-overwrite")
        await pilot.pause(0.2)
        assert load_profile(other).name == "Renamed"
        assert app.path == other
        assert "other.toml" in app.sub_title and "unsaved" not in app.sub_title


async def test_new_profile_saves_under_a_name_made_from_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with running(None) as (app, pilot):
        assert app.path is None and not app.dirty
        await type_into(app, pilot, "name", "../Evil Name")
        await pilot.press("ctrl+s")
        prompt = await wait_for(pilot, PathPrompt)
        default = prompt.query_one(Input).value
        assert default.endswith("evil-name.toml") and ".." not in default
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert (tmp_path / "evil-name.toml").is_file()


async def test_opening_a_broken_file_shows_why_and_keeps_the_profile(medical, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(medical.read_text().replace("headcount = 220", "hedcount = 220"))
    async with running(medical) as (app, pilot):
        await type_into(app, pilot, "funding.cash", "444")
        values = app.form.values()
        app.run_worker(app.open_path(broken))
        error = await wait_for(pilot, ErrorScreen)
        text = str(error.query_one("#error-text", Static).render())
        assert "hedcount" in text and "did you mean 'headcount'" in text
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert app.form.values() == values
        assert app.path == medical and app.dirty


async def test_starting_on_a_broken_file_opens_a_new_profile_and_says_why(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("name = [1, 2\n")
    async with running(broken) as (app, pilot):
        error = await wait_for(pilot, ErrorScreen)
        assert "not valid TOML" in str(error.query_one("#error-text", Static).render())
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.path is None and app.result is not None


async def test_open_through_the_picker(medical, tmp_path):
    second = tmp_path / "second.toml"
    shutil.copy(PROFILES / "professor-lab.toml", second)
    async with running(medical) as (app, pilot):
        await pilot.press("ctrl+o")
        from gtmcompass.tui.screens.picker import FilePicker
        picker = await wait_for(pilot, FilePicker)
        picker.query_one("#picker-path", Input).value = str(second)
        picker.query_one("#picker-path", Input).focus()
        await pilot.press("enter")
        for _ in range(100):
            if app.path == second:
                break
            await pilot.pause(0.02)
        await settle(app, pilot)
        assert app.checked.profile == load_profile(second)
        assert not app.dirty


async def test_quit_with_unsaved_changes_asks_first(medical):
    async with running(medical) as (app, pilot):
        await type_into(app, pilot, "funding.cash", "1")
        await pilot.press("ctrl+q")
        await wait_for(pilot, ConfirmScreen)
        await pilot.press("escape")  # cancel
        await pilot.pause(0.1)
        assert app.is_running
        await pilot.press("ctrl+q")
        await wait_for(pilot, ConfirmScreen)
        await pilot.click("#b-discard")
        await pilot.pause(0.2)
        assert not app.is_running
    assert load_profile(medical).funding.cash == 500.0


async def test_quit_without_changes_does_not_ask(medical):
    async with running(medical) as (app, pilot):
        await pilot.press("ctrl+q")
        await pilot.pause(0.2)
        assert not app.is_running


async def test_new_asks_before_discarding_changes(medical):
    async with running(medical) as (app, pilot):
        await type_into(app, pilot, "name", "Changed")
        await pilot.press("ctrl+n")
        await wait_for(pilot, ConfirmScreen)
        await pilot.click("#b-discard")
        await settle(app, pilot)
        assert app.path is None and app.form.values()["name"] == "New profile"
        assert not app.dirty


async def test_language_switch_translates_labels_results_and_keys(medical):
    async with running(medical) as (app, pilot):
        await pilot.press("f4")
        await pilot.pause(0.1)
        assert str(app.form.query_one("#lf-funding-cash", Label).render()).startswith("账上现金")
        assert "建议" in str(app.panel.query_one("#verdict", Static).render())
        assert str(app.panel.query_one("#contrib-title", Label).render()).startswith("依据")
        descriptions = {a.binding.description for a in app.screen.active_bindings.values()}
        assert {"保存", "比较", "English"} <= descriptions
        vertical = app.form.control("sector.vertical")
        assert vertical.value == "healthcare"
        # CNY is the first option: set_options alone would leave its label in English.
        currency = app.form.control("currency")
        assert currency.value == "CNY"
        assert "人民币" in str(currency.query_one("#label").render())
        assert "医疗" in str(vertical.query_one("#label").render())
        await pilot.press("f4")
        await pilot.pause(0.1)
        assert str(app.form.query_one("#lf-funding-cash", Label).render()).startswith("Cash on hand")


async def test_help_opens_with_f1_and_question_mark(medical):
    async with running(medical) as (app, pilot):
        await pilot.press("f1")
        await wait_for(pilot, HelpScreen)
        await pilot.press("escape")
        await pilot.pause(0.1)
        app.panel.query_one("#contributions").focus()
        await pilot.press("question_mark")
        help_screen = await wait_for(pilot, HelpScreen)
        assert "ctrl+s" in help_screen.source
        await pilot.press("escape")


async def test_command_palette_lists_the_apps_commands(medical):
    async with running(medical) as (app, pilot):
        from gtmcompass.tui.app import COMMANDS
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert len([t for t in titles if t]) >= len(COMMANDS)
        quits = [c for c in app.get_system_commands(app.screen) if c.callback == app.action_quit]
        assert len(quits) == 1  # ours, translated; not Textual's second "Quit" as well
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"compare")
        await pilot.pause(0.5)
        from textual.command import CommandList
        options = app.screen.query_one(CommandList)
        prompts = [str(options.get_option_at_index(i).prompt)
                   for i in range(options.option_count)]
        assert any("side by side" in p for p in prompts)
        await pilot.press("escape")
        await pilot.pause(0.2)
        # Typing a command's short name finds that command first; Enter runs it.
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"help")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, HelpScreen)


async def test_exports_markdown_report_and_svg(medical, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with running(medical) as (app, pilot):
        await pilot.press("f5")
        prompt = await wait_for(pilot, PathPrompt)
        assert prompt.query_one(Input).value == "medical-partners-report.md"
        await pilot.press("enter")
        await pilot.pause(0.2)
        report = await wait_for_file(pilot, tmp_path / "medical-partners-report.md")
        assert "Medical Partner Models" in report and "To-B" in report
        await pilot.press("f6")
        await wait_for(pilot, PathPrompt)
        await pilot.press("enter")
        await pilot.pause(0.2)
        svg = (tmp_path / "medical-partners.svg").read_text()
        assert svg.lstrip().startswith("<svg") and "Recommendation" in svg


async def test_compare_loads_several_profiles_and_sorts(medical):
    from gtmcompass.io.files import load_all

    async with running(medical) as (app, pilot):
        await pilot.press("f2")
        screen = await wait_for(pilot, CompareScreen)
        screen.add_entries(load_all([str(PROFILES)]))
        for _ in range(100):
            if all(r.result is not None for r in screen.state.rows):
                break
            await pilot.pause(0.02)
        await pilot.pause(0.1)
        table = screen.query_one(DataTable)
        assert table.row_count == len(list(PROFILES.glob("*.toml"))) + 1
        column = screen.state.sort_column
        values = [r.sort_value(column) for r in screen._sorted()]
        assert values == sorted(values, reverse=True)
        await pilot.press("s")  # next column: ascending by name would be "s" again...
        assert screen.state.sort_column != column
        await pilot.press("r")
        column, descending = screen.state.sort_column, screen.state.descending
        shown = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        expected = [r.profile.name + (" (open in editor)" if r.current else "")
                    for r in sorted(screen.state.rows, key=lambda r: r.sort_value(column),
                                    reverse=descending)]
        assert shown == expected
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert app.screen is app.screen_stack[0]


async def test_compare_reports_broken_files_and_keeps_the_rest(medical, tmp_path):
    from gtmcompass.io.files import load_all

    (tmp_path / "bad.toml").write_text("schema_version = 1\n")
    async with running(medical) as (app, pilot):
        await pilot.press("f2")
        screen = await wait_for(pilot, CompareScreen)
        screen.add_entries(load_all([str(tmp_path)]))
        await pilot.pause(0.2)
        status = str(screen.query_one("#compare-status", Label).render())
        assert "bad.toml" in status
        assert any(r.source.endswith("medical-partners.toml") for r in screen.state.rows)


async def test_what_if_shows_the_difference_then_keeps_or_discards(medical):
    async with running(medical) as (app, pilot):
        await pilot.press("f3")
        screen = await wait_for(pilot, WhatIfScreen)
        form = screen.query_one("#whatif-form")
        burn = form.control("funding.monthly_burn")
        burn.focus()
        await pilot.press("end", "0")  # 30 -> 300 a month
        for _ in range(100):
            if screen.after is not None and screen.after.runway_months < 6:
                break
            await pilot.pause(0.02)
        diff = str(screen.query_one("#whatif-diff", Static).render())
        assert "Less than six months of cash" in diff
        assert app.checked.profile.funding.monthly_burn == 30.0, "editor untouched so far"
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert app.checked.profile.funding.monthly_burn == 30.0
        await pilot.press("f3")
        screen = await wait_for(pilot, WhatIfScreen)
        form = screen.query_one("#whatif-form")
        form.control("funding.monthly_burn").focus()
        await pilot.press("end", "0")
        await pilot.pause(0.2)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert app.checked.profile.funding.monthly_burn == 300.0
        assert app.dirty


async def test_markup_in_names_and_values_is_shown_as_typed(tmp_path):
    folder = tmp_path / "["
    folder.mkdir()
    path = folder / "]x[red].toml"  # the full path holds "[/]"
    path.write_text((PROFILES / "medical-partners.toml").read_text().replace(
        'name = "Medical Partner Models"', 'name = "[bold]Lab[/] [/]"'))
    async with running(path) as (app, pilot):
        assert "]x[red].toml" in app.sub_title
        await type_into(app, pilot, "team.headcount", "0")
        error = str(app.form.query_one("#ef-team-headcount", Static).render())
        assert "from 1 to 10,000,000" in error
        await pilot.press("f2")
        screen = await wait_for(pilot, CompareScreen)
        for _ in range(100):
            if screen.state.rows and screen.state.rows[0].result is not None:
                break
            await pilot.pause(0.02)
        await pilot.pause(0.1)
        cell = screen.query_one(DataTable).get_row_at(0)[0]
        assert str(cell).startswith("[bold]Lab[/] [/]")
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert app.is_running


async def wait_for_file(pilot, path: Path, timeout: float = 10.0) -> str:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if path.exists():
            return path.read_text(encoding="utf-8")
        await pilot.pause(0.02)
    raise AssertionError(f"no file written at {path}")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_f5_writes_the_report_gtmcompass_report_writes(medical, tmp_path, monkeypatch,
                                                             lang):
    """One report, two ways in: F5 in the app and ``gtmcompass report FILE --lang L``."""
    from gtmcompass.cli import main

    monkeypatch.chdir(tmp_path)
    cli_out = tmp_path / f"cli-{lang}.md"
    assert main(["report", str(medical), "--lang", lang, "--out", str(cli_out)]) == 0
    async with running(medical, lang=lang) as (app, pilot):
        await pilot.press("f5")
        await wait_for(pilot, PathPrompt)
        await pilot.press("enter")
        written = await wait_for_file(pilot, tmp_path / "medical-partners-report.md")
    assert written == cli_out.read_text(encoding="utf-8")


async def test_typing_in_the_add_dialog_writes_the_path_box_it_asks_for(medical, tmp_path):
    from gtmcompass.tui.screens.picker import FilePicker

    second = tmp_path / "second.toml"
    shutil.copy(PROFILES / "professor-lab.toml", second)
    async with running(medical) as (app, pilot):
        await pilot.press("f2")
        screen = await wait_for(pilot, CompareScreen)
        await pilot.press("a")
        picker = await wait_for(pilot, FilePicker)
        box = picker.query_one("#picker-path", Input)
        assert picker.focused is not box  # the tree has focus, to browse with the arrows
        await pilot.press(*str(second) + "x", "backspace")
        assert box.value == str(second)
        await pilot.press("enter")
        assert picker.chosen == [second] and box.value == ""
        await pilot.press("escape")
        await wait_for(pilot, CompareScreen)
        for _ in range(200):
            if any(str(second) in str(r.source) for r in screen.state.rows):
                break
            await pilot.pause(0.02)
        else:
            raise AssertionError("the typed path was not added")
