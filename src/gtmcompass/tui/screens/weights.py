"""The Weights screen (F9): criterion weights per play, AHP family comparisons, named sets.

- The table holds every criterion's signed weight for each play; Enter on a cell edits it,
  and a new engine with the new matrix (``Engine.with_weights``) goes to the app
  (``WeightsChosen``), which installs it and tells every screen (``EngineChanged``), so the
  editor's scores, the Decide view and the report follow (the set is then called ``custom`` until saved).
- The pairwise grid compares the five criterion families on Saaty's 1-9 scale (upper
  triangle; the lower one shows the reciprocals). Every change recomputes the AHP weights,
  lambda_max, CI and CR, with a warning above CR 0.10. F10 applies them with
  ``apply_family_weights`` to the catalogue's weights (not to the current ones, so applying
  twice does not compound).
- ctrl+s saves the current weights as a named set (``save_named_weights``: atomic; an existing
  name asks before it is replaced), ctrl+o loads one (``list_weight_sets`` /
  ``load_named_weights``), ctrl+r goes back to the catalogue.
- ctrl+g combines several saved sets, one per partner of a committee
  (``gtmcompass.decide.committee``: AIJ or AIP, Goepel's consensus); the table shows the
  combined weights, the line above it the consensus, and every result how many partners'
  own weights pick its play.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np
from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    OptionList,
    Select,
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from gtmcompass.tui.keys import TranslatedBindings
from gtmcompass.tui.messages import EngineChanged, WeightsChosen
from gtmcompass.tui.screens.dialogs import DialogScreen, LiveScreen, TextPrompt
from gtmcompass.tui.widgets.keys_in_order import OrderedInput
from gtmcompass.vocab.escape import terminal_safe
from gtmcompass.vocab.i18n import tr

if TYPE_CHECKING:
    from gtmcompass.decide import AHPResult
    from gtmcompass.io.weights import NamedWeights, WeightSet
    from gtmcompass.scoring.engine import Engine
    from gtmcompass.tui.scored import Scorer

# Saaty's scale as the grid offers it: 9 down to 1, then the reciprocals 1/2 to 1/9.
SAATY = tuple([str(v) for v in range(9, 0, -1)] + [f"1/{v}" for v in range(2, 10)])
CUSTOM = "custom"  # the name of weights edited by hand, until they are saved under a name
AHP_NAME = "ahp"
NAME_CELLS = 20  # criterion names in the table: 20 cells keep 4 play columns in 56 columns


def saaty_value(text: str) -> float:
    return float(Fraction(text))


def reweighted(engine: Engine, signed: np.ndarray, name: str, description: str = "") -> Engine:
    """``engine`` scoring with ``signed`` under ``name``.

    Raises ValueError (from ``Engine.with_weights``) when a play would keep no non-zero
    weight.
    """
    from gtmcompass.io.weights import from_matrix

    weight_set = from_matrix(name, np.asarray(signed, dtype=float), engine.catalogue,
                             description)
    return engine.with_weights(weight_set)


class NamePrompt(TextPrompt):
    """The name to save a weight set under (at most 120 characters, as weight files allow)."""

    def __init__(self, title: str, default: str, lang: str) -> None:
        super().__init__(title, default, tr("weights.name_help", lang), "name-input", 120)


def _set_line(entry: NamedWeights, described: bool = False) -> Text:
    """A saved set's file and name, with its description (``described``) or why it cannot
    be read."""
    line = Text(terminal_safe(entry.path.name), style="bold")
    ws = entry.weight_set
    gap = "\n  " if described else "  "
    if ws is None:
        line.append(f"{gap}{entry.error}", style="red")
        return line
    line.append(f"  {terminal_safe(ws.name)}")
    if described and ws.description:
        line.append(f"{gap}{terminal_safe(ws.description)}", style="dim")
    return line


class SavedSetsPrompt(DialogScreen):
    """A dialog over the saved weight sets; Escape answers None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, sets: list[NamedWeights], lang: str) -> None:
        super().__init__()
        self.sets = sets
        self.lang = lang

    def action_cancel(self) -> None:
        self.dismiss(None)


class LoadPrompt(SavedSetsPrompt):
    """The saved sets, one a line with its description (or why it cannot be read)."""

    def compose(self) -> ComposeResult:
        with self.titled_box(tr("weights.load_title", self.lang)):
            yield OptionList(*[Option(_set_line(entry, described=True), id=f"set-{i}",
                                      disabled=entry.weight_set is None)
                               for i, entry in enumerate(self.sets)], id="load-list")

    def on_mount(self) -> None:
        self.query_one("#load-list", OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.sets[int(str(event.option.id).removeprefix("set-"))])


class PartnerList(SelectionList):
    """Space marks a partner's set; Enter combines the marked ones."""

    BINDINGS = [Binding("enter", "combine", "Combine", show=False)]

    def action_combine(self) -> None:
        screen = self.screen
        if isinstance(screen, PartnersPrompt):
            screen.combine()


class PartnersPrompt(SavedSetsPrompt):
    """The saved sets to mark, one per partner of a committee."""

    def compose(self) -> ComposeResult:
        with self.titled_box(tr("weights.committee_title", self.lang)):
            yield PartnerList(*[Selection(_set_line(entry), i, False,
                                          disabled=entry.weight_set is None)
                                for i, entry in enumerate(self.sets)], id="partner-list")
            yield Static(tr("weights.committee_help", self.lang), classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(PartnerList).focus()

    def combine(self) -> None:
        marked = self.query_one(PartnerList).selected
        chosen = [self.sets[i].weight_set for i in sorted(marked)]
        if not chosen:
            self.app.notify(tr("weights.committee_none", self.lang), severity="warning")
            return
        self.dismiss([ws for ws in chosen if ws is not None])


class WeightTable(DataTable):
    BINDINGS = [Binding("enter", "edit_weight", "Edit weight")]

    def action_edit_weight(self) -> None:
        self.action_select_cursor()


class WeightsScreen(TranslatedBindings, LiveScreen, Screen[None]):
    DEFAULT_CSS = """
    WeightsScreen #weights-table-box {
        height: 1fr;
    }
    WeightsScreen #weights-current {
        text-style: bold;
        height: 1;
    }
    WeightsScreen WeightTable {
        height: 1fr;
    }
    WeightsScreen #weight-edit {
        height: 1;
        margin-top: 1;
    }
    WeightsScreen #weight-prompt {
        width: auto;
        max-width: 30;
        margin-right: 1;
        color: $accent;
    }
    WeightsScreen #weight-input {
        width: 1fr;
        height: 1;
        border: none;
        padding: 0;
    }
    WeightsScreen #weight-help {
        color: $text-muted;
        height: auto;
    }
    WeightsScreen #weight-error {
        color: $text-error;
        height: auto;
    }
    WeightsScreen #ahp-box {
        height: 1fr;
    }
    WeightsScreen #ahp-help {
        color: $text-muted;
        margin-bottom: 1;
    }
    WeightsScreen #ahp-grid {
        grid-size: 7;
        grid-columns: 13 8 8 8 8 8 7;
        grid-rows: 1;
        grid-gutter: 0 0;
        height: 6;
    }
    WeightsScreen #ahp-grid Static {
        width: 100%;
        height: 1;
    }
    WeightsScreen #ahp-grid .ahp-fixed {
        color: $text-muted;
        text-align: center;
    }
    WeightsScreen #ahp-grid .ahp-head {
        text-style: bold;
        text-align: center;
    }
    WeightsScreen #ahp-grid .ahp-weight {
        text-align: right;
        color: $accent;
    }
    WeightsScreen #ahp-grid Select {
        width: 8;
    }
    WeightsScreen #ahp-result {
        margin-top: 1;
        height: auto;
    }
    WeightsScreen #ahp-note {
        color: $text-muted;
        margin-top: 1;
        height: auto;
    }
    """
    BINDINGS = [
        Binding("escape,f9", "back", "Back"),
        Binding("f10", "apply_ahp", "Apply AHP"),
        Binding("ctrl+r", "reset_weights", "Reset"),
        Binding("ctrl+s", "save_set", "Save set", priority=True),
        Binding("ctrl+o", "load_set", "Load set", priority=True),
        Binding("ctrl+g", "committee", "Committee", priority=True),
    ]
    AUTO_FOCUS = "WeightTable"

    def __init__(self, scorer: Scorer, lang: str) -> None:
        from gtmcompass.decide import family_ids

        super().__init__(id="weights")
        self.scorer = scorer
        self.lang = lang
        self.families = family_ids(scorer.engine.catalogue)
        self.ahp: AHPResult | None = None
        self.ahp_error: str | None = None
        self._editing: tuple[str, str] | None = None  # (criterion, play) being edited

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="main"):
            with Vertical(classes="pane-main"):
                with Vertical(id="weights-table-box", classes="titled-box"):
                    yield Static("", id="weights-current")
                    yield WeightTable(id="weights-table", cursor_type="cell", zebra_stripes=True)
                    with Horizontal(id="weight-edit"):
                        yield Label("", id="weight-prompt")
                        yield OrderedInput("", id="weight-input", disabled=True)
                    yield Static("", id="weight-help")
                    yield Static("", id="weight-error")
            with Vertical(classes="pane-side"):
                with Vertical(id="ahp-box", classes="titled-box"):
                    yield Static("", id="ahp-help")
                    with Grid(id="ahp-grid"):
                        yield Static("", classes="ahp-head")
                        for j in range(len(self.families)):
                            yield Static("", id=f"ahp-col-{j}", classes="ahp-head")
                        yield Static("", id="ahp-col-weight", classes="ahp-head")
                        for i in range(len(self.families)):
                            yield Static("", id=f"ahp-row-{i}")
                            for j in range(len(self.families)):
                                if j > i:
                                    yield Select([(v, v) for v in SAATY], value="1",
                                                 allow_blank=False, compact=True,
                                                 id=f"ahp-{i}-{j}")
                                else:
                                    yield Static("1" if i == j else "", id=f"ahp-{i}-{j}",
                                                 classes="ahp-fixed")
                            yield Static("", id=f"ahp-w-{i}", classes="ahp-weight")
                    yield Static("", id="ahp-result")
                    yield Static("", id="ahp-note")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        if self not in self.app.screen_stack:
            return  # removed before it was composed: nothing to fill
        table = self.query_one(WeightTable)
        table.add_column("", key="criterion")
        from gtmcompass.scoring.features import PLAYS

        for play in PLAYS:
            table.add_column("", key=play)
        for c in self.scorer.engine.criteria:
            table.add_row("", *[""] * len(PLAYS), key=c.id)
        self._texts()
        self._fill_table()
        self._recompute_ahp()

    # -- showing ---------------------------------------------------------------------

    def _texts(self) -> None:
        from gtmcompass.model.catalogue import load_catalogue
        from gtmcompass.model.wording import text
        from gtmcompass.scoring.features import PLAYS

        lang = self.lang
        table = self.query_one(WeightTable)
        for play in PLAYS:
            table.columns[play].label = Text(tr(f"play_short.{play}", lang), justify="right")
        table.columns["criterion"].label = Text(tr("weights.col.criterion", lang))
        cat = load_catalogue()
        for c in self.scorer.engine.criteria:
            name = text(cat.criterion_by_id(c.id), lang)
            if cell_len(name) > NAME_CELLS:
                name = set_cell_size(name, NAME_CELLS - 1) + "…"
            table.update_cell(c.id, "criterion", name)
        table.refresh()
        self.query_one("#weights-table-box").border_title = tr("weights.table", lang)
        self.query_one("#ahp-box").border_title = tr("weights.ahp", lang)
        self.query_one("#ahp-help", Static).update(tr("weights.ahp_help", lang))
        self.query_one("#ahp-note", Static).update(tr("weights.ahp_note", lang))
        self.query_one("#weight-help", Static).update(tr("weights.edit_help", lang))
        for j, fam in enumerate(self.families):
            short = tr(f"family.{fam}", lang)
            # 7 cells and a gap: column heads sit side by side in 8-cell grid columns.
            head = short if cell_len(short) <= 7 else set_cell_size(short, 6) + "…"
            self.query_one(f"#ahp-col-{j}", Static).update(head)
            self.query_one(f"#ahp-row-{j}", Static).update(short)
        self.query_one("#ahp-col-weight", Static).update(tr("weights.ahp_weight", lang))
        self._show_name()
        self._show_prompt()

    def _show_name(self) -> None:
        engine = self.scorer.engine
        line = tr("weights.current", self.lang, name=engine.weights_name)
        if engine.committee is not None:
            from gtmcompass.decide.committee import summary_text

            view = engine.committee
            line += " · " + summary_text(len(view.partners), view.method, view.consensus,
                                         self.lang)
        self.query_one("#weights-current", Static).update(line)

    def _show_prompt(self) -> None:
        prompt = ""
        if self._editing is not None:
            from gtmcompass.model.catalogue import load_catalogue
            from gtmcompass.model.wording import text

            cid, play = self._editing
            name = text(load_catalogue().criterion_by_id(cid), self.lang)
            prompt = tr("weights.edit_prompt", self.lang, criterion=name,
                        play=tr(f"play_short.{play}", self.lang))
        self.query_one("#weight-prompt", Label).update(prompt)

    def _fill_table(self) -> None:
        from gtmcompass.scoring.features import PLAYS

        engine = self.scorer.engine
        base = _catalogue_matrix(engine)
        table = self.query_one(WeightTable)
        for j, c in enumerate(engine.criteria):
            for i, play in enumerate(PLAYS):
                w = float(engine.signed[i, j])
                changed = not np.isclose(w, base[i, j])
                style = "bold yellow" if changed else "dim" if w == 0 else ""
                table.update_cell(c.id, play, Text(f"{w:.1f}" if w else "·", style=style,
                                                   justify="right"))
        self._show_name()

    def choose(self, engine: Engine, edited: bool = False) -> None:
        """Ask the app to score with ``engine``. This screen goes on from it at once (a key
        typed next acts on these weights), and redraws when the app says it is installed.
        ``edited``: changed here and saved nowhere yet."""
        from gtmcompass.tui.scored import Scorer

        self.scorer = Scorer(engine)
        self.post_message(WeightsChosen(engine, edited))

    def on_engine_changed(self, event: EngineChanged) -> None:
        self.scorer = event.scorer
        if self.is_live:
            self._fill_table()

    # -- editing a weight ------------------------------------------------------------

    @on(DataTable.CellSelected, "#weights-table")
    def _cell_selected(self, event: DataTable.CellSelected) -> None:
        from gtmcompass.scoring.features import PLAYS

        cid, column = str(event.cell_key.row_key.value), str(event.cell_key.column_key.value)
        if column not in PLAYS:
            column = PLAYS[0]
        self._editing = (cid, column)
        w = self.scorer.engine.weight_table()[cid][column]
        box = self.query_one("#weight-input", Input)
        box.disabled = False
        box.value = f"{w:g}"
        self._show_prompt()
        self.query_one("#weight-error", Static).update("")
        box.focus()
        box.action_end()

    @on(Input.Submitted, "#weight-input")
    def _weight_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._editing is None:
            return
        if self.set_weight(*self._editing, event.value):
            self._editing = None
            event.input.value = ""
            event.input.disabled = True
            self._show_prompt()
            self.query_one(WeightTable).focus()

    def set_weight(self, criterion: str, play: str, raw: str) -> bool:
        """Set one weight from typed text; False (and the reason shown) if it is refused."""
        import math

        from gtmcompass.scoring.features import PLAYS

        error = self.query_one("#weight-error", Static)
        try:
            value = float(raw.strip().replace("−", "-"))
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or abs(value) > 1000:
            error.update(tr("weights.bad_number", self.lang, value=raw.strip() or "''"))
            return False
        engine = self.scorer.engine
        signed = engine.signed.copy()
        signed[PLAYS.index(play), engine.catalogue.criterion_ids.index(criterion)] = value
        try:
            changed = reweighted(engine, signed, CUSTOM)
        except ValueError:
            error.update(tr("weights.bad_matrix", self.lang, play=tr(f"play.{play}", self.lang)))
            return False
        self.choose(changed, edited=True)
        error.update("")
        return True

    # -- AHP -------------------------------------------------------------------------

    def judgements(self) -> dict[tuple[str, str], float]:
        out = {}
        for i in range(len(self.families)):
            for j in range(i + 1, len(self.families)):
                value = self.query_one(f"#ahp-{i}-{j}", Select).value
                out[(self.families[i], self.families[j])] = saaty_value(str(value))
        return out

    @on(Select.Changed)
    def _judged(self, event: Select.Changed) -> None:
        if str(event.select.id).startswith("ahp-"):
            self._recompute_ahp()

    def _recompute_ahp(self) -> None:
        from gtmcompass.decide import AHPError, ahp_weights, pairwise_matrix

        try:
            matrix = pairwise_matrix(self.families, self.judgements())
            self.ahp, self.ahp_error = ahp_weights(matrix), None
        except AHPError as exc:
            self.ahp, self.ahp_error = None, str(exc)
        n = len(self.families)
        for i in range(n):
            for j in range(i):
                value = self.query_one(f"#ahp-{j}-{i}", Select).value
                fraction = 1 / Fraction(str(value))
                self.query_one(f"#ahp-{i}-{j}", Static).update(str(fraction))
        self._show_ahp()

    def _show_ahp(self) -> None:
        out = Text()
        if self.ahp is None:
            out.append(self.ahp_error or "", style="bold red")
        else:
            for i, w in enumerate(self.ahp.weights):
                self.query_one(f"#ahp-w-{i}", Static).update(f"{w:.3f}")
            out.append(tr("weights.ahp_stats", self.lang, lmax=f"{self.ahp.lambda_max:.3f}",
                          ci=f"{self.ahp.ci:.3f}", cr=f"{self.ahp.cr:.3f}") + "\n", style="bold")
            warning = self.ahp.warning(self.lang)
            if warning:
                out.append("⚠ " + warning, style="bold red")
            else:
                out.append("✓ " + tr("weights.ahp_ok", self.lang), style="green")
        self.query_one("#ahp-result", Static).update(out)

    def action_apply_ahp(self) -> None:
        from gtmcompass.decide import apply_family_weights

        if self.ahp is None:
            return
        engine = self.scorer.engine
        family_weights = dict(zip(self.families, map(float, self.ahp.weights)))
        signed = apply_family_weights(_catalogue_matrix(engine), family_weights,
                                      engine.catalogue)
        shares = ", ".join(f"{f} {w:.3f}" for f, w in family_weights.items())
        self.choose(reweighted(engine, signed, AHP_NAME,
                        f"Family weights from pairwise comparisons (AHP, CR "
                        f"{self.ahp.cr:.3f}): {shares}"), edited=True)
        self.app.notify(tr("weights.applied_ahp", self.lang, cr=f"{self.ahp.cr:.2f}"))

    # -- named sets ------------------------------------------------------------------

    def action_reset_weights(self) -> None:
        from gtmcompass.scoring.engine import CATALOGUE_WEIGHTS

        engine = self.scorer.engine
        self.choose(reweighted(engine, _catalogue_matrix(engine), CATALOGUE_WEIGHTS))
        self.app.notify(tr("weights.reset_done", self.lang))

    @work(group="weights-dialog", exclusive=True)
    async def action_save_set(self) -> None:
        saved = await save_weight_set(self.app, self.scorer.engine, self.lang)
        if saved is not None:
            self.choose(saved)

    async def _ask_saved(self, prompt: type[SavedSetsPrompt]):
        """The answer of ``prompt`` over the saved sets, or None (and a note) with none."""
        from gtmcompass.io.weights import list_weight_sets, weights_dir

        sets = list_weight_sets(catalogue=self.scorer.engine.catalogue)
        if not sets:
            self.app.notify(tr("weights.none_saved", self.lang, folder=weights_dir()),
                            severity="warning")
            return None
        return await self.app.push_screen_wait(prompt(sets, self.lang))

    @work(group="weights-dialog", exclusive=True)
    async def action_load_set(self) -> None:
        from gtmcompass.io.weights import WeightsError, load_named_weights

        engine = self.scorer.engine
        chosen = await self._ask_saved(LoadPrompt)
        if chosen is None:
            return
        from gtmcompass.decide.committee import resolve

        try:
            # A file of AHP judgements is applied as the command line applies it.
            weight_set, _ = resolve(load_named_weights(chosen.path.stem,
                                                       catalogue=engine.catalogue),
                                    engine.catalogue)
        except WeightsError as exc:
            self.app.notify(str(exc), severity="error", timeout=10)
            return
        self.choose(reweighted(engine, weight_set.matrix(engine.catalogue), weight_set.name,
                               weight_set.description))
        self.app.notify(tr("weights.loaded", self.lang, name=terminal_safe(weight_set.name)),
                        markup=False)

    @work(group="weights-dialog", exclusive=True)
    async def action_committee(self) -> None:
        from gtmcompass.decide.committee import CommitteeError, combine

        engine = self.scorer.engine
        chosen = await self._ask_saved(PartnersPrompt)
        if not chosen:
            return
        try:
            committee = combine(chosen, engine.catalogue)
        except CommitteeError as exc:
            self.app.notify(str(exc), severity="error", timeout=10, markup=False)
            return
        self.choose(committee.on(engine))
        self.app.notify(committee.summary(self.lang), markup=False)

    # -- the rest --------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(None)

    def apply_language(self, lang: str) -> None:
        self.lang = lang
        self.refresh_bindings()
        self._texts()
        self._show_ahp()


async def save_weight_set(app: App, engine: Engine, lang: str) -> Engine | None:
    """Ask a name and save ``engine``'s weights under it; the engine renamed after the saved
    set, or None when cancelled or the save failed (said in a dialog). Called from a worker:
    the Weights screen's F-key and the app's quit both save through it."""
    from gtmcompass.io.files import SaveError
    from gtmcompass.io.weights import from_matrix, save_named_weights, weight_set_path
    from gtmcompass.tui.screens.dialogs import ConfirmScreen, ErrorScreen

    name = await app.push_screen_wait(NamePrompt(
        tr("weights.save_title", lang), engine.weights_name, lang))
    if name is None:
        return None
    path = weight_set_path(name)
    if path.exists():
        answer = await app.push_screen_wait(ConfirmScreen(
            tr("weights.overwrite", lang, name=name, path=path),
            [("overwrite", tr("button.overwrite", lang)),
             ("cancel", tr("button.cancel", lang))], lang, default=1))
        if answer != "overwrite":
            return None
    weight_set = from_matrix(name, engine.signed, engine.catalogue,
                             engine.weight_set.description)
    try:
        saved = save_named_weights(weight_set)
    except SaveError as exc:
        await app.push_screen_wait(ErrorScreen(tr("files.save_failed", lang), [str(exc)], lang))
        return None
    app.notify(tr("weights.saved", lang, name=name, path=saved))
    return reweighted(engine, engine.signed, name, weight_set.description)


def _catalogue_matrix(engine) -> np.ndarray:
    from gtmcompass.io.weights import WeightSet

    return WeightSet("catalogue").matrix(engine.catalogue)
