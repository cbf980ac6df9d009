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
from gtmcompass.vocab.escape import fit
from gtmcompass.vocab.i18n import has, tr

PLAY_LABEL_CELLS = 18
SEVERITY_STYLE = {"high": "bold red", "warning": "yellow"}


STATUS_STYLE = {"ready": "green", "conditional": "yellow", "blocked": "red"}
VERDICT_STYLE = {"not_yet": "bold yellow", "insufficient_data": "bold red"}


def cut(line: str, width: int) -> str:
    """``line`` in at most ``width`` cells, an ellipsis marking what was cut."""
    return fit(line, width)


def field_label(path: str, lang: str) -> str:
    """A key path in the form's words: ``market.cac`` -> "CAC per user"."""
    key = f"field.{path}"
    return tr(key, lang) if has(key) else path


def requirement_name(rid: str, lang: str) -> str:
    return text(load_catalogue().requirement_by_id(rid), lang)


def requirement_fix(rid: str, lang: str) -> str:
    return text(load_catalogue().requirement_by_id(rid), lang, "fix")


def play_bars(result: Result, lang: str, width: int) -> Text:
    """Four bars scaled to 100 with each play's status; a go's play marked.

    Without enough information no play is marked and no score is shown: the bars only say
    how far each play got on what is known.
    """
    judged = not result.insufficient
    statuses = {p: result.status_of(p) for p in PLAYS}
    status_cells = max((cell_len(tr(f"status.{s}", lang)) + 1
                        for s in statuses.values() if s != "ready"), default=0)
    tail = (6 if judged else 0) + 2 + status_cells
    label_cells = min(PLAY_LABEL_CELLS, max(8, width - tail - 11))
    bar_cells = width - label_cells - 1 - tail
    if bar_cells < 4:
        return _narrow_play_rows(result, lang, width)
    out = Text()
    for play in PLAYS:
        score = result.score(play)
        best = play == result.play and result.recommended
        label = set_cell_size(tr(f"play.{play}", lang), label_cells)
        row = Text(label + " ", style="bold" if best else "")
        if bar_cells:
            filled, track = bar(score, 100.0, bar_cells)
            colour = "green" if best else ("grey50" if not judged else "blue")
            row.append(filled, style=colour)
            row.append(track, style="on grey15")
        if judged:
            row.append(f" {score:5.1f}", style="bold" if best else "")
        row.append(" ◀" if best else "  ")
        status = statuses[play]
        if status != "ready":
            room = width - cell_len(row.plain) - 1
            row.append(" " + cut(tr(f"status.{status}", lang), room), style=STATUS_STYLE[status])
        out.append_text(row)
        out.append("\n")
    out.rstrip()
    return out


STATUS_MARK = {"ready": "✓", "conditional": "!", "blocked": "✕"}


def _narrow_play_rows(result: Result, lang: str, width: int) -> Text:
    """At 80 columns the panel has about 20 cells: no bars, and each play's status as a
    coloured mark before its name (✓ ready, ! conditional, ✕ blocked)."""
    judged = not result.insufficient
    label_cells = max(4, width - 2 - (5 if judged else 0) - 2)
    out = Text()
    for play in PLAYS:
        status = result.status_of(play)
        best = play == result.play and result.recommended
        out.append(STATUS_MARK[status] + " ", style=STATUS_STYLE[status])
        out.append(set_cell_size(tr(f"play.{play}", lang), label_cells),
                   style="bold" if best else "")
        if judged:
            out.append(f"{result.score(play):5.1f}", style="bold" if best else "")
        out.append(" ◀\n" if best else "\n")
    out.rstrip()
    return out


def verdict_text(result: Result, lang: str, width: int, stale: int) -> Text:
    """The verdict, what blocks it or what it lacks, and confidence (a stale result's warning
    takes the last line). Lines wrap; the list of keys to fill in is cut to one line (the
    detail area lists them all)."""
    lines: list[tuple[str, str]] = []
    play_long = tr(f"play_long.{result.play}", lang)
    if result.not_yet:
        lines.append((tr("results.not_yet", lang, play=play_long), VERDICT_STYLE["not_yet"]))
        names = "; ".join(requirement_name(r, lang) for r in result.blockers_of(result.play))
        lines.append((f"{tr('results.blocked_by', lang)} {names}", "yellow"))
    elif result.insufficient:
        lines.append((tr("results.insufficient", lang), VERDICT_STYLE["insufficient_data"]))
        keys = tr("list.separator", lang).join(field_label(k, lang) for k in result.missing)
        lines.append((cut(tr("results.fill_in", lang, keys=keys), width), ""))
    else:
        side = tr(f"side.{result.side}", lang)
        lines.append((tr("results.verdict", lang, side=side, play=play_long),
                      "bold green" if result.side == "to_b" else "bold magenta"))
    out = Text()
    for line, style in lines:
        out.append(line + "\n", style=style)
    if stale:
        out.append(cut(tr("results.stale", lang, n=stale), width), style="bold yellow")
    elif result.insufficient:
        day = tr("results.as_of", lang, day=result.as_of.isoformat()) if result.as_of else ""
        out.append(cut(day, width), style="dim")
    else:
        label = tr("results.confidence", lang)
        head = f"{label} {result.confidence:4.0%} "
        out.append(head)
        filled, track = bar(result.confidence, 1.0, max(4, min(width // 4, width - cell_len(head))))
        out.append(filled, style="cyan")
        out.append(track, style="on grey15")
        sides = "   " + tr("results.sides", lang, to_b=f"{result.to_b:.1f}",
                            to_c=f"{result.to_c:.1f}")
        if cell_len(out.plain.split("\n")[-1] + sides) <= width:
            out.append(sides)
        if len(lines) == 1:  # a go: its day on the second line
            day = tr("results.as_of", lang, day=result.as_of.isoformat()) if result.as_of else ""
            out.append("\n" + cut(day, width), style="dim")
    return out


def verdict_headline(result: Result, lang: str) -> str:
    """The verdict in one sentence, as the panel's first line says it."""
    play_long = tr(f"play_long.{result.play}", lang)
    if result.not_yet:
        return tr("results.not_yet", lang, play=play_long)
    if result.insufficient:
        return tr("results.insufficient", lang)
    return tr("results.verdict", lang, side=tr(f"side.{result.side}", lang), play=play_long)


def verdict_detail(result: Result, lang: str) -> Text:
    """What the detail area shows before anything is highlighted: for not yet each blocker
    and what would meet it, for too little information every key to fill in."""
    out = Text()
    if result.not_yet:
        out.append(tr("results.blocked_by", lang) + "\n", style="bold yellow")
        for rid in result.blockers_of(result.play):
            out.append("■ " + requirement_name(rid, lang) + "\n", style="bold")
            out.append("  " + tr("results.to_meet", lang, fix=requirement_fix(rid, lang)) + "\n")
    elif result.insufficient:
        out.append(tr("results.top_score", lang) + "\n", style="italic")
        out.append(tr("results.fill_in", lang, keys="") + "\n", style="bold")
        for key in result.missing:
            out.append("· " + field_label(key, lang) + "\n")
    return out


def contribution_prompt(result: Result, criterion: str, play: str, lang: str,
                        width: int) -> Text:
    c = next(x for x in result.contributions if x.criterion == criterion)
    name = text(load_catalogue().criterion_by_id(criterion), lang)
    points = f"{c.toward(play):4.1f}/{c.max_toward(play):4.1f}"
    # A narrow panel (80 columns) keeps the name and the points and drops the bar.
    bar_cells = 10 if width >= 34 else 0
    name_cells = max(6, width - bar_cells - len(points) - (3 if bar_cells else 1))
    out = Text(set_cell_size(name, name_cells) + " ", style="italic" if c.unknown else "")
    if bar_cells:
        filled, track = bar(c.toward(play), c.max_toward(play), bar_cells)
        out.append(filled, style="green")
        out.append(track, style="on grey15")
        out.append(" ")
    out.append(points)
    return out


def flag_prompt(fid: str, lang: str, width: int) -> Text:
    flag = load_catalogue().flag_by_id(fid)
    name = text(flag, lang)
    return Text.assemble(("▲ ", SEVERITY_STYLE[flag.severity]), fit(name, width - 2))
