"""The gtmcompass terminal app: the profile form beside live results, files, compare, what-if.

Start-up is arranged so the first frame does not wait for the core: the form is built from
the file's raw TOML (stdlib ``tomllib``) and the contract's vocabularies (``vocab``), and
only after that frame does a worker import pydantic, numpy and the engine (about 300 ms),
load the file properly, and score it; the form's later groups are mounted once that result
is drawn, so the main thread leaves the interpreter lock to the worker meanwhile. Every later edit is validated on the main thread
(about 0.1 ms) and scored in a worker thread (about 1 ms), so typing never waits.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.containers import Horizontal
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Footer, Header
from textual.worker import Worker, WorkerState, get_current_worker

from gtmcompass.io import reading, tomlguard
from gtmcompass.tui.form_fields import widget_values
from gtmcompass.tui.keys import TranslatedBindings, key_name
from gtmcompass.tui.messages import (
    EngineChanged,
    LanguageChanged,
    ResultChanged,
    ValuesKept,
    WeightsChosen,
)
from gtmcompass.tui.widgets.form import ProfileForm
from gtmcompass.tui.widgets.results_panel import ContributionList, ResultsPanel
from gtmcompass.vocab.escape import terminal_safe
from gtmcompass.vocab.i18n import other, tr

if TYPE_CHECKING:
    from gtmcompass.io.files import Entry
    from gtmcompass.model.profile import Profile
    from gtmcompass.scoring.engine import Engine
    from gtmcompass.tui.checking import Checked
    from gtmcompass.tui.ondisk import DiskState
    from gtmcompass.tui.scored import Result, Scorer
    from gtmcompass.tui.screens.compare import CompareState

# A profile is about 1 KB; the first-frame preview skips anything over this and lets the
# core's loader (with its own size cap and messages) deal with it.
PREVIEW_MAX_BYTES = 1_000_000
PROFILES_FOLDER = "profiles"
# Where the form goes when the app stops on an internal error: beside the open file
# ("medical.toml" -> "medical.recovered.toml"), or in the current folder for a new profile.
RECOVERY_SUFFIX = ".recovered.toml"
UNTITLED_RECOVERY = "untitled.recovered.toml"
# App actions, in the order the command palette lists them.
# Columns under which the main screen stacks the results below the form.
NARROW_BELOW = 100
COMMANDS = ("help", "new", "open", "save", "save_as", "compare", "whatif", "decide",
            "weights", "language", "report", "screenshot", "results", "quit")
# Actions that only make sense on the editor screen.
EDITOR_ONLY = {"new", "open", "save", "save_as", "compare", "whatif", "report", "screenshot",
               "results", "decide"}


def preview_values(path: Path) -> dict[str, object] | None:
    """The form's values from a file's raw TOML, or None if it cannot be previewed.

    The file is read by the io layer's one reader (``reading.read_file``: regular files only,
    opened non-blocking, capped), so ``/dev/zero`` no longer read until MemoryError and a FIFO
    no longer froze the app before its first frame. ``tomlguard`` refuses what plain
    ``tomllib`` could not survive: a 200 KB dotted key took over 20 GB before the first frame,
    and a 5,000-digit integer raised a ValueError that ended the app (test_app_abuse.py). The
    core's loader then says what is wrong.
    """
    try:
        data = reading.read_file(path, limit=PREVIEW_MAX_BYTES)
        doc = tomlguard.loads(data.decode("utf-8").removeprefix("\ufeff"))
    except (OSError, ValueError):  # ValueError: not UTF-8, not TOML, refused by the guard
        return None
    return None if "profile" in doc else widget_values(doc)


# The io layer's folder check, which answers False instead of raising for a name over 255
# bytes (that took the app down on start-up, ``gtmcompass xxx...``, and in the save prompt).
is_dir = reading.is_folder


def exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def template_values(name: str) -> dict[str, object]:
    from gtmcompass.model.template import template_text

    return widget_values(tomllib.loads(template_text(name)))


def recovery_path_for(path: Path | None) -> Path:
    """The recovery file of ``path`` (None: a new profile)."""
    if path is None:
        return Path(UNTITLED_RECOVERY)
    return path.with_name(path.stem + RECOVERY_SUFFIX)


def pending_recovery(path: Path | None) -> Path | None:
    """The recovery file left by a crash on ``path``, if it is newer than ``path`` (a file
    saved since holds later work than the recovery file, which is then not offered)."""
    candidate = recovery_path_for(path)
    try:
        recovered = candidate.stat().st_mtime_ns
    except (OSError, ValueError):
        return None
    if path is not None:
        try:
            if recovered <= path.stat().st_mtime_ns:
                return None
        except (OSError, ValueError):
            pass  # the file is gone: the recovery file is all there is
    return candidate


def same_file(a: Path, b: Path | None) -> bool:
    if b is None:
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


class MainScreen(TranslatedBindings, Screen[None]):
    """The form and the results: the app's first screen, its footer in the app's language."""


class CompassApp(App[int], inherit_bindings=False):
    CSS_PATH = Path(__file__).with_name("compass.tcss")
    # Under 100 columns the form (56) and the results cannot stand side by side: every screen
    # gets "-narrow" and the stylesheets rearrange it (compass.tcss, each screen's CSS).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_BELOW, "-wide")]
    TITLE = "gtmcompass"
    # Not Textual's auto focus: focusing restyles every ancestor (:focus-within), about 40 ms
    # with the whole form mounted. on_mount focuses the name box while only its group is.
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+n", "new", "New"),
        Binding("ctrl+o", "open", "Open"),
        Binding("ctrl+s", "save", "Save"),
        Binding("f12", "save_as", "Save as"),
        Binding("f2", "compare", "Compare"),
        Binding("f3", "whatif", "What-if"),
        Binding("f4", "language", "中文"),
        Binding("f5", "report", "Report"),
        # Kept out of the footer (palette and help list it) so 17 keys fit 120 columns.
        Binding("f6", "screenshot", "SVG", show=False),
        Binding("f7", "results", "Results"),
        Binding("f8", "decide", "Decide"),
        Binding("f9", "weights", "Weights"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        # Textual's palette key, shown (and translated) with the others.
        Binding("ctrl+p", "command_palette", "Palette", priority=True),
        # Textual's own: ctrl+c tells how to quit (it copies text in inputs).
        Binding("ctrl+c", "help_quit", show=False, system=True),
        # Focus moves as the app reads Tab, before it passes on the next key: as a plain
        # binding Tab ran only once it had bubbled up from the box, and digits typed just
        # after it went into the box being left (widgets/keys_in_order.py).
        Binding("tab", "focus_next", show=False, priority=True),
        Binding("shift+tab", "focus_previous", show=False, priority=True),
    ]

    def __init__(self, path: str | os.PathLike | None = None, *, lang: str = "en",
                 as_of_year: int | None = None) -> None:
        super().__init__()
        self.lang = lang
        self.as_of_year = as_of_year
        self.path: Path | None = None
        self.start_folder = Path(PROFILES_FOLDER) if Path(PROFILES_FOLDER).is_dir() else Path(".")
        self._startup_path: Path | None = None
        self._open_picker = False
        values = None
        if path is not None:
            given = Path(path)
            if is_dir(given):
                self.start_folder = given
                self._open_picker = True
            else:
                self._startup_path = given
                self.start_folder = given.parent
                values = preview_values(given)
        self._preview_ok = values is not None
        self.start_values = values if values is not None else template_values(
            tr("app.new_name", lang))
        self.scorer: Scorer | None = None
        # The weights in use were changed by hand (Weights screen) and saved nowhere: quitting
        # asks, as it does for the profile (they live only in this session).
        self.weights_edited = False
        self.core_ready = asyncio.Event()
        self.baseline: Profile | None = None  # as last loaded or saved: "unsaved" compares to it
        self.disk_state: DiskState | None = None  # the open file as last read or written
        self.checked: Checked | None = None
        self.last_valid: Profile | None = None
        self.result: Result | None = None
        self._edited_early = False
        self._generation = 0
        self._shown_generation = 0
        self._edit_started = time.perf_counter()
        self.latencies: list[float] = []  # ms from an edit to its result on screen
        self.compare_state: CompareState | None = None
        self._form_focus: Widget | None = None  # where F7 returns to in the form
        self.form = ProfileForm(self.start_values, lang, id="form")
        self.panel = ResultsPanel(lang, id="results")

    # -- layout and start-up -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="main"):
            yield self.form
            yield self.panel
        yield Footer(compact=True, show_command_palette=False)

    def get_default_screen(self) -> Screen:
        return MainScreen(id="_default")

    def on_mount(self) -> None:
        self._update_title()
        # Focused before the first frame, with only the first group mounted the restyle is
        # cheap; focused after it, the focus change recomposed the footer's 17 keys while the
        # core loaded, and the first result came about 90 ms later (benchmarks/bench_app.py).
        name = self.form.control("name")
        if name is not None and not self._open_picker:
            name.focus()
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        self._load_core()

    @work(thread=True, group="core", exit_on_error=False)
    def _load_core(self) -> None:
        from gtmcompass.io.files import load_path
        from gtmcompass.tui.ondisk import read_state
        from gtmcompass.tui.scored import Scorer
        from gtmcompass.tui.widgets import detail  # noqa: F401  warm the imports

        scorer = Scorer(as_of_year=self.as_of_year)
        path = self._startup_path
        # Read before the profile: a change in between then shows as one at the next save.
        state = read_state(path) if path is not None else None
        entries = load_path(path) if path is not None else None
        self.call_from_thread(self._core_loaded, scorer, entries, state)

    def _core_loaded(self, scorer: Scorer, entries: list[Entry] | None,
                     state: DiskState | None = None) -> None:
        from gtmcompass.model.profile import to_document
        from gtmcompass.tui.checking import check

        self.scorer = scorer
        self.core_ready.set()
        path = self._startup_path
        failure = None if entries is None or path is None else self._load_failure(entries, path)
        if entries is not None and path is not None and failure is None:
            self.path = path
            self.disk_state = state
            self.baseline = entries[0].profile
            if not self._preview_ok:
                self.form.set_values(widget_values(to_document(self.baseline)))
        else:
            if failure is not None:
                self.start_values = template_values(tr("app.new_name", self.lang))
                self.form.set_values(self.start_values)
                shown = terminal_safe(str(path))
                self.push_screen(self._error(tr("files.load_failed", self.lang, path=shown),
                                             failure))
            self.baseline = check(self.start_values).profile
        self._revalidate()
        if self.checked is None or self.checked.profile is None:
            self._mount_rest()  # no result is coming to wait for
        if self._open_picker:
            self.action_open()
        elif failure is None:
            recovered = pending_recovery(self.path)
            if recovered is not None:
                self.offer_recovery(recovered)

    def _load_failure(self, entries: list[Entry], path: Path) -> list[str] | None:
        if len(entries) != 1:
            return [f"{path}: " + tr("files.batch_file", self.lang, n=len(entries))]
        if not entries[0].ok:
            return [str(e) for e in entries[0].errors]
        return None

    def _error(self, title: str, lines: list[str]) -> ModalScreen:
        from gtmcompass.tui.screens.dialogs import ErrorScreen

        return ErrorScreen(title, lines, self.lang)

    # -- editing and scoring -------------------------------------------------------------

    @on(ProfileForm.Edited, "#form")
    def _edited(self, event: ProfileForm.Edited) -> None:
        self._edit_started = time.perf_counter()
        if self.scorer is None:
            self._edited_early = True
            self._update_title()
            return
        self._revalidate()

    def _revalidate(self) -> None:
        from gtmcompass.tui.checking import check

        checked = check(self.form.values(), self.source)
        self.checked = checked
        self.form.show_errors(checked.errors, checked.general)
        if checked.profile is not None:
            self.last_valid = checked.profile
            self._generation += 1
            self._score(checked.profile, self._generation, self._edit_started)
        elif self.result is None:
            self.panel.show(None, stale=checked.count)
        self.panel.set_stale(checked.count)
        self._update_title()

    @property
    def result_is_current(self) -> bool:
        """The result on screen is that of the latest valid edit (none is still scoring)."""
        return self._shown_generation >= self._generation

    @work(thread=True, exclusive=True, group="score", exit_on_error=False)
    def _score(self, profile: Profile, generation: int, started: float) -> None:
        assert self.scorer is not None
        result = self.scorer.score([profile])[0]
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._show_result, result, generation, started)

    def _show_result(self, result: Result, generation: int, started: float) -> None:
        if generation <= self._shown_generation:
            return  # an older edit's result arriving after a newer one
        self._shown_generation = generation
        self.result = result
        stale = self.checked.count if self.checked is not None else 0
        self.panel.show(result, stale)
        self.form.show_result(result)
        self._mount_rest()
        self.latencies.append((time.perf_counter() - started) * 1000.0)
        if self.last_valid is not None:
            profile = self.last_valid
            self.broadcast(lambda: ResultChanged(result, profile))

    def _mount_rest(self) -> None:
        """The form's later groups, after the first result is drawn. Mounting them is about
        300 ms of the main thread; done while the core loaded in its worker, the two shared
        the interpreter lock and the first result came 1.9 s after launch instead of 1.2 s
        (benchmarks/bench_app.py)."""
        self.call_after_refresh(self.form.mount_later_groups)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self._mount_rest()
            # A bug must not take the typed profile with it: say so and keep going.
            self.notify(f"{event.worker.name}: {event.worker.error}", severity="error",
                        timeout=10, markup=False)

    # -- state shown in the title --------------------------------------------------------

    @property
    def source(self) -> str:
        return str(self.path) if self.path is not None else "<new profile>"

    @property
    def display_name(self) -> str:
        # The title reaches the terminal: an escape sequence in a file name must not act.
        if self.path is None:
            return tr("app.untitled", self.lang)
        return terminal_safe(self.path.name)

    @property
    def dirty(self) -> bool:
        if self.scorer is None or self.checked is None:
            return self._edited_early
        return self.checked.profile is None or self.checked.profile != self.baseline

    def _update_title(self) -> None:
        mark = f"  ● {tr('app.unsaved', self.lang)}" if self.dirty else ""
        weights = ""
        if self.scorer is not None:
            weights = "  · " + tr("weights.current", self.lang,
                                  name=terminal_safe(self.scorer.engine.weights_name))
        self.sub_title = f"{self.display_name}{mark}{weights}"

    def broadcast(self, make: Callable[[], Message]) -> None:
        """Tell every screen above the editor; each gets a message of its own (a message
        carries its own handling state, so one instance is not posted twice)."""
        for screen in self.screen_stack[1:]:
            screen.post_message(make())

    @on(WeightsChosen)
    def _weights_chosen(self, event: WeightsChosen) -> None:
        self.weights_edited = event.edited
        self.use_engine(event.engine)

    @on(ValuesKept)
    def _values_kept(self, event: ValuesKept) -> None:
        self.form.set_values(event.values)
        self.notify(tr("whatif.kept", self.lang))

    def use_engine(self, engine: Engine) -> None:
        """Score with ``engine`` from now on (new weights): re-score, and tell the screens."""
        from gtmcompass.tui.scored import Scorer

        scorer = Scorer(engine)
        self.scorer = scorer
        if self.last_valid is not None:
            self._generation += 1
            self._edit_started = time.perf_counter()
            self._score(self.last_valid, self._generation, self._edit_started)
        self._update_title()
        self.broadcast(lambda: EngineChanged(scorer))

    # -- bindings, palette, language -----------------------------------------------------

    def _allowed(self, action: str, screen: Screen) -> bool:
        if action not in COMMANDS:
            return True
        if isinstance(screen, ModalScreen):
            return False
        return action not in EDITOR_ONLY or screen is self.screen_stack[0]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._allowed(action, self.screen)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for action in COMMANDS:
            if self._allowed(action, screen):
                # The short name leads, so typing "help" or "save" finds that command first.
                if action == "language":
                    title = tr("cmd.language_title", self.lang)
                else:
                    title = f"{tr(f'key.{action}', self.lang)}: {tr(f'cmd.{action}', self.lang)}"
                key = next(b.key for b in self.BINDINGS if isinstance(b, Binding)
                           and b.action == action)
                yield SystemCommand(title, key_name(key), getattr(self, f"action_{action}"))
        # Textual's own Quit would be a second, untranslated entry beside ours.
        yield from (command for command in super().get_system_commands(screen)
                    if command.callback != self.action_quit)

    def action_language(self) -> None:
        self.lang = other(self.lang)
        self.form.apply_language(self.lang)
        self.panel.apply_language(self.lang)
        self.broadcast(lambda: LanguageChanged(self.lang))
        self._update_title()
        self.screen.refresh_bindings()

    def notify(self, message: str, *, title: str = "", severity: str = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        # Messages carry paths, names and error text from files: plain text unless a caller
        # asks otherwise. As markup, a path holding "[/]" raised MarkupError in the toast.
        super().notify(message, title=title, severity=severity,  # type: ignore[arg-type]
                       timeout=timeout, markup=markup)

    def action_command_palette(self) -> None:
        from textual.command import CommandList, CommandPalette

        class Palette(CommandPalette):
            # Textual 8.2.8: PageUp/PageDown arriving before the list is laid out (typed
            # ahead, or keys bunched by a slow SSH link) looked up a line not there yet and
            # ended the app with a KeyError. These bindings replace the palette's own for
            # the two keys and move only a list that has an area to lay its lines out in.
            BINDINGS = [
                Binding("pagedown", "page(1)", "Next page", show=False),
                Binding("pageup", "page(-1)", "Previous page", show=False),
            ]

            def action_page(self, direction: int) -> None:
                commands = self.query_one(CommandList)
                if not commands.option_count or not commands.scrollable_content_region:
                    return  # nothing laid out yet, so nothing to move
                if direction > 0:
                    commands.action_page_down()
                else:
                    commands.action_page_up()

        # Not only on top: a palette lower in the stack holds the same id, and a second one
        # raised DuplicateIds.
        if self.use_command_palette and not any(
                isinstance(screen, CommandPalette) for screen in self.screen_stack):
            self.push_screen(Palette(id="--command-palette"))

    def action_help(self) -> None:
        from gtmcompass.tui.keys import binding_sections
        from gtmcompass.tui.screens.compare import CompareScreen
        from gtmcompass.tui.screens.decide import DecideScreen, FlipList
        from gtmcompass.tui.screens.help import HelpScreen
        from gtmcompass.tui.screens.picker import FilePicker
        from gtmcompass.tui.screens.weights import WeightsScreen, WeightTable
        from gtmcompass.tui.screens.whatif import WhatIfScreen

        sections = binding_sections([
            ("help.keys.everywhere", [CompassApp]),
            ("help.keys.results", [ContributionList]),
            ("help.keys.compare", [CompareScreen]),
            ("help.keys.whatif", [WhatIfScreen]),
            ("help.keys.files", [FilePicker]),
            ("help.keys.decide", [DecideScreen, FlipList]),
            ("help.keys.weights", [WeightsScreen, WeightTable]),
        ], self.lang)
        self.push_screen(HelpScreen(self.lang, sections))

    def action_results(self) -> None:
        focused = self.focused
        in_results = focused is not None and self.panel in focused.ancestors_with_self
        if in_results:
            target = self._form_focus or self.form.control("name")
        else:
            self._form_focus = focused if focused is not None and self.form in \
                focused.ancestors_with_self else None
            flags = self.panel.query_one("#flags")
            contributions = self.panel.query_one("#contributions", ContributionList)
            target = contributions if contributions.option_count else flags
        if target is not None:
            target.focus()
        # On a narrow screen the results' lists have no room beside the form: they take the
        # whole screen while they have focus (F7 or Esc gives the form back).
        if in_results:
            self.screen.minimize()
        elif self.screen.has_class("-narrow"):
            self.screen.maximize(self.panel, container=False)

    # -- files ---------------------------------------------------------------------------

    async def _confirm(self, message: str, choices: list[tuple[str, str]],
                       default: int = 0) -> str:
        from gtmcompass.tui.screens.dialogs import ConfirmScreen

        return await self.push_screen_wait(ConfirmScreen(message, choices, self.lang, default))

    async def _confirm_discard(self) -> bool:
        answer = await self._confirm(
            tr("confirm.discard", self.lang, name=self.display_name),
            [("discard", tr("button.discard", self.lang)),
             ("cancel", tr("button.cancel", self.lang))], default=1)
        return answer == "discard"

    async def _ask_target(self, title: str, default: Path) -> Path | None:
        """A path to write to; asks before replacing a file other than the open profile."""
        from gtmcompass.tui.screens.dialogs import PathPrompt

        target = await self.push_screen_wait(PathPrompt(title, default, self.lang))
        if target is None:
            return None
        from gtmcompass.io.confine import allowed

        if not allowed(target):  # a browser session writes only its folder (io/confine.py)
            self.notify(tr("files.outside", self.lang, path=terminal_safe(str(target))),
                        severity="error", markup=False)
            return None
        if is_dir(target):
            self.notify(tr("files.is_folder", self.lang, path=terminal_safe(str(target))),
                        severity="error", markup=False)
            return None
        if exists(target) and not same_file(target, self.path):
            answer = await self._confirm(
                tr("confirm.overwrite", self.lang, path=terminal_safe(str(target))),
                [("overwrite", tr("button.overwrite", self.lang)),
                 ("cancel", tr("button.cancel", self.lang))], default=1)
            if answer != "overwrite":
                return None
        return target

    def load_values(self, values: dict[str, object], path: Path | None,
                    baseline: Profile | None, state: DiskState | None = None) -> None:
        self.path = path
        self.disk_state = state
        if path is not None:
            self.start_folder = path.parent
        self.baseline = baseline
        self.form.set_values(values)

    @work(group="dialog", exclusive=True)
    async def action_new(self) -> None:
        from gtmcompass.tui.checking import check

        await self.core_ready.wait()
        if not await self._settle_unsaved("confirm.new", "button.discard"):
            return
        values = template_values(tr("app.new_name", self.lang))
        self.load_values(values, None, check(values).profile)

    @work(group="dialog", exclusive=True)
    async def action_open(self) -> None:
        from gtmcompass.tui.screens.picker import FilePicker

        paths = await self.push_screen_wait(FilePicker("open", self.start_folder, self.lang))
        if paths:
            await self.open_path(paths[0])

    async def open_path(self, path: Path, confirm: bool = True) -> bool:
        """Load one profile file; on any problem say why and keep the current profile.
        ``confirm``: ask before unsaved edits are replaced."""
        from gtmcompass.io.files import load_path
        from gtmcompass.model.profile import to_document
        from gtmcompass.tui.ondisk import read_state

        await self.core_ready.wait()
        state = read_state(path)
        entries = load_path(path)
        failure = self._load_failure(entries, path)
        if failure is not None:
            await self.push_screen_wait(self._error(
                tr("files.load_failed", self.lang, path=terminal_safe(str(path))),
                failure + ["", tr("files.load_kept", self.lang)]))
            return False
        if confirm and self.dirty and not await self._confirm_discard():
            return False
        profile = entries[0].profile
        assert profile is not None
        self.load_values(widget_values(to_document(profile)), path, profile, state)
        self.notify(tr("files.opened", self.lang, path=terminal_safe(str(path))), markup=False)
        return True

    @work(group="dialog", exclusive=True)
    async def action_save(self) -> None:
        await self.save(ask_path=None)

    @work(group="dialog", exclusive=True)
    async def action_save_as(self) -> None:
        await self.save(ask_path=True)

    async def _check_disk(self, target: Path) -> str:
        """Before the open file is overwritten: "overwrite" when nothing would be lost, else
        what the user chose. Another program's change since the file was read asks overwrite,
        reload or save as; a file with comments says they are not kept (saves write values
        only, as the README says) and asks once, as the saved file has none."""
        from gtmcompass.tui.ondisk import read_state

        now = read_state(target)
        if now is None:
            return "overwrite"  # gone or unreadable: writing it loses nothing of its
        if self.disk_state is not None and not now.same_content(self.disk_state):
            return await self._confirm(
                tr("confirm.changed_outside", self.lang, path=target),
                [("overwrite", tr("button.overwrite", self.lang)),
                 ("reload", tr("button.reload", self.lang)),
                 ("save_as", tr("button.save_as", self.lang)),
                 ("cancel", tr("button.cancel", self.lang))], default=3)
        if now.comments:
            return await self._confirm(
                tr("confirm.comments_lost", self.lang, path=target),
                [("overwrite", tr("button.save", self.lang)),
                 ("cancel", tr("button.cancel", self.lang))])
        return "overwrite"

    async def save(self, ask_path: bool | None) -> bool:
        """Save the form; ``ask_path`` None asks for a name only for a profile without a file."""
        from gtmcompass.io.files import SaveError, safe_file_stem, save_profile
        from gtmcompass.tui.ondisk import read_state

        await self.core_ready.wait()
        if ask_path is None:
            # Decided once the core has loaded the file: before that ``path`` is still None,
            # and ctrl+s pressed in the first second asked for a new file name.
            ask_path = self.path is None
        checked = self.checked
        if checked is None or checked.profile is None:
            count = checked.count if checked is not None else 0
            first = checked.first() if checked is not None else ""
            self.notify(tr("files.cannot_save", self.lang, n=count, first=first),
                        severity="error", timeout=8, markup=False)
            self.form.focus_first_error()
            return False
        profile = checked.profile
        target = self.path
        if ask_path or target is None:
            default = target or self.start_folder / f"{safe_file_stem(profile.name)}.toml"
            target = await self._ask_target(tr("files.save_as_title", self.lang), default)
            if target is None:
                return False
            if not target.suffix:
                target = target.with_suffix(".toml")
        if self.path is not None and same_file(target, self.path):
            choice = await self._check_disk(target)
            if choice == "reload":
                await self.open_path(target, confirm=False)
                return False
            if choice == "save_as":
                return await self.save(ask_path=True)
            if choice != "overwrite":
                return False
        try:
            save_profile(profile, target)
        except SaveError as exc:
            await self.push_screen_wait(self._error(tr("files.save_failed", self.lang),
                                                    [str(exc)]))
            return False
        self.disk_state = read_state(target)
        self.path = target
        self.start_folder = target.parent
        self.baseline = profile
        self._update_title()
        self.notify(tr("files.saved", self.lang, path=terminal_safe(str(target))), markup=False)
        return True

    async def _settle_unsaved(self, question: str, discard: str) -> bool:
        """Before the profile is left: unsaved edits offer Save, ``discard`` (a button's
        message key) or Cancel. True to go on (saved, or dropped on purpose)."""
        if not self.dirty:
            return True
        answer = await self._confirm(
            tr(question, self.lang, name=self.display_name),
            [("save", tr("button.save", self.lang)),
             ("discard", tr(discard, self.lang)),
             ("cancel", tr("button.cancel", self.lang))])
        if answer == "save":
            return await self.save(ask_path=None)
        return answer == "discard"

    async def _settle_weights(self) -> bool:
        """Before quitting: weights edited and saved nowhere offer Save, Quit or Cancel."""
        if not self.weights_edited or self.scorer is None:
            return True
        from gtmcompass.tui.screens.weights import save_weight_set

        engine = self.scorer.engine
        answer = await self._confirm(
            tr("confirm.quit_weights", self.lang, name=terminal_safe(engine.weights_name)),
            [("save", tr("button.save", self.lang)),
             ("discard", tr("button.quit_without_saving", self.lang)),
             ("cancel", tr("button.cancel", self.lang))])
        if answer == "save":
            saved = await save_weight_set(self, engine, self.lang)
            if saved is None:
                return False
            self.weights_edited = False
            self.use_engine(saved)
            return True
        return answer == "discard"

    @work(group="dialog", exclusive=True)
    async def action_quit(self) -> None:
        if not await self._settle_unsaved("confirm.quit", "button.quit_without_saving"):
            return
        if not await self._settle_weights():
            return
        self.exit(0)

    # -- crashes and recovery --------------------------------------------------------

    def recovery_text(self) -> str:
        """The form as TOML, exactly as typed: invalid values stay as the text in the box, so
        nothing typed is lost even when the profile would not validate."""
        import tomli_w

        from gtmcompass.model.profile import SCHEMA_VERSION
        from gtmcompass.tui.form_fields import build_document

        return tomli_w.dumps(build_document(self.form.values(), SCHEMA_VERSION))

    def recover_after_crash(self) -> int:
        """After the app stopped on an internal error: write the unsaved profile to its
        recovery file (atomically), say where on standard error, and return the status."""
        from gtmcompass.io.files import SaveError, atomic_write_text
        from gtmcompass.model.problems import printable
        from gtmcompass.vocab.exits import ExitCode

        if not self.dirty:
            line = tr("app.crashed_clean", self.lang)
        else:
            target = recovery_path_for(self.path)
            try:
                # A lone surrogate typed or pasted into a box is kept as "\udce9", not lost.
                atomic_write_text(target, self.recovery_text(), errors="backslashreplace")
            except SaveError as exc:
                line = tr("app.crashed_unsaved", self.lang, reason=printable(str(exc)))
            except Exception as exc:  # noqa: BLE001  a broken form: said, never a second crash
                line = tr("app.crashed_unsaved", self.lang,
                          reason=printable(f"{type(exc).__name__}: {exc}"))
            else:
                line = tr("app.crashed_recovered", self.lang, path=printable(str(target)))
        print(line, file=sys.stderr)
        return ExitCode.CRASHED

    @work(group="dialog", exclusive=True)
    async def offer_recovery(self, recovered: Path) -> None:
        """Ask whether to restore what a crash left in ``recovered``, discard it, or keep it
        for later (Escape)."""
        from gtmcompass.io.files import load_path_bytes

        answer = await self._confirm(
            tr("recovery.question", self.lang, name=self.display_name, path=recovered),
            [("restore", tr("button.restore", self.lang)),
             ("discard", tr("button.discard", self.lang)),
             ("keep", tr("button.keep_for_later", self.lang))])
        if answer == "keep":
            return
        if answer == "restore":
            data, error = load_path_bytes(recovered)
            values = None
            if data is not None:
                try:
                    doc = tomlguard.loads(data.decode("utf-8").removeprefix("\ufeff"))
                    values = widget_values(doc)
                except ValueError as exc:  # not UTF-8, not TOML, refused by the guard
                    problem = f"{recovered}: {exc}"
            else:
                problem = str(error)
            if values is None:
                await self.push_screen_wait(self._error(
                    tr("files.load_failed", self.lang, path=recovered),
                    [problem, "", tr("files.load_kept", self.lang)]))
                return
            # The file stays the one the form saves to; the restored values are unsaved.
            self.form.set_values(values)
        try:
            recovered.unlink()
        except OSError:
            pass  # already gone, or a read-only folder: it is offered again, nothing lost
        key = "recovery.restored" if answer == "restore" else "recovery.discarded"
        self.notify(tr(key, self.lang, path=recovered), markup=False)

    # -- exports -------------------------------------------------------------------------

    @property
    def _stem(self) -> str:
        from gtmcompass.io.files import safe_file_stem

        if self.path is not None:
            return self.path.stem
        return safe_file_stem(self.last_valid.name if self.last_valid else "profile")

    @work(group="dialog", exclusive=True)
    async def action_report(self) -> None:
        await self.core_ready.wait()
        if self.result is None or self.last_valid is None or self.scorer is None:
            self.notify(tr("files.no_result", self.lang), severity="error")
            return
        # The very report ``gtmcompass report`` writes, for the profile and weights on
        # screen; its flip search and plan take tens of ms, so they run off the UI thread.
        # Not a Textual thread worker awaited with ``Worker.wait()``: when another dialog
        # replaces this one (the group is exclusive), the cancellation reaches the awaited
        # worker's task and Textual 8.2.8's ``wait()`` turns it into ``WorkerCancelled``, an
        # exception that ended the app. ``to_thread`` lets the cancellation through as it is.
        from gtmcompass.render.report import report_text

        text = await asyncio.to_thread(report_text, self.scorer.engine, self.last_valid,
                                       "markdown", self.lang, self.source)
        await self._export(text, "files.export_md_title", Path(f"{self._stem}-report.md"))

    @work(group="dialog", exclusive=True)
    async def action_screenshot(self) -> None:
        # Taken before the path prompt opens, so the picture is the screen the user saw.
        svg = self.export_screenshot(title=f"gtmcompass: {self.display_name}")
        await self._export(svg, "files.export_svg_title", Path(f"{self._stem}.svg"))

    async def _export(self, text: str, title_key: str, default: Path) -> None:
        """Ask where to write an export, write it atomically, and say what happened."""
        from gtmcompass.io.files import SaveError, atomic_write_text

        target = await self._ask_target(tr(title_key, self.lang), default)
        if target is None:
            return
        try:
            atomic_write_text(target, text)
        except SaveError as exc:
            await self.push_screen_wait(self._error(tr("files.save_failed", self.lang),
                                                    [str(exc)]))
            return
        self.notify(tr("files.exported", self.lang, path=terminal_safe(str(target))), markup=False)

    # -- compare and what-if -------------------------------------------------------------

    @work(group="dialog", exclusive=True)
    async def action_compare(self) -> None:
        from gtmcompass.tui.screens.compare import CompareScreen, CompareState

        await self.core_ready.wait()
        assert self.scorer is not None
        if self.compare_state is None:
            self.compare_state = CompareState()
        current = (self.source, self.last_valid) if self.last_valid is not None else None
        chosen = await self.push_screen_wait(CompareScreen(
            self.compare_state, self.scorer, self.start_folder, self.lang, current))
        if chosen is not None:
            await self.open_path(chosen)

    @work(group="dialog", exclusive=True)
    async def action_whatif(self) -> None:
        from gtmcompass.model.profile import to_document
        from gtmcompass.tui.screens.whatif import WhatIfScreen

        await self.core_ready.wait()
        assert self.scorer is not None
        start = self.last_valid
        if start is None:
            self.notify(tr("files.no_result", self.lang), severity="error")
            return
        saved = self.baseline if self.path is not None and self.baseline is not None else None
        kept = await self.push_screen_wait(WhatIfScreen(
            widget_values(to_document(start)), saved or start,
            self.path.name if saved is not None and self.path is not None else None,
            self.scorer, self.lang))
        if kept is not None:
            self.post_message(ValuesKept(kept))

    # -- decide and weights --------------------------------------------------------------

    @work(group="dialog", exclusive=True)
    async def action_decide(self) -> None:
        from gtmcompass.tui.screens.decide import DecideScreen

        await self.core_ready.wait()
        assert self.scorer is not None
        if self.last_valid is None:
            self.notify(tr("files.no_result", self.lang), severity="error")
            return
        self.push_screen(DecideScreen(self.scorer, self.last_valid, self.lang))

    @work(group="weights")
    async def action_weights(self) -> None:
        from gtmcompass.tui.screens.weights import WeightsScreen

        await self.core_ready.wait()
        if any(isinstance(s, WeightsScreen) for s in self.screen_stack):
            return
        assert self.scorer is not None
        self.push_screen(WeightsScreen(self.scorer, self.lang))
