"""A browser session's app (``$GTMCOMPASS_CONFINE_TO``, set by ``gtmcompass serve``) reads
and writes only its profiles folder: ``../``, absolute paths and links pointing out are
refused in the save prompt, the file picker and at the io layer under both."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Input, Label

from gtmcompass.io.files import SaveError, atomic_write_text, load_path, load_profile, save_profile
from gtmcompass.io.reading import ReadRefused, read_file
from gtmcompass.tui.screens.compare import CompareScreen
from gtmcompass.tui.screens.dialogs import PathPrompt
from gtmcompass.tui.screens.picker import FilePicker, ProfileTree
from gtmcompass.vocab.settings import CONFINE_ENV
from tests.tui.conftest import PROFILES, running, type_into
from tests.tui.test_app_files import answer_path, wait_for


@pytest.fixture
def confined(tmp_path: Path, monkeypatch) -> Path:
    """tmp/profiles (confined, the working folder) with one profile, a link to a file
    outside and a link to a folder outside; tmp/secret.toml and tmp/outside/ beside it."""
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    save_profile(load_profile(PROFILES / "medical-partners.toml"),
                 profiles / "medical-partners.toml")
    shutil.copy(PROFILES / "api-price-war.toml", tmp_path / "secret.toml")
    (tmp_path / "outside").mkdir()
    shutil.copy(PROFILES / "api-price-war.toml", tmp_path / "outside" / "other.toml")
    (profiles / "link.toml").symlink_to(tmp_path / "secret.toml")
    (profiles / "outdir").symlink_to(tmp_path / "outside")
    monkeypatch.setenv(CONFINE_ENV, str(profiles))
    monkeypatch.chdir(profiles)
    return profiles


def outside_targets(profiles: Path) -> list[str]:
    return ["../secret.toml", str(profiles.parent / "secret.toml"), "link.toml",
            "outdir/other.toml", "sub/../../secret.toml"]


def test_the_io_layer_refuses_every_path_leading_out(confined):
    for text in outside_targets(confined):
        with pytest.raises(ReadRefused, match="outside the profiles folder"):
            read_file(text)
        assert "outside the profiles folder" in str(load_path(text)[0].errors[0])
        with pytest.raises(SaveError, match="outside the profiles folder"):
            atomic_write_text(text, "name = 'x'\n")
    assert (confined.parent / "secret.toml").read_bytes() == (
        PROFILES / "api-price-war.toml").read_bytes()
    assert read_file("medical-partners.toml")  # inside stays readable
    atomic_write_text("sub-free.toml", "x = 1\n")
    assert (confined / "sub-free.toml").read_text() == "x = 1\n"


def test_unconfined_nothing_is_refused(confined, monkeypatch):
    monkeypatch.delenv(CONFINE_ENV)
    assert read_file("link.toml") == read_file("../secret.toml")


async def test_the_picker_lists_no_link_leading_out(confined):
    async with running(confined / "medical-partners.toml") as (_app, pilot):
        await pilot.press("ctrl+o")
        picker = await wait_for(pilot, FilePicker)
        tree = picker.query_one("#tree", ProfileTree)
        for _ in range(200):
            if tree.root.children:
                break
            await pilot.pause(0.02)
        listed = {node.data.path.name for node in tree.root.children}
        assert listed == {"medical-partners.toml"}


@pytest.mark.parametrize("index", range(5))
async def test_save_as_outside_the_folder_is_refused(confined, index):
    target = outside_targets(confined)[index]
    secret = (confined.parent / "secret.toml").read_bytes()
    async with running(confined / "medical-partners.toml") as (app, pilot):
        await type_into(app, pilot, "name", "Escaped")
        await pilot.press("f12")
        await wait_for(pilot, PathPrompt)
        await answer_path(pilot, target)
        await pilot.pause(0.2)
        assert app.path == confined / "medical-partners.toml"
        assert app.dirty  # nothing was saved anywhere
        # Refused at the prompt with a message, before any write was tried (no error box).
        assert app.screen is app.screen_stack[0]
    assert (confined.parent / "secret.toml").read_bytes() == secret
    assert sorted(p.name for p in confined.parent.iterdir()) == ["outside", "profiles",
                                                                 "secret.toml"]
    assert load_profile(confined / "medical-partners.toml").name == "Medical Partner Models"


@pytest.mark.parametrize("index", range(5))
async def test_opening_outside_the_folder_is_refused(confined, index):
    target = outside_targets(confined)[index]
    async with running(confined / "medical-partners.toml") as (app, pilot):
        await pilot.press("ctrl+o")
        picker = await wait_for(pilot, FilePicker)
        await pilot.press(*target, "enter")
        await pilot.pause(0.1)
        assert app.screen is picker  # still asking
        help_line = str(picker.query_one("#picker-help", Label).render())
        assert "outside the profiles folder" in help_line
        assert picker.query_one("#picker-path", Input).value == ""
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert app.form.values()["name"] == "Medical Partner Models"
        assert app.path == confined / "medical-partners.toml"


async def test_compare_adds_nothing_from_outside(confined):
    async with running(confined / "medical-partners.toml") as (_app, pilot):
        await pilot.press("f2")
        screen = await wait_for(pilot, CompareScreen)
        await pilot.press("a")
        picker = await wait_for(pilot, FilePicker)
        for target in [*outside_targets(confined), str(confined.parent / "outside")]:
            await pilot.press(*target, "enter")
        assert picker.chosen == []
        await pilot.press("escape")
        await wait_for(pilot, CompareScreen)
        await pilot.pause(0.2)
        assert not any("secret" in str(r.source) or "other" in str(r.source)
                       for r in screen.state.rows)


async def test_a_new_profile_saves_into_the_folder_under_its_cleaned_name(confined):
    # As in the terminal (test_app_files.py): the name becomes a safe file name, and the
    # file lands in the session's folder, whatever the name says.
    async with running(None) as (app, pilot):
        await type_into(app, pilot, "name", "../../Evil Name")
        await pilot.press("ctrl+s")
        prompt = await wait_for(pilot, PathPrompt)
        assert ".." not in prompt.query_one(Input).value
        await pilot.press("enter")
        await pilot.pause(0.2)
    assert load_profile(confined / "evil-name.toml").name == "../../Evil Name"
    assert sorted(p.name for p in confined.parent.iterdir()) == ["outside", "profiles",
                                                                 "secret.toml"]
