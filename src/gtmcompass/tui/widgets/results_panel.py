"""Live results: verdict, confidence, play bars, red flags, contributions and their evidence.

The panel only displays; the app scores in a worker and calls ``show``. Highlighting a flag
or a criterion (arrow keys or mouse) shows its rationale and cited facts underneath.

Updates are incremental because they follow every keystroke: the verdict and bars have fixed
heights and are redrawn without a new layout, the contribution rows are re-labelled in place
when their number is unchanged, and the flag list and detail are rebuilt only when what they
show changed. A full layout of the screen costs about 5 ms; these updates about 1 ms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.lazy import Lazy
from textual.widgets import Label, OptionList, Static

from gtmcompass.vocab.i18n import tr

MAX_VERDICT_ROWS = 6

if TYPE_CHECKING:  # the panel is on the first screen, composed before the core loads
    from gtmcompass.tui.scored import Result


class FlagList(OptionList):
    pass


class ContributionList(OptionList):
    BINDINGS = [Binding("p", "next_play", "Play")]

    def action_next_play(self) -> None:
        for panel in self.ancestors:
            if isinstance(panel, ResultsPanel):
                panel.cycle_play()


class ResultsBody(Vertical):
    def __init__(self, panel: ResultsPanel) -> None:
        super().__init__(id="results-body")
        self.panel = panel

    def compose(self) -> ComposeResult:
        yield Static("", id="bars")
        yield Label("", id="flags-title", classes="list-title")
        yield FlagList(id="flags", compact=True)
        yield Label("", id="contrib-title", classes="list-title")
        yield ContributionList(id="contributions", compact=True)
        with VerticalScroll(id="detail-scroll"):
            yield Static(tr("results.select_hint", self.panel.lang), id="detail")

    def on_mount(self) -> None:
        self.panel.body_mounted()


class ResultsPanel(Vertical):
    # F7 on a narrow screen shows the panel alone (app.action_results).
    ALLOW_MAXIMIZE = True

    def __init__(self, lang: str = "en", id: str | None = None) -> None:
        super().__init__(id=id, classes="results")
        self.lang = lang
        self.result: Result | None = None
        self.stale = 0
        self.focus_play: str | None = None  # None follows the recommended play
        self.selected: tuple[str, str] | None = None  # ("flag" | "criterion", id)
        self.border_title = tr("results.title", lang)
        self._flag_order: tuple[str, ...] | None = None
        self._flag_key: tuple | None = None
        self._order: list[str] = []  # criterion ids in the contribution list's order
        self._contrib_key: tuple | None = None
        self._detail_plain = ""
        self._body_ready = False


    @property
    def contribution_order(self) -> tuple[str, ...]:
        """The criterion ids of the contribution list, top to bottom."""
        return tuple(self._order)
    def compose(self) -> ComposeResult:
        yield Static(Text(tr("app.loading_core", self.lang), style="bold yellow"), id="verdict")
        # Nothing below the verdict has anything to show before the core loads, so it is
        # mounted after the first frame.
        yield Lazy(ResultsBody(self))

    def body_mounted(self) -> None:
        self._body_ready = True
        self.query_one("#flags-title", Label).update(tr("results.flags", self.lang))
        if self.result is not None or self.stale:
            self._render_all()

    @property
    def play(self) -> str:
        assert self.result is not None
        return self.focus_play or self.result.play

    @property
    def _width(self) -> int:
        # The real width: at 80 columns the panel has about 20 cells, and lines longer than
        # that wrap into the fixed-height rows below them.
        return max(16, self.content_size.width or 64)

    def show(self, result: Result | None, stale: int = 0) -> None:
        """Display a result; ``stale`` counts fields with errors (the result is the last valid)."""
        self.result = result
        self.stale = stale
        self._render_all()

    def set_stale(self, stale: int) -> None:
        if stale != self.stale:
            self.stale = stale
            self._render_summary()

    def cycle_play(self) -> None:
        if self.result is None or not self._body_ready:
            return
        from gtmcompass.scoring.features import PLAYS

        order = list(PLAYS)
        self.focus_play = order[(order.index(self.play) + 1) % len(order)]
        if self.focus_play == self.result.play:
            self.focus_play = None
        self._render_contributions()
        self._render_detail()

    def apply_language(self, lang: str) -> None:
        self.lang = lang
        self.border_title = tr("results.title", lang)
        if self._body_ready:
            self.query_one("#flags-title", Label).update(tr("results.flags", lang))
        self._render_all()

    def _render_all(self) -> None:
        self._render_summary()
        if not self._body_ready:
            return
        self._render_flags()
        self._render_contributions()
        self._render_detail()

    def _render_summary(self) -> None:
        verdict = self.query_one("#verdict", Static)
        bars = self.query_one("#bars", Static) if self._body_ready else None
        # Both have fixed heights in the stylesheet, so a redraw needs no layout.
        if self.result is None:
            verdict.update(Text(tr("results.waiting", self.lang) if self.stale
                                else tr("app.loading_core", self.lang), style="bold yellow"),
                           layout=False)
            if bars is not None:
                bars.update("", layout=False)
            return
        from gtmcompass.tui.panel_text import play_bars, verdict_text

        content = verdict_text(self.result, self.lang, self._width, self.stale)
        # The verdict's rows follow its text (blockers' names wrap in a narrow panel); the
        # screen is laid out again only when their number changes, not on every keystroke.
        rows = min(MAX_VERDICT_ROWS, len(content.wrap(self.app.console, self._width)))
        if verdict.styles.height is None or verdict.styles.height.value != rows:
            verdict.styles.height = rows
        verdict.update(content, layout=False)
        if bars is not None:
            bars.update(play_bars(self.result, self.lang, self._width), layout=False)

    def _render_flags(self) -> None:
        flags = self.query_one(FlagList)
        result = self.result
        key = (None if result is None else result.flags, self.lang, self._width)
        if key == self._flag_key:
            return
        self._flag_key = key
        keep = (self._flag_order[flags.highlighted]
                if self._flag_order and flags.highlighted is not None else None)
        flags.clear_options()
        self._flag_order = ()
        if result is None:
            return
        from gtmcompass.tui.panel_text import flag_prompt

        if not result.flags:
            flags.add_option(Text(tr("results.no_flags", self.lang), style="green"))
            flags.disable_option_at_index(0)
            return
        self._flag_order = result.flags
        flags.add_options(flag_prompt(f, self.lang, self._width) for f in result.flags)
        if keep in result.flags:
            flags.highlighted = result.flags.index(keep)

    def _render_contributions(self) -> None:
        title = self.query_one("#contrib-title", Label)
        listing = self.query_one(ContributionList)
        if self.result is None:
            title.update("")
            listing.clear_options()
            self._order = []
            self._contrib_key = None
            return
        from gtmcompass.tui.panel_text import contribution_prompt

        play = self.play
        ranked = [c.criterion for c in self.result.ranked(play)]
        width = self._width - 2
        prompts = [contribution_prompt(self.result, cid, play, self.lang, width)
                   for cid in ranked]
        key = (play, self.lang, len(ranked))
        keep = (self._order[listing.highlighted]
                if self._order and listing.highlighted is not None else None)
        if key == self._contrib_key:
            for index, prompt in enumerate(prompts):
                listing.replace_option_prompt_at_index(index, prompt)
        else:
            self._contrib_key = key
            title.update(tr("results.contributions", self.lang,
                            play=tr(f"play.{play}", self.lang)))
            listing.clear_options()
            listing.add_options(prompts)
        self._order = ranked
        if keep in ranked and listing.highlighted != ranked.index(keep):
            listing.highlighted = ranked.index(keep)

    def _render_detail(self) -> None:
        detail = self.query_one("#detail", Static)
        if self.selected is None:
            content = Text(tr("results.select_hint", self.lang))
            if self.result is not None and not self.result.recommended:
                from gtmcompass.tui.panel_text import verdict_detail

                content = verdict_detail(self.result, self.lang).append_text(content)
        else:
            from gtmcompass.tui.widgets.detail import criterion_text, flag_text

            kind, item = self.selected
            if kind == "flag":
                content = flag_text(item, self.lang)
            elif self.result is not None:
                content = criterion_text(item, self.result, self.play, self.lang)
            else:
                return
        if content.plain != self._detail_plain:
            self._detail_plain = content.plain
            detail.update(content)

    def _select(self, kind: str, item: str) -> None:
        if self.selected != (kind, item):
            self.selected = (kind, item)
            self._render_detail()
            self.query_one("#detail-scroll").scroll_home(animate=False)

    @on(OptionList.OptionHighlighted, "FlagList")
    def _flag_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self._flag_order and event.option_index < len(self._flag_order):
            self._select("flag", self._flag_order[event.option_index])

    @on(OptionList.OptionHighlighted, "ContributionList")
    def _criterion_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index < len(self._order):
            self._select("criterion", self._order[event.option_index])

    def on_resize(self) -> None:
        if self.result is not None:
            self._render_all()
