"""The Decide view (F8): what would flip the verdict, the action plan, how stable it is.

For the editor's current profile and the engine's current weights it shows

- flips: the smallest one-field and best two-field change after which another play (or the
  other side) wins, levers a startup can pull apart from pivots and fixed facts;
- the action plan: the recommended play's costliest gaps and raised red flags, each with a
  move, its gain in points, and (on selection) the evidence behind it;
- the win share of each play under plausible weightings, and a tornado chart of every weight's
  stability interval, drawn to the width of the terminal.

Flip search, the plan and the intervals take about 10 + 9 + 1 ms (medical-partners), so they
run in a worker thread, never on the thread that handles keys. The view recomputes whenever
the editor shows a new result (``ResultChanged``) or the weights change (``EngineChanged``). Enter on a flip or a move opens it in What-if against the profile as it
is, where ctrl+t keeps it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from gtmcompass.tui.keys import TranslatedBindings
from gtmcompass.tui.messages import EngineChanged, ResultChanged, ValuesKept
from gtmcompass.tui.screens.dialogs import LiveScreen
from gtmcompass.vocab.escape import fit
from gtmcompass.vocab.i18n import tr

if TYPE_CHECKING:
    from gtmcompass.decide import ActionPlan, Flip, FlipReport, PlanItem, Sensitivity
    from gtmcompass.model.profile import Profile
    from gtmcompass.tui.scored import Scorer

# The tornado's axis runs from 0 to this multiple of each weight's current size: most
# intervals of the example profiles end between 0.6x and 3.3x, so 3x keeps the current weight
# (1x) a third of the way along and still shows most upper ends; longer bars end in an arrow.
AXIS_MAX = 3.0
# A weight whose nearer interval end is within this share of its size is fragile (red), within
# twice this share shaky (yellow): a 25 % change of one weight is well inside the +-45 % a
# typical weight varies by in the confidence draws (README, "Confidence").
FRAGILE = 0.25
LABEL_CELLS = 20  # criterion names in the tornado; most English names fit, Chinese all do
ENDS_CELLS = 16  # " 0.85×–∞ → API" beside each bar
PLAY_CELLS = 18  # play names beside the win-share bars


@dataclass(frozen=True)
class Decision:
    """Everything the view shows for one profile under one weight set."""

    profile: Profile
    flips: FlipReport
    plan: ActionPlan
    sensitivity: Sensitivity
    weights: str
    elapsed_ms: float


def compute(scorer: Scorer, profile: Profile, lang: str) -> Decision:
    """Flips, plan and intervals for ``profile``; pure computation, safe in a worker."""
    from gtmcompass.decide import action_plan, find_flips, stability_intervals

    start = time.perf_counter()
    engine = scorer.engine
    flips = find_flips(engine, profile)
    plan = action_plan(engine, profile, lang)
    sensitivity = stability_intervals(engine, profile)
    elapsed = (time.perf_counter() - start) * 1000.0
    return Decision(profile, flips, plan, sensitivity, engine.weights_name, elapsed)


# -- rendering, kept free of widgets so tests and the report can call it ---------------------


def _fit(label: str, cells: int) -> str:
    return fit(label, cells, pad=True)


def _factor(value: float) -> str:
    return "∞" if math.isinf(value) else f"{value:.2f}×"


def tornado_text(sens: Sensitivity, lang: str, width: int) -> Text:
    """One row per weight of the recommended play, most sensitive first: the interval of
    multiples of the current weight over which the verdict holds, on a 0-3x axis."""
    from gtmcompass.model.catalogue import load_catalogue
    from gtmcompass.model.wording import text

    cat = load_catalogue()
    bar_cells = max(10, width - LABEL_CELLS - ENDS_CELLS - 2)
    one = round(bar_cells / AXIS_MAX)  # the cell of the current weight (1x)
    out = Text()
    axis = [" "] * bar_cells
    for mult in range(int(AXIS_MAX)):
        cell = min(round(mult * bar_cells / AXIS_MAX), bar_cells - 1)
        for i, ch in enumerate(f"{mult}×"):
            if cell + i < bar_cells:
                axis[cell + i] = ch
    out.append(" " * (LABEL_CELLS + 1) + "".join(axis) + f" {AXIS_MAX:.0f}×\n", style="dim")
    for s in sens.tornado():
        low, high = s.factors
        start = min(round(low / AXIS_MAX * bar_cells), bar_cells)
        end = bar_cells if high > AXIS_MAX else round(high / AXIS_MAX * bar_cells)
        style = "red" if s.slack < FRAGILE else "yellow" if s.slack < 2 * FRAGILE else "green"
        name = text(cat.criterion_by_id(s.criterion), lang)
        out.append(_fit(name, LABEL_CELLS) + " ")
        for i in range(bar_cells):
            if i == one:
                out.append("│", style="bold white")
            elif start <= i < end:
                arrow = i == bar_cells - 1 and high > AXIS_MAX
                out.append("▶" if arrow else "█", style=style)
            else:
                out.append("·", style="grey23")
        # below/above are in weight units; for a negative weight (a headwind) the smaller
        # multiple of its size is the upper end in those units.
        small, big = (s.below, s.above) if s.weight > 0 else (s.above, s.below)
        ends = [(1.0 - low, small)] if small else []
        ends += [(high - 1.0, big)] if big else []
        nearer = min(ends, key=lambda e: e[0])[1] if ends else None
        taker = f" → {tr(f'play_short.{nearer}', lang)}" if nearer else ""
        ends = f" {_factor(low) if low > 0 else '0'}–{_factor(high)}{taker}"
        out.append(_fit(ends, ENDS_CELLS) + "\n")
    out.rstrip()
    return out


def win_share_text(sens: Sensitivity, lang: str, width: int) -> Text:
    from gtmcompass.scoring.features import PLAYS
    from gtmcompass.tui.widgets.detail import bar

    bar_cells = max(10, width - PLAY_CELLS - 8)
    out = Text()
    for play in PLAYS:
        share = sens.win_share[play]
        best = play == sens.play
        filled, track = bar(share, 1.0, bar_cells)
        out.append(_fit(tr(f"play.{play}", lang), PLAY_CELLS) + " ", style="bold" if best else "")
        out.append(filled, style="cyan" if best else "blue")
        out.append(track, style="on grey15")
        out.append(f" {share:5.1%}\n", style="bold" if best else "")
    out.rstrip()
    return out


def head_text(d: Decision, lang: str) -> Text:
    sens = d.sensitivity
    out = Text()
    out.append(tr("results.verdict", lang, side=tr(f"side.{sens.side}", lang),
                  play=tr(f"play_long.{sens.play}", lang)),
               style="bold green" if sens.side == "to_b" else "bold magenta")
    out.append("\n" + tr("decide.confidence_line", lang, confidence=f"{sens.confidence:.0%}",
                         weights=d.weights))
    return out


def flip_prompt(flip: Flip, lang: str) -> Text:
    # A flip changes one field or two; its size is summed over them (data/levers.toml).
    fields = tr(f"decide.fields.{min(len(flip.changes), 2)}", lang)
    out = Text(f"{fields} · {tr('decide.size', lang)} {flip.cost:.2f}  ", style="dim")
    out.append(flip.describe(lang))
    return out


def plan_prompt(item: PlanItem, lang: str) -> Text:
    gain = f"{item.gain:+5.1f}" if item.applied or item.gain > 0 else "   · "
    out = Text(gain, style="green" if item.gain > 0 else "dim")
    marker = "▲ " if item.kind == "flag" else ""
    out.append(f"  {marker}{item.label}", style="bold red" if item.kind == "flag" else "bold")
    if item.lost > 0:
        out.append(f" (−{item.lost:.1f})", style="dim")
    out.append("\n" + (item.move or tr("decide.no_move", lang)), style="" if item.move else "dim")
    return out


def plan_detail(item: PlanItem, lang: str) -> Text:
    from gtmcompass.model.wording import cited

    out = Text()
    if item.kind == "gap":
        out.append(tr("decide.gap_detail", lang, lost=f"{item.lost:.1f}") + "\n")
    if item.changes:
        out.append(tr("decide.changes", lang) + ": ", style="bold")
        out.append("; ".join(ch.describe(lang) for ch in item.changes) + "\n")
    out.append(tr("detail.evidence", lang) + "\n", style="bold")
    for c in cited(item.evidence, lang):
        out.append(f"{c.fact_id} ", style="bold cyan")
        out.append(c.fact + "\n")
        out.append(f"   “{c.quote}”\n", style="italic dim")
    out.rstrip()
    return out


# -- widgets -----------------------------------------------------------------------------


class FlipList(OptionList):
    # Its own action name, so the footer says "Try it" here and every other list keeps
    # OptionList's plain "select".
    BINDINGS = [Binding("enter", "try_it", "Try it")]

    def action_try_it(self) -> None:
        self.action_select()

    def replace_options(self, options: list[Option | None]) -> None:
        """New options, the highlight kept on the same row while that row can be chosen.

        A re-render (new weights, new language) must not send the reader back to the top.
        """
        keep = self.highlighted
        self.clear_options()
        self.add_options(options)
        usable = [i for i, o in enumerate(options) if o is not None and not o.disabled]
        if usable:
            self.highlighted = keep if keep in usable else usable[0]


class PlanList(FlipList):
    pass


class DecideScreen(TranslatedBindings, LiveScreen, Screen[None]):
    DEFAULT_CSS = """
    DecideScreen #decide-flips-box {
        height: auto;
        max-height: 50%;
    }
    DecideScreen #decide-share-box {
        height: auto;
    }
    DecideScreen #decide-plan-box {
        height: 1fr;
    }
    DecideScreen #decide-head {
        height: 2;
    }
    DecideScreen #decide-share {
        height: 4;
        margin-bottom: 1;
    }
    DecideScreen #decide-tornado-box {
        height: 1fr;
    }
    DecideScreen FlipList, DecideScreen PlanList {
        border: none;
        padding: 0;
        background: $surface;
        height: auto;
        max-height: 100%;
    }
    DecideScreen PlanList {
        height: 1fr;
    }
    DecideScreen FlipList:focus, DecideScreen PlanList:focus {
        background-tint: $foreground 5%;
    }
    DecideScreen #decide-plan-detail-scroll {
        height: 8;
        border-top: solid $panel-lighten-2;
    }
    DecideScreen .decide-note {
        color: $text-muted;
    }
    """
    BINDINGS = [
        Binding("escape,f8", "back", "Back"),
        Binding("tab", "app.focus_next", show=False),
    ]
    AUTO_FOCUS = "FlipList"

    def __init__(self, scorer: Scorer, profile: Profile | None, lang: str) -> None:
        super().__init__(id="decide")
        self.scorer = scorer
        self.profile = profile
        self.lang = lang
        self.decision: Decision | None = None
        self.latencies: list[float] = []  # ms from a change to its decision on screen
        self._generation = 0
        self._shown = 0
        self._flips: list[Flip] = []
        self._items: list[PlanItem] = []

    @property
    def flips(self) -> tuple[Flip, ...]:
        """The flips listed, in the list's order (``flip-N`` is the N-th)."""
        return tuple(self._flips)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="main"):
            with Vertical(classes="pane-main"):
                with Vertical(id="decide-flips-box", classes="titled-box"):
                    yield FlipList(id="decide-flips", compact=True)
                with Vertical(id="decide-plan-box", classes="titled-box"):
                    yield PlanList(id="decide-plan", compact=True)
                    with VerticalScroll(id="decide-plan-detail-scroll"):
                        yield Static("", id="decide-plan-detail")
            with Vertical(classes="pane-side"):
                with Vertical(id="decide-share-box", classes="titled-box"):
                    yield Static("", id="decide-head")
                    yield Label("", id="decide-share-title", classes="decide-note")
                    yield Static("", id="decide-share")
                with VerticalScroll(id="decide-tornado-box", classes="titled-box"):
                    yield Static("", id="decide-tornado-note", classes="decide-note")
                    yield Static("", id="decide-tornado")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._titles()
        self.recompute()

    # -- computing -----------------------------------------------------------------------

    def on_result_changed(self, event: ResultChanged) -> None:
        """The editor shows a new result; decide for its profile."""
        self.profile = event.profile
        self.recompute()

    def on_engine_changed(self, event: EngineChanged) -> None:
        self.scorer = event.scorer
        self.recompute()

    def recompute(self) -> None:
        if self.profile is None:
            return
        self._generation += 1
        self._worker(self.profile, self.lang, self._generation, time.perf_counter())

    @work(thread=True, exclusive=True, group="decide", exit_on_error=False)
    def _worker(self, profile: Profile, lang: str, generation: int, started: float) -> None:
        decision = compute(self.scorer, profile, lang)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, decision, lang, generation, started)

    def _show(self, decision: Decision, worded_in: str, generation: int, started: float) -> None:
        if not self.is_live:
            return  # closed while the worker computed: its widgets are going or gone
        # A result worded before the language changed is stale, as an older generation is.
        if generation <= self._shown or worded_in != self.lang:
            return  # overtaken by a newer change, or computed in the other language
        self._shown = generation
        self.decision = decision
        self._render_all()
        self.latencies.append((time.perf_counter() - started) * 1000.0)

    @property
    def busy(self) -> bool:
        """True until the latest change's decision is on screen."""
        return self._shown < self._generation

    # -- rendering -----------------------------------------------------------------------

    def _titles(self) -> None:
        lang = self.lang
        self.query_one("#decide-flips-box").border_title = tr("decide.flips", lang)
        self.query_one("#decide-flips-box").border_subtitle = tr("decide.size_legend", lang)
        self.query_one("#decide-plan-box").border_title = tr("decide.plan", lang)
        self.query_one("#decide-share-box").border_title = tr("decide.confidence", lang)
        self.query_one("#decide-share-title", Label).update(tr("decide.win_share", lang))
        self.query_one("#decide-tornado-box").border_title = tr("decide.tornado", lang)

    def _render_all(self) -> None:
        self._render_flips()
        self._render_plan()
        self._render_charts()

    def _render_flips(self) -> None:
        d = self.decision
        if d is None:
            return
        flips = self.query_one(FlipList)
        self._flips = []
        options: list[Option | None] = []
        for group, key in ((d.flips.levers, "decide.levers"),
                           (d.flips.structural, "decide.structural")):
            options.append(Option(Text(tr(key, self.lang), style="bold underline"),
                                  disabled=True))
            shown = 0
            for target in group:
                for flip in (target.single, target.pair):
                    if flip is None:
                        continue
                    self._flips.append(flip)
                    options.append(Option(flip_prompt(flip, self.lang),
                                          id=f"flip-{len(self._flips) - 1}"))
                    shown += 1
            if not shown:
                options.append(Option(Text(tr("decide.no_flips", self.lang), style="dim"),
                                      disabled=True))
        flips.replace_options(options)

    def _render_plan(self) -> None:
        d = self.decision
        if d is None:
            return
        plan = self.query_one(PlanList)
        self._items = list(d.plan.items)
        plan.replace_options([Option(plan_prompt(item, self.lang), id=f"item-{i}")
                              for i, item in enumerate(self._items)])
        box = self.query_one("#decide-plan-box")
        box.border_title = tr("decide.plan", self.lang)
        box.border_subtitle = tr("decide.plan_total", self.lang,
                                 play=tr(f"play.{d.plan.play}", self.lang),
                                 before=f"{d.plan.score_before:.1f}",
                                 after=f"{d.plan.score_after:.1f}")
        if not self._items:
            self.query_one("#decide-plan-detail", Static).update(
                Text(tr("decide.no_plan", self.lang), style="dim"))

    def _render_charts(self) -> None:
        d = self.decision
        if d is None:
            return
        self.query_one("#decide-head", Static).update(head_text(d, self.lang))
        share = self.query_one("#decide-share", Static)
        share.update(win_share_text(d.sensitivity, self.lang, share.content_size.width or 52))
        tornado = self.query_one("#decide-tornado", Static)
        self.query_one("#decide-tornado-note", Static).update(Text(tr(
            "decide.tornado_note", self.lang, play=tr(f"play.{d.sensitivity.play}", self.lang)),
            style="dim"))
        tornado.update(tornado_text(d.sensitivity, self.lang, tornado.content_size.width or 52))

    def on_resize(self) -> None:
        self.call_after_refresh(self._render_charts)

    @on(OptionList.OptionHighlighted, "#decide-plan")
    def _plan_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        index = int(str(event.option.id).removeprefix("item-"))
        if index < len(self._items):
            self.query_one("#decide-plan-detail", Static).update(
                plan_detail(self._items[index], self.lang))

    # -- acting --------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#decide-flips")
    def _flip_selected(self, event: OptionList.OptionSelected) -> None:
        if self.decision is None:
            return
        flip = self._flips[int(str(event.option.id).removeprefix("flip-"))]
        self._try(flip.apply(self.decision.profile))

    @on(OptionList.OptionSelected, "#decide-plan")
    def _item_selected(self, event: OptionList.OptionSelected) -> None:
        from gtmcompass.decide import apply_changes

        if self.decision is None:
            return
        item = self._items[int(str(event.option.id).removeprefix("item-"))]
        if not item.changes:
            self.app.notify(tr("decide.nothing_to_try", self.lang))
            return
        self._try(apply_changes(self.decision.profile, item.changes))

    @work(group="decide-dialog", exclusive=True)
    async def _try(self, changed: Profile) -> None:
        """Open the changed profile in What-if against the profile as it is now."""
        from gtmcompass.model.profile import to_document
        from gtmcompass.tui.form_fields import widget_values
        from gtmcompass.tui.screens.whatif import WhatIfScreen

        assert self.decision is not None
        kept = await self.app.push_screen_wait(WhatIfScreen(
            widget_values(to_document(changed)), self.decision.profile, None, self.scorer,
            self.lang))
        if kept is not None:
            self.post_message(ValuesKept(kept))

    def action_back(self) -> None:
        self.dismiss(None)

    def apply_language(self, lang: str) -> None:
        self.lang = lang
        self.refresh_bindings()
        self._titles()
        self._render_flips()  # flips and charts are worded here, at once
        self._render_charts()
        self.recompute()  # the plan's moves are worded by the core in one language
