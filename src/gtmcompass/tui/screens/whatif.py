"""What-if: edit a copy of the profile and see both results and the difference.

The baseline is the saved file (or, for a profile never saved, the profile as it was when
the what-if began). ctrl+t keeps the changed profile in the editor (unsaved), Escape
discards it. The editor is untouched until then.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from gtmcompass.tui.keys import TranslatedBindings
from gtmcompass.tui.messages import EngineChanged
from gtmcompass.tui.screens.dialogs import LiveScreen
from gtmcompass.tui.widgets.form import ProfileForm
from gtmcompass.vocab.escape import terminal_safe
from gtmcompass.vocab.i18n import tr

if TYPE_CHECKING:
    from gtmcompass.model.profile import Profile
    from gtmcompass.tui.scored import Diff, Result, Scorer


def _fit(label: str, cells: int, right: bool) -> str:
    """Pad by terminal cells, not characters: a Chinese character takes two."""
    room = " " * max(cells - cell_len(label), 1)
    return room + label if right else label + room


def _delta(value: float, digits: int = 1, percent: bool = False) -> Text:
    if abs(value) < 0.5 * 10 ** -digits:
        return Text("·", style="dim", justify="right")
    shown = f"{value:+.0%}" if percent else f"{value:+.{digits}f}"
    return Text(shown, style="green" if value > 0 else "red", justify="right")


def diff_text(diff: Diff, lang: str) -> Text:
    from gtmcompass.model.catalogue import load_catalogue
    from gtmcompass.model.wording import text
    from gtmcompass.scoring.features import PLAYS

    before, after = diff.before, diff.after
    out = Text()
    head = "".join(_fit(tr(f"whatif.col.{c}", lang), w, c != "play")
                   for c, w in (("play", 20), ("before", 9), ("after", 9), ("delta", 9)))
    head += "\n"
    out.append(head, style="bold")
    for play in PLAYS:
        name = tr(f"play.{play}", lang)
        pad = 20 - cell_len(name)
        out.append(name + " " * max(pad, 1))
        out.append(f"{before.score(play):9.1f}{after.score(play):9.1f}")
        delta = _delta(diff.score_delta(play))
        out.append(f"{delta.plain:>9}\n", style=delta.style)
    conf = tr("results.confidence", lang)
    pad = 20 - cell_len(conf)
    out.append(conf + " " * max(pad, 1))
    out.append(f"{before.confidence:9.0%}{after.confidence:9.0%}")
    delta = _delta(after.confidence - before.confidence, digits=2, percent=True)
    out.append(f"{delta.plain:>9}\n", style=delta.style)
    out.append(f"\n{tr('whatif.verdict', lang)}: ", style="bold")
    out.append(f"{tr(f'verdict.{before.verdict}', lang)} · {tr(f'side.{before.side}', lang)} · "
               f"{tr(f'play.{before.play}', lang)}")
    out.append("  →  ")
    changed = ((before.verdict, before.side, before.play)
               != (after.verdict, after.side, after.play))
    out.append(f"{tr(f'verdict.{after.verdict}', lang)} · {tr(f'side.{after.side}', lang)} · "
               f"{tr(f'play.{after.play}', lang)}\n",
               style="bold yellow" if changed else "")
    cat = load_catalogue()
    for key, ids, style in (("whatif.flags_added", diff.flags_added, "bold red"),
                            ("whatif.flags_removed", diff.flags_removed, "green")):
        if ids:
            out.append(f"\n{tr(key, lang)}\n", style="bold")
            for fid in ids:
                out.append(f"  ▲ {text(cat.flag_by_id(fid), lang)}\n", style=style)
    rows = diff.criterion_deltas(after.play)
    if diff.unchanged:
        out.append("\n" + tr("whatif.no_change", lang), style="dim")
    elif rows:
        out.append("\n" + tr("whatif.changes", lang, play=tr(f"play.{after.play}", lang)) + "\n",
                   style="bold")
        for cid, old, new in rows:
            name = text(cat.criterion_by_id(cid), lang)
            delta = _delta(new - old)
            out.append(f"  {name}: {old:.1f} → {new:.1f} ")
            out.append(delta.plain + "\n", style=delta.style)
    return out


class WhatIfScreen(TranslatedBindings, LiveScreen, Screen["dict[str, object] | None"]):
    DEFAULT_CSS = """
    WhatIfScreen #whatif-baseline {
        color: $text-muted;
        margin-bottom: 1;
    }
    """
    BINDINGS = [
        Binding("ctrl+t", "keep", "Keep", priority=True),
        Binding("escape", "discard", "Discard"),
    ]

    AUTO_FOCUS = "#whatif-form .control"

    def __init__(self, values: Mapping[str, object], baseline: Profile,
                 baseline_file: str | None, scorer: Scorer, lang: str) -> None:
        super().__init__(id="whatif")
        self.start_values = dict(values)
        self.baseline = baseline
        self.baseline_file = baseline_file  # None: the profile as it was when this began
        self.scorer = scorer
        self.lang = lang
        self.before: Result | None = None
        self.after: Result | None = None
        self.valid = True

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="main"):
            yield ProfileForm(self.start_values, self.lang, lazy=False, id="whatif-form")
            with Vertical(classes="results whatif-results") as box:
                box.border_title = tr("whatif.title", self.lang)
                yield Static(Text(self._baseline_label()), id="whatif-baseline")
                with VerticalScroll():
                    yield Static("", id="whatif-diff")
        yield Footer(compact=True, show_command_palette=False)

    def _baseline_label(self) -> str:
        if self.baseline_file is None:
            return tr("whatif.baseline_start", self.lang)
        return tr("whatif.baseline_saved", self.lang, name=terminal_safe(self.baseline_file))

    def on_mount(self) -> None:
        self._score(self.start_values)

    @on(ProfileForm.Edited)
    def _edited(self, event: ProfileForm.Edited) -> None:
        event.stop()
        self._score(event.form.values())

    def _score(self, values: Mapping[str, object]) -> None:
        from gtmcompass.tui.checking import check

        checked = check(values)
        form = self.query_one(ProfileForm)
        form.show_errors(checked.errors, checked.general)
        self.valid = checked.ok
        if checked.profile is not None:
            self._score_worker(checked.profile)
        else:
            self._show()

    @work(thread=True, exclusive=True, group="whatif-score")
    def _score_worker(self, profile: Profile) -> None:
        before, after = self.scorer.score([self.baseline, profile])
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._set_results, before, after)

    def _set_results(self, before: Result, after: Result) -> None:
        if not self.query("#whatif-diff"):
            # Dismissed (Escape) while the worker scored: its widgets are gone, and querying
            # them raised NoMatches in a worker (test_app_abuse.py, 1,200-key sequences).
            return
        self.before, self.after = before, after
        self.query_one(ProfileForm).show_result(after)
        self._show()

    def _show(self) -> None:
        from gtmcompass.tui.scored import Diff

        if self.before is None or self.after is None:
            return
        out = diff_text(Diff(self.before, self.after), self.lang)
        if not self.valid:
            errors = len(self.query_one(ProfileForm).errors)
            out = Text(tr("results.stale", self.lang, n=errors) + "\n\n",
                       style="bold yellow") + out
        self.query_one("#whatif-diff", Static).update(out)

    def action_keep(self) -> None:
        if not self.valid:
            self.query_one(ProfileForm).focus_first_error()
            return
        self.dismiss(self.query_one(ProfileForm).values())

    def action_discard(self) -> None:
        self.dismiss(None)

    def on_engine_changed(self, event: EngineChanged) -> None:
        # Both sides of the difference are scored again under the new weights.
        self.scorer = event.scorer
        self._score(self.query_one(ProfileForm).values())

    def apply_language(self, lang: str) -> None:
        self.lang = lang
        self.refresh_bindings()
        self.query_one(ProfileForm).apply_language(lang)
        self.query_one(".whatif-results").border_title = tr("whatif.title", lang)
        self.query_one("#whatif-baseline", Static).update(Text(self._baseline_label()))
        self._show()
