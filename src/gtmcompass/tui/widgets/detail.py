"""Rationale and evidence for one criterion or red flag, for the detail pane and the report.

Evidence is shown the way a reader checks it: the fact id, the fact in the chosen language,
the article's own words, and which article it comes from (titles, outlet and date).
"""

from __future__ import annotations


from rich.text import Text

from gtmcompass.model.catalogue import load_catalogue
from gtmcompass.model.wording import cited, rule_summary, text
from gtmcompass.scoring.features import PLAYS
from gtmcompass.tui.scored import Result
from gtmcompass.vocab.i18n import tr

BAR_CELLS = "▏▎▍▌▋▊▉█"




def bar(value: float, maximum: float, width: int) -> tuple[str, str]:
    """A horizontal bar in eighths of a cell: (filled part, empty track), ``width`` in all."""
    if maximum <= 0 or width <= 0:
        return "", " " * max(width, 0)
    eighths = round(max(0.0, min(value / maximum, 1.0)) * width * 8)
    full, part = divmod(eighths, 8)
    filled = "█" * full + (BAR_CELLS[part - 1] if part else "")
    return filled, " " * (width - len(filled))


def _evidence_block(out: Text, ids: tuple[str, ...], lang: str) -> None:
    out.append(f"\n{tr('detail.evidence', lang)}\n", style="bold")
    for c in cited(ids, lang):
        out.append(f"{c.fact_id} ", style="bold")
        out.append(f"{c.fact}\n")
        out.append(f"  {tr('detail.quote', lang)}: ", style="dim")
        out.append(f"「{c.quote}」\n", style="italic")
        out.append(f"  {c.article_heading}\n", style="dim")


def criterion_text(cid: str, result: Result | None, focus_play: str, lang: str) -> Text:
    cat = load_catalogue()
    c = cat.criterion_by_id(cid)
    out = Text()
    out.append(text(c, lang), style="bold")
    out.append(f"  ({c.id} · {text(cat.family_by_id(c.family), lang)})\n", style="dim")
    if result is not None:
        contribution = next(x for x in result.contributions if x.criterion == cid)
        out.append(f"{tr('detail.value', lang)}: ", style="bold")
        out.append(tr("detail.earned", lang,
                      points=f"{contribution.toward(focus_play):.1f}",
                      max=f"{contribution.max_toward(focus_play):.1f}",
                      play=tr(f"play.{focus_play}", lang)))
        if contribution.unknown:
            out.append(" · " + tr("results.unknown_used", lang, value=f"{c.rule.unknown_as:g}"),
                       style="italic")
        out.append("\n")
    weights = ", ".join(f"{tr(f'play.{p}', lang)} {c.weights[p]:+g}" for p in PLAYS
                        if c.weights[p])
    out.append(f"{tr('detail.weights', lang)}: ", style="bold")
    out.append(weights + "\n")
    out.append(f"{tr('detail.rule', lang)}: ", style="bold")
    out.append(rule_summary(c) + "\n")
    out.append(f"\n{tr('detail.rationale', lang)}\n", style="bold")
    out.append(text(c, lang, "rationale") + "\n")
    _evidence_block(out, c.evidence, lang)
    return out


def flag_text(fid: str, lang: str) -> Text:
    f = load_catalogue().flag_by_id(fid)
    out = Text()
    out.append(text(f, lang), style="bold")
    severity = tr(f"results.severity.{f.severity}", lang)
    out.append(f"  ({f.id} · {severity})\n", style="dim")
    out.append(f"\n{tr('detail.rationale', lang)}\n", style="bold")
    out.append(text(f, lang, "rationale") + "\n")
    _evidence_block(out, f.evidence, lang)
    return out
