"""The app under abuse: long seeded random key sequences into every form field and every
screen. The app must never crash, freeze or lose a worker to an exception, and the profile
it saves afterwards must load back exactly.

Keys go in two ways: through ``Pilot.press`` (which waits for the app after every key, about
80 ms each) for a realistic sequence, and in bursts posted straight to the driver, pausing
every ``BURST`` keys, for volume; bursts are a fast typist or a paste, harsher than Pilot.
Typed characters never include ``/``, ``.`` or ``~``, so a path typed into a save or export
prompt can only name a file in the test's own folder (the working directory).
"""

from __future__ import annotations

import asyncio

import os
import random
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from textual import events
from textual.keys import KEY_NAME_REPLACEMENTS, key_to_character
from textual.screen import ModalScreen
from textual.worker import Worker, WorkerState

from gtmcompass.io.files import load_profile
from gtmcompass.model.profile import to_document
from gtmcompass.tui.app import CompassApp
from gtmcompass.tui.form_fields import FIELDS, widget_values
from tests.conftest import PROFILES
from tests.hardening.conftest import count

# Keys per field; a screen sequence is six times as long. The default suite sends about
# 3,000 keys in about 45 s; GTMCOMPASS_APP_KEYS=400 is a deeper run (about 15,000 keys).
FIELD_KEYS = int(os.environ.get("GTMCOMPASS_APP_KEYS", "40"))
SCREEN_KEYS = 6 * FIELD_KEYS
SCREEN_SEEDS = int(os.environ.get("GTMCOMPASS_APP_SEEDS", "3"))
BURST = 20
SIZE = (120, 45)

TEXT = list("abcxyzQ019-+_eE,;:'\"!@#$%^&*()[]{}<>=|\\? ") + ["中", "文", "é", "[/]", "[red]"]
EDIT = ["backspace", "delete", "left", "right", "home", "end", "ctrl+a", "ctrl+e", "ctrl+k",
        "ctrl+u", "ctrl+w", "shift+left", "shift+right", "space"]
NAV = ["up", "down", "pageup", "pagedown", "enter", "escape", "tab", "shift+tab"]
# Every binding of the app and its screens but two: ctrl+q (quitting ends the test; not a
# bug) and ctrl+p. Textual's own command palette does not survive keys typed ahead into it:
# a command it runs can push a screen before the palette closes, and its closing then pops
# that screen (ScreenStackError) or its list worker loses its widgets (NoMatches). Those are
# Textual's (8.2.8) to fix; test_palette_page_keys_typed_ahead covers the one the app works
# around, and the palette is otherwise driven at Pilot's pace.
SCREENS = ["f1", "f2", "f3", "f4", "f5", "f6", "f7", "f12", "ctrl+s", "ctrl+o", "ctrl+n",
           "ctrl+c", "question_mark", "a", "c", "d", "s", "r", "p", "ctrl+t", "ctrl+l", "q"]


def expand_keys(keys: list[str]) -> list[str]:
    """Multi-character items ("[/]") become their characters."""
    out: list[str] = []
    for key in keys:
        out.extend(key if key in ("[/]", "[red]") else [key])
    return out


def key_event(key: str) -> events.Key:
    """The event Pilot.press would post for ``key``, built from Textual's public names: a
    punctuation character is named as Textual names it ("[" is "left_square_bracket")."""
    if len(key) == 1 and not key.isalnum():
        try:
            name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
        except ValueError:  # a control character has no name; Textual calls tab "tab"
            name = {"\t": "tab"}.get(key, key)
        return events.Key(KEY_NAME_REPLACEMENTS.get(name, name), key)
    return events.Key(key, key_to_character(key))


async def burst(app, pilot, keys: list[str], stall: float = 10.0) -> None:
    """Post ``keys`` to the app, pausing for it every BURST keys; no pause may last ``stall``
    seconds (BURST keys that open screens take about 0.3 s; a frozen app takes minutes)."""
    for i, key in enumerate(keys, start=1):
        event = key_event(key)
        event.set_sender(app)
        # Queued as the terminal driver queues it, without waiting for the app between keys.
        app.post_message(event)
        if i % BURST == 0 or i == len(keys):
            # Textual's number boxes once froze here for minutes on 25 digits and a letter: a
            # wait that never ends fails, naming the keys it waited on.
            try:
                await asyncio.wait_for(pilot.pause(), timeout=stall)
            except TimeoutError:
                raise AssertionError(f"the app never settled after "
                                     f"{keys[max(0, i - BURST):i]}") from None
    count("keys pressed", len(keys))
    count("key sequences sent")


class Watched(CompassApp):
    """The app, recording any worker that died of an exception (the app only notifies)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.worker_errors: list[str] = []

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.worker_errors.append(f"{event.worker.name}: {event.worker.error!r}")
        super().on_worker_state_changed(event)


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """A working directory holding two profiles; every file the app writes lands here."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(PROFILES / "tender-veteran.toml", tmp_path / "start.toml")
    shutil.copy(PROFILES / "domestic-chatbot.toml", tmp_path / "other.toml")
    return tmp_path


async def ready(app, pilot) -> None:
    await app.core_ready.wait()
    await pilot.pause()
    # Lazily mounted groups: wait until every field has its widget.
    for _ in range(100):
        if all(app.form.control(path) is not None for path in FIELDS):
            return
        await pilot.pause(0.02)
    raise AssertionError("the form never finished mounting")


async def back_to_editor(app, pilot) -> None:
    """Escape out of every dialog, screen, menu and palette."""
    for _ in range(30):
        if len(app.screen_stack) == 1 and not isinstance(app.screen, ModalScreen):
            break
        await burst(app, pilot, ["escape"])
    assert len(app.screen_stack) == 1
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def save_and_reload(app, pilot, target: Path) -> bool:
    """Ctrl+S to ``target``: a valid form saves a file that loads as exactly that profile;
    an invalid one saves nothing. Returns whether a file was saved."""
    await back_to_editor(app, pilot)
    if target.exists():
        target.unlink()
    app.path = target
    checked = app.checked
    await burst(app, pilot, ["ctrl+s"])
    await back_to_editor(app, pilot)
    if checked is not None and checked.profile is not None:
        assert target.exists(), (app.focused, app.screen)
        assert load_profile(target) == checked.profile
        return True
    assert not target.exists()
    return False


async def repair_and_save(app, pilot, target: Path, good: dict) -> None:
    """Reset the fields that hold errors to a known good value; then the save must work."""
    values = app.form.values()
    for path in app.checked.errors if app.checked else {}:
        values[path] = good[path]
    if app.checked is not None and app.checked.general:
        values = dict(good, name=values["name"], notes=values["notes"])
    app.form.set_values(values)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert await save_and_reload(app, pilot, target), app.checked


def field_keys(rng: random.Random, n: int) -> list[str]:
    pool = TEXT * 3 + EDIT * 2 + NAV
    return expand_keys([rng.choice(pool) for _ in range(n)]) + ["escape"]


async def test_random_keys_into_every_form_field(workdir):
    """Every field: focused, then FIELD_KEYS seeded random keys (text, editing, navigation)."""
    good = widget_values(to_document(load_profile(workdir / "start.toml")))
    app = Watched(str(workdir / "start.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        saved = 0
        for i, path in enumerate(FIELDS):
            rng = random.Random(f"field {path}")
            await back_to_editor(app, pilot)
            app.form.control(path).focus()
            await pilot.pause()
            await burst(app, pilot, field_keys(rng, FIELD_KEYS))
            if i % 10 == 9:
                saved += await save_and_reload(app, pilot, workdir / f"after-{i}.toml")
        await save_and_reload(app, pilot, workdir / "abused.toml")
        await repair_and_save(app, pilot, workdir / "repaired.toml", good)
        assert app.worker_errors == []
        print(f"{len(FIELDS)} fields, {saved} of {len(FIELDS) // 10} saves mid-way were valid")


@pytest.mark.parametrize("seed", range(SCREEN_SEEDS))
async def test_random_keys_across_every_screen(workdir, seed):
    """SCREEN_KEYS keys mixing every binding (help, compare, what-if, language, report, SVG,
    results, save as, open, new, palette) with typing and navigation inside whatever opens."""
    good = widget_values(to_document(load_profile(workdir / "start.toml")))
    rng = random.Random(f"screens {seed}")
    pool = SCREENS * 2 + NAV * 3 + TEXT + EDIT
    keys = expand_keys([rng.choice(pool) for _ in range(SCREEN_KEYS)])
    app = Watched(str(workdir / "start.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        for start in range(0, len(keys), 60):
            await burst(app, pilot, keys[start:start + 60])
        await save_and_reload(app, pilot, workdir / "abused.toml")
        await repair_and_save(app, pilot, workdir / "repaired.toml", good)
        assert app.worker_errors == []
    # Anything the random keys saved or exported is in this folder and, if a profile, loads.
    for path in workdir.rglob("*.toml"):
        assert path.is_relative_to(workdir)
        load_profile(path)


async def test_a_realistic_sequence_through_pilot_press(workdir):
    """The same kind of abuse at human pace: every key waits for the app (Pilot.press)."""
    rng = random.Random("pilot")
    app = Watched(str(workdir / "start.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        for path in ("name", "funding.cash", "sector.vertical"):
            app.form.control(path).focus()
            keys = field_keys(rng, 12)
            await pilot.press(*keys)
            count("keys pressed", len(keys))
            count("key sequences sent")
        await save_and_reload(app, pilot, workdir / "pilot.toml")
        assert app.worker_errors == []


async def test_long_numbers_never_freeze_a_number_box(workdir):
    """40 digits and a letter, or 30.30 digits and a letter: refused at once, not in minutes."""
    app = Watched(str(workdir / "start.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        for path, kept, refused in (("team.headcount", "1" * 40, "x"),
                                    ("funding.cash", "1" * 30 + "." + "1" * 30, "x"),
                                    ("market.cac", "1" * 25 + "e" + "1" * 25, "-x")):
            box = app.form.control(path)
            box.focus()
            box.value = ""
            await burst(app, pilot, [*kept, *refused], stall=2.0)
            assert box.value == kept
        # 40 digits are more than any team: the form says so instead of scoring it.
        assert "expected a number from 1 to 10,000,000" in app.checked.errors["team.headcount"]


@pytest.mark.parametrize(("name", "extra"), [
    ("[/] [red]R \\u001b[2J", ""),                      # markup and an escape in the name
    ("x", '"[/]" = 1\n"[bold]k" = 2\n'),                  # markup in an error message
    ("x", "".join(f"k{i} = 1\n" for i in range(500))),   # 500 problems in one file
    ("x", "notes = '" + "[/]" * 6000 + "'\n"),            # 18,000 characters of markup
], ids=["markup-name", "markup-keys", "500-problems", "markup-notes"])
async def test_hostile_files_open_and_show_without_crashing(workdir, name, extra):
    """A file whose name, keys or notes look like Rich markup: shown as text, never parsed."""
    lines = (workdir / "start.toml").read_text().splitlines(keepends=True)
    lines = [f'name = "{name}"\n' if line.startswith("name =") else line for line in lines
             if not (line.startswith("notes =") and "notes" in extra)]
    text = "".join(lines).replace("[funding]", extra + "[funding]", 1)
    # The file's path is markup too ("[/]" across a folder "[" and a file "]hostile.toml"):
    # it is shown in the title, dialogs and the compare table.
    (workdir / "[").mkdir()
    hostile = workdir / "[" / "]hostile.toml"
    hostile.write_text(text)
    app = Watched(str(hostile))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.pause()
        for key in ("f1", "escape", "f4", "f7", "f7", "f4", "f3", "escape", "f2", "c", "a",
                    "escape", "escape", "f6", "escape", "ctrl+s"):
            await burst(app, pilot, [key])
        await back_to_editor(app, pilot)
        assert app.worker_errors == []
        # A file that loaded was saved over itself by Ctrl+S (its toast names the path); one
        # that did not left a new profile in the form, whose save prompt Escape closed.
        if app.path == hostile:
            assert load_profile(hostile) == app.checked.profile
        else:
            assert app.path is None and hostile.read_text() == text


async def test_palette_page_keys_typed_ahead(workdir):
    """Ctrl+P then PageUp in one burst (typed ahead, or bunched by a slow SSH link): Textual
    8.2.8 raised KeyError from the palette's list before it was laid out, ending the app."""
    app = Watched(str(workdir / "start.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        for keys in (["ctrl+p", "pageup"], ["ctrl+p", "x", "pagedown"], ["ctrl+p", "pagedown"]):
            await burst(app, pilot, [*keys, "escape"])
        # The palette still works: "help" and Enter run a command (it opens a screen).
        await burst(app, pilot, ["ctrl+p", *"help"])
        await pilot.pause(0.3)
        await burst(app, pilot, ["enter"])
        await pilot.pause(0.3)
        assert len(app.screen_stack) == 2 and "Palette" not in type(app.screen).__name__
        await back_to_editor(app, pilot)
        assert app.worker_errors == []


@pytest.mark.parametrize("kind", ["5000-digit integer", "300-character name", "dotted-key bomb"])
async def test_the_app_starts_on_any_path(workdir, kind):
    """Each of these ended the app before its first frame: the raw-TOML preview let
    int() raise ValueError, Path.is_dir raised OSError (ENAMETOOLONG), and a 200 KB dotted
    key made tomllib take over 20 GB. Now the error dialog says what is wrong."""
    if kind == "5000-digit integer":
        path = workdir / "bigint.toml"
        path.write_text((workdir / "start.toml").read_text().replace(
            "headcount = 600", "headcount = 1" + "0" * 5000))
    elif kind == "300-character name":
        path = workdir / ("x" * 300)
    else:
        path = workdir / "bomb.toml"
        path.write_text("a" + ".a" * 100_000 + " = 1\n")
    app = Watched(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert type(app.screen).__name__ == "ErrorScreen"
        await back_to_editor(app, pilot)
        assert app.path is None and app.worker_errors == []


def test_the_preview_refuses_the_dotted_key_bomb_within_a_memory_limit(workdir):
    """Under a 1 GB address-space limit the preview answers None; raw tomllib would need 20."""
    bomb = workdir / "bomb.toml"
    bomb.write_text("a" + ".a" * 100_000 + " = 1\n")
    code = ("import resource, sys\n"
            "resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))\n"
            "from pathlib import Path\n"
            "from gtmcompass.tui.app import preview_values\n"
            f"print(preview_values(Path({str(bomb)!r})))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert (proc.returncode, proc.stdout) == (0, "None\n"), proc.stderr[-500:]


async def test_a_save_path_too_long_for_the_disk_is_an_error_dialog(workdir):
    app = Watched(str(workdir / "start.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await burst(app, pilot, ["f12"])
        await pilot.pause(0.2)
        app.screen.query_one("#path-input").value = "y" * 300
        await burst(app, pilot, ["enter"])
        for _ in range(50):  # the save worker waits on the dialog, so wait for the dialog
            if type(app.screen).__name__ == "ErrorScreen":
                break
            await pilot.pause(0.05)
        assert type(app.screen).__name__ == "ErrorScreen"
        assert "File name too long" in str(app.screen.lines)
        await back_to_editor(app, pilot)
        assert app.path == workdir / "start.toml" and app.worker_errors == []


async def test_a_second_palette_over_a_screen_opened_from_the_first(workdir):
    """Keys typed ahead let the palette run a command (help) whose screen opened over the
    still-open palette; Ctrl+P there pushed a second palette with the same id: DuplicateIds."""
    app = Watched(str(workdir / "start.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        app.action_command_palette()
        await pilot.pause()
        app.action_help()
        await pilot.pause()
        app.action_command_palette()  # a palette is open, below the help screen
        await pilot.pause()
        assert [type(s).__name__ for s in app.screen_stack] == ["MainScreen", "Palette", "HelpScreen"]
        await back_to_editor(app, pilot)
        assert app.worker_errors == []


async def test_screens_closed_or_driven_before_they_are_ready(workdir):
    """What-if closed before its first score arrived, and Compare's keys (Enter, d, s, r)
    arriving before its table was composed: each raised NoMatches and ended the app. The
    races are reproduced exactly: the late score is delivered by hand after the screen has
    gone, and Compare's actions run in the same tick as its push."""
    from gtmcompass.model.profile import to_document as doc_of
    from gtmcompass.tui.screens.compare import CompareScreen, CompareState
    from gtmcompass.tui.screens.whatif import WhatIfScreen

    app = Watched(str(workdir / "start.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        profile = app.last_valid
        whatif = WhatIfScreen(widget_values(doc_of(profile)), profile, None, app.scorer, "en")
        app.push_screen(whatif)
        await pilot.pause()
        result = app.scorer.score([profile])[0]
        whatif.dismiss(None)
        await pilot.pause()
        whatif._set_results(result, result)  # the worker's answer, arriving late
        compare = CompareScreen(CompareState(), app.scorer, workdir, "en",
                                (str(workdir / "start.toml"), profile))
        app.push_screen(compare)
        for action in (compare.action_edit, compare.action_remove, compare.action_sort,
                       compare.action_reverse):
            action()
        await pilot.pause()
        await back_to_editor(app, pilot)
        assert app.worker_errors == []
