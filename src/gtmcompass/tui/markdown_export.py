"""The current result as a Markdown report, in English or Chinese. No Textual.

The report says what the screen says, with the reasons written out: verdict and scores,
derived figures, every red flag, every criterion's points toward the recommended play, and
for the flags and the five biggest contributions their rationale and cited facts.
"""

from __future__ import annotations

from gtmcompass.model.catalogue import load_catalogue
from gtmcompass.model.wording import text
from gtmcompass.scoring.features import PLAYS
from gtmcompass.tui.derived import derived_lines
from gtmcompass.tui.scored import Result
from gtmcompass.tui.widgets.detail import cited
from gtmcompass.vocab.i18n import tr

# Rationale and evidence are written out for this many of the biggest contributions; the
# rest are in the table. Five covers about two thirds of a typical score.
EXPLAINED = 5


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _evidence(ids: tuple[str, ...], lang: str) -> list[str]:
    lines = []
    for c in cited(ids, lang):
        lines.append(f"- **{c.fact_id}** ({c.article_file}, {c.article_title}): {c.fact}")
        lines.append(f"  > {c.quote}")
    return lines


def markdown_report(result: Result, source: str, lang: str) -> str:
    cat = load_catalogue()
    play = result.play
    lines = [
        f"# gtmcompass: {result.name}",
        "",
        f"- {tr('compare.col.source', lang)}: `{source}`",
        f"- {cat.version}",
        f"- {tr('weights.current', lang, name=result.weights)}",
        "",
        f"## {tr('results.title', lang)}",
        "",
        "**" + tr("results.verdict", lang, side=tr(f"side.{result.side}", lang),
                  play=tr(f"play_long.{play}", lang)) + "**, "
        + f"{tr('results.confidence', lang)} {result.confidence:.0%}",
        "",
        f"| {tr('whatif.col.play', lang)} | {tr('whatif.col.after', lang)} |",
        "|---|---:|",
    ]
    for p in PLAYS:
        name = tr(f"play.{p}", lang)
        score = f"{result.score(p):.1f}"
        lines.append(f"| {'**' + name + '**' if p == play else name} | {score} |")
    lines += ["", tr("results.sides", lang, to_b=f"{result.to_b:.1f}", to_c=f"{result.to_c:.1f}"),
              ""]
    lines += [f"- {line}" for line in derived_lines(result, lang)]
    lines += ["", f"## {tr('results.flags', lang)}", ""]
    if not result.flags:
        lines += [tr("results.no_flags", lang), ""]
    for fid in result.flags:
        f = cat.flag_by_id(fid)
        lines += [f"### {text(f, lang)} (`{f.id}`, {tr(f'results.severity.{f.severity}', lang)})",
                  "", text(f, lang, "rationale"), ""]
        lines += _evidence(f.evidence, lang) + [""]
    ranked = result.ranked(play)
    lines += [f"## {tr('results.contributions', lang, play=tr(f'play.{play}', lang))}", "",
              f"| # | {tr('compare.col.name', lang)} | {tr('whatif.col.after', lang)} | max |",
              "|---:|---|---:|---:|"]
    for i, c in enumerate(ranked, start=1):
        name = text(cat.criterion_by_id(c.criterion), lang)
        lines.append(f"| {i} | {_cell(name)} (`{c.criterion}`) | {c.toward(play):.1f} | "
                     f"{c.max_toward(play):.1f} |")
    lines.append("")
    for c in ranked[:EXPLAINED]:
        crit = cat.criterion_by_id(c.criterion)
        lines += [f"### {text(crit, lang)} (`{crit.id}`)", "", text(crit, lang, "rationale"), ""]
        lines += _evidence(crit.evidence, lang) + [""]
    return "\n".join(lines).rstrip() + "\n"
