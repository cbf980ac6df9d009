"""Rich text for the results panel: verdict, play bars, flag and contribution rows.

Kept apart from the widgets because it needs the catalogue (pydantic, numpy), which the
first frame must not wait for; the panel imports this module once a result exists.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from gtmcompass.model.catalogue import load_catalogue
from gtmcompass.model.wording import text
from gtmcompass.scoring.features import PLAYS
from gtmcompass.tui.scored import Result
from gtmcompass.tui.widgets.detail import bar
from gtmcompass.vocab.i18n import tr

PLAY_LABEL_CELLS = 18
SEVERITY_STYLE = {"high": "bold red", "warning": "yellow"}


def play_bars(result: Result, lang: str, width: int) -> Text:
    """Four bars scaled to 100, the recommended play marked."""
    bar_cells = max(10, width - PLAY_LABEL_CELLS - 10)
    out = Text()
    for play in PLAYS:
        score = result.score(play)
        best = play == result.play
        label = set_cell_size(tr(f"play.{play}", lang), PLAY_LABEL_CELLS)
        filled, track = bar(score, 100.0, bar_cells)
        out.append(label + " ", style="bold" if best else "")
        out.append(filled, style="green" if best else "blue")
        out.append(track, style="on grey15")
        out.append(f" {score:5.1f}", style="bold" if best else "")
        out.append(" ◀\n" if best else "\n")
    out.rstrip()
    return out


def verdict_text(result: Result, lang: str, width: int, stale: int) -> Text:
    out = Text()
    side = tr(f"side.{result.side}", lang)
    out.append(tr("results.verdict", lang, side=side, play=tr(f"play_long.{result.play}", lang)),
               style="bold green" if result.side == "to_b" else "bold magenta")
    out.append("\n")
    label = tr("results.confidence", lang)
    out.append(f"{label} {result.confidence:4.0%} ")
    filled, track = bar(result.confidence, 1.0, max(8, width // 4))
    out.append(filled, style="cyan")
    out.append(track, style="on grey15")
    out.append("   " + tr("results.sides", lang, to_b=f"{result.to_b:.1f}", to_c=f"{result.to_c:.1f}"))
    if stale:
        out.append("\n" + tr("results.stale", lang, n=stale), style="bold yellow")
    return out


def contribution_prompt(result: Result, criterion: str, play: str, lang: str,
                        width: int) -> Text:
    c = next(x for x in result.contributions if x.criterion == criterion)
    name = text(load_catalogue().criterion_by_id(criterion), lang)
    points = f"{c.toward(play):4.1f}/{c.max_toward(play):4.1f}"
    bar_cells = 10
    name_cells = max(12, width - bar_cells - len(points) - 3)
    filled, track = bar(c.toward(play), c.max_toward(play), bar_cells)
    out = Text(set_cell_size(name, name_cells) + " ", style="italic" if c.unknown else "")
    out.append(filled, style="green")
    out.append(track, style="on grey15")
    out.append(" " + points)
    return out


def flag_prompt(fid: str, lang: str, width: int) -> Text:
    flag = load_catalogue().flag_by_id(fid)
    name = text(flag, lang)
    if cell_len(name) > width - 2:
        name = set_cell_size(name, width - 3) + "…"
    return Text.assemble(("▲ ", SEVERITY_STYLE[flag.severity]), name)
