"""The investor's view: many profiles side by side, sortable by any column.

Profiles come from files, batch files and folders (through the same loader as
``gtmcompass score``, so a broken file is reported and skipped exactly as there) and from
the profile open in the editor. All rows are scored in one engine call in a worker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Static
from textual.worker import get_current_worker

from gtmcompass.tui.keys import TranslatedBindings
from gtmcompass.tui.messages import EngineChanged
from gtmcompass.tui.screens.dialogs import LiveScreen
from gtmcompass.vocab.escape import terminal_safe
from gtmcompass.vocab.i18n import tr

if TYPE_CHECKING:
    from gtmcompass.model.profile import Profile
    from gtmcompass.tui.scored import Result, Scorer

# Column id, and what a row sorts by in that column.
COLUMNS = ("name", "b_private", "b_api", "c_domestic", "c_overseas", "to_b", "to_c",
           "verdict", "confidence", "flags", "source")
NUMERIC = {"b_private", "b_api", "c_domestic", "c_overseas", "to_b", "to_c", "confidence",
           "flags"}


@dataclass
class Row:
    source: str
    profile: Profile
    result: Result | None = None
    current: bool = False  # the profile open in the editor

    def sort_value(self, column: str) -> object:
        r = self.result
        if column == "name":
            return self.profile.name.casefold()
        if column == "source":
            return self.source
        if r is None:
            return 0
        if column in ("b_private", "b_api", "c_domestic", "c_overseas"):
            return r.score(column)
        if column == "verdict":
            return (r.side, r.play)
        if column == "flags":
            return len(r.flags)
        return getattr(r, column)


@dataclass
class CompareState:
    """Kept by the app between visits, so the investor's list survives a trip to the editor."""

    rows: list[Row] = field(default_factory=list)
    sort_column: str = "to_b"
    descending: bool = True
    skipped: list[str] = field(default_factory=list)


class CompareScreen(TranslatedBindings, LiveScreen, Screen["Path | None"]):
    DEFAULT_CSS = """
    CompareScreen .compare-body {
        height: 1fr;
        border: round $panel-lighten-2;
        border-title-color: $accent;
        border-title-style: bold;
    }
    CompareScreen #table {
        height: 1fr;
    }
    CompareScreen #compare-status {
        color: $text-muted;
        padding: 0 1;
    }
    CompareScreen #compare-detail {
        height: 8;
        padding: 0 1;
        border-top: solid $panel-lighten-2;
    }
    """
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("a", "add", "Add"),
        Binding("c", "add_current", "Add open"),
        Binding("d,delete", "remove", "Remove"),
        Binding("s", "sort", "Sort"),
        Binding("r", "reverse", "Reverse"),
        Binding("enter", "edit", "Edit"),
    ]

    def __init__(self, state: CompareState, scorer: Scorer, start: Path, lang: str,
                 current: tuple[str, Profile] | None) -> None:
        super().__init__(id="compare")
        self.state = state
        self.scorer = scorer
        self.start = start
        self.lang = lang
        self.current = current

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="compare-body") as body:
            body.border_title = tr("compare.title", self.lang)
            yield DataTable(id="table", cursor_type="row", zebra_stripes=True)
            yield Label("", id="compare-status")
            yield Static("", id="compare-detail")
        yield Footer(compact=True, show_command_palette=False)

    AUTO_FOCUS = "#table"

    def on_mount(self) -> None:
        if self.current is not None:
            self._set_current(*self.current)
        self._rebuild()
        self._score()

    # -- rows ----------------------------------------------------------------------------

    def _set_current(self, source: str, profile: Profile) -> None:
        rows = [r for r in self.state.rows if not r.current]
        rows.insert(0, Row(source, profile, current=True))
        self.state.rows = rows

    def add_entries(self, entries: list) -> None:
        """Files' entries (``files.Entry``): the valid ones become rows, the rest are listed."""
        known = {r.source for r in self.state.rows}
        for entry in entries:
            if not entry.ok:
                self.state.skipped.append(
                    f"{terminal_safe(entry.source)}: {entry.errors[0].detail()}")
            elif entry.source not in known:
                self.state.rows.append(Row(entry.source, entry.profile))
                known.add(entry.source)
        self._rebuild()
        self._score()

    @work(thread=True, exclusive=True, group="compare-score")
    def _score(self) -> None:
        rows = [r for r in self.state.rows if r.result is None]
        if not rows:
            return
        results = self.scorer.score([r.profile for r in rows])
        if get_current_worker().is_cancelled:
            return
        for row, result in zip(rows, results):
            row.result = result
        self.app.call_from_thread(self._rebuild)

    def _sorted(self) -> list[Row]:
        column = self.state.sort_column
        return sorted(self.state.rows, key=lambda r: r.sort_value(column),  # type: ignore[arg-type,return-value]
                      reverse=self.state.descending)

    def _rebuild(self) -> None:
        if not self.query("#table"):
            # Keys typed ahead (Enter, d, s, r) can reach this screen's bindings before it has
            # composed its table, or after it closed: nothing to show yet, or any more. A
            # query_one here raised NoMatches and ended the app (test_app_abuse.py).
            return
        table = self.query_one("#table", DataTable)
        keep = self._cursor_source()
        table.clear(columns=True)
        for column in self.columns:
            label = self._column_label(column)
            if column == self.state.sort_column:
                label += " ▼" if self.state.descending else " ▲"
            # Under 100 columns a long name would push the verdict off the screen.
            width = 24 if column == "name" and self.has_class("-narrow") else None
            table.add_column(label, key=column, width=width)
        rows = self._sorted()
        for row in rows:
            cells = self._cells(row)
            table.add_row(*(cells[c] for c in self.columns), key=row.source)
        sources = [r.source for r in rows]
        if keep in sources:
            table.move_cursor(row=sources.index(keep))
        self._status()
        self._detail()

    def _column_label(self, column: str) -> str:
        if column in ("b_private", "b_api", "c_domestic", "c_overseas"):
            return tr(f"play_short.{column}", self.lang)
        if column in ("to_b", "to_c"):
            return tr(f"side.{column}", self.lang)
        return tr(f"compare.col.{column}", self.lang)

    def on_resize(self) -> None:
        # Crossing 100 columns changes which columns there are (``columns``).
        self.call_after_refresh(self._rebuild)

    @property
    def columns(self) -> tuple[str, ...]:
        """The table's columns: under 100 columns the sides' scores (each the best of two
        plays shown beside them) make room for the verdict and the confidence."""
        if self.has_class("-narrow"):
            return tuple(c for c in COLUMNS if c not in ("to_b", "to_c"))
        return COLUMNS

    def _cells(self, row: Row) -> dict[str, object]:
        # Names and paths are Text, not str: DataTable parses a str cell as Rich markup, and a
        # profile named "[/]" raised MarkupError and ended the app (test_app_abuse.py).
        name = Text(terminal_safe(row.profile.name)
                    + (" " + tr("compare.current", self.lang) if row.current else ""))
        source = Text(terminal_safe(row.source))
        r = row.result
        if r is None:
            return {"name": name, **{c: "…" for c in COLUMNS[1:-1]}, "source": source}
        plays = [Text(f"{r.score(p):.1f}", style="bold" if p == r.play else "",
                      justify="right")
                 for p in ("b_private", "b_api", "c_domestic", "c_overseas")]
        play = tr(f"play_short.{r.play}", self.lang)
        # The colour already says the side; under 100 columns the play's name is enough.
        verdict = Text(play if self.has_class("-narrow")
                       else f"{tr(f'side.{r.side}', self.lang)} · {play}",
                       style="green" if r.side == "to_b" else "magenta")
        flags = Text(str(len(r.flags)), style="bold red" if r.flags else "green", justify="right")
        return dict(zip(COLUMNS, [name, *plays, Text(f"{r.to_b:.1f}", justify="right"),
                                  Text(f"{r.to_c:.1f}", justify="right"), verdict,
                                  Text(f"{r.confidence:.0%}", justify="right"), flags, source]))

    def _cursor_source(self) -> str | None:
        if not self.query("#table"):
            return None  # not composed yet, or closed (see _rebuild)
        table = self.query_one("#table", DataTable)
        if not table.row_count:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:  # the cursor can sit past the end while rows are rebuilt
            return None
        return key.value

    def _row(self, source: str | None) -> Row | None:
        return next((r for r in self.state.rows if r.source == source), None)

    def _status(self) -> None:
        parts = [tr("compare.sorted_by", self.lang, column=self._column_label(self.state.sort_column),
                    direction=tr("compare.descending" if self.state.descending
                                 else "compare.ascending", self.lang))]
        if self.state.skipped:
            parts.append(tr("compare.skipped", self.lang, n=len(self.state.skipped),
                            first=self.state.skipped[0]))
        if not self.state.rows:
            parts = [tr("compare.empty", self.lang)]
        self.query_one("#compare-status", Label).update(Text("  ·  ".join(parts)))

    def _detail(self) -> None:
        from gtmcompass.model.catalogue import load_catalogue
        from gtmcompass.model.wording import text

        row = self._row(self._cursor_source())
        detail = self.query_one("#compare-detail", Static)
        if row is None or row.result is None:
            detail.update("")
            return
        r = row.result
        out = Text()
        out.append(f"{terminal_safe(row.profile.name)}: ", style="bold")
        from gtmcompass.tui.panel_text import verdict_headline

        out.append(verdict_headline(r, self.lang))
        # Without enough information there is no confidence to give.
        confidence = (f", {tr('results.confidence', self.lang)} {r.confidence:.0%}"
                      if not r.insufficient else "")
        out.append(confidence + "\n")
        if not r.flags:
            out.append(tr("results.no_flags", self.lang), style="green")
        cat = load_catalogue()
        for fid in r.flags:
            flag = cat.flag_by_id(fid)
            out.append("▲ ", style="bold red" if flag.severity == "high" else "yellow")
            out.append(f"{text(flag, self.lang)} ({fid})\n")
        detail.update(out)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._detail()

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        column = str(event.column_key.value)
        if column == self.state.sort_column:
            self.state.descending = not self.state.descending
        else:
            self.state.sort_column = column
            self.state.descending = column in NUMERIC
        self._rebuild()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_edit()

    # -- actions -------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(None)

    @work(group="compare-dialog")
    async def action_add(self) -> None:
        from gtmcompass.io.files import load_all
        from gtmcompass.tui.screens.picker import FilePicker

        paths = await self.app.push_screen_wait(FilePicker("add", self.start, self.lang))
        if paths:
            self.add_entries(load_all([str(p) for p in paths]))

    def action_add_current(self) -> None:
        if self.current is not None:
            self._set_current(*self.current)
            self._rebuild()
            self._score()

    def action_remove(self) -> None:
        source = self._cursor_source()
        self.state.rows = [r for r in self.state.rows if r.source != source]
        self._rebuild()

    def action_sort(self) -> None:
        i = COLUMNS.index(self.state.sort_column)
        self.state.sort_column = COLUMNS[(i + 1) % len(COLUMNS)]
        self.state.descending = self.state.sort_column in NUMERIC
        self._rebuild()

    def action_reverse(self) -> None:
        self.state.descending = not self.state.descending
        self._rebuild()

    def action_edit(self) -> None:
        row = self._row(self._cursor_source())
        if row is None:
            return
        if row.current:
            self.dismiss(None)
        elif "#" not in row.source and Path(row.source).is_file():
            self.dismiss(Path(row.source))

    def on_engine_changed(self, event: EngineChanged) -> None:
        # Every row is scored again under the new weights.
        self.scorer = event.scorer
        for row in self.state.rows:
            row.result = None
        self._rebuild()
        self._score()

    def apply_language(self, lang: str) -> None:
        self.lang = lang
        self.refresh_bindings()
        self.query_one(".compare-body").border_title = tr("compare.title", lang)
        self._rebuild()
