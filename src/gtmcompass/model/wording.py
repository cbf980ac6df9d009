"""Catalogue items in words: a bilingual field, a cited fact, a rule in one line."""

from __future__ import annotations

from dataclasses import dataclass

from gtmcompass.model.catalogue import Criterion, load_evidence
from gtmcompass.vocab.i18n import tr


def text(item: object, lang: str, field: str = "") -> str:
    """A bilingual field: ``en``/``zh`` or ``rationale_en``/``rationale_zh``."""
    prefix = f"{field}_" if field else ""
    return getattr(item, f"{prefix}{lang}")


@dataclass(frozen=True)
class Cited:
    """One cited fact the way a reader checks it: id, fact, the article's words, the article."""

    fact_id: str
    fact: str
    quote: str
    article_file: str
    article_title: str  # the original title, for the one-line form
    article_heading: str  # both titles, outlet and date, in the chosen language's pattern


def cited(ids: tuple[str, ...], lang: str) -> list[Cited]:
    ev = load_evidence()
    out = []
    for fid in ids:
        fact = ev.fact_by_id(fid)
        article = ev.article_by_id(fact.article)
        heading = tr("evidence.article", lang, title=article.title, title_en=article.title_en,
                     source=article.source, date=article.date)
        out.append(Cited(fid, text(fact, lang), fact.quote.replace("**", ""), article.file,
                         article.title, heading))
    return out


def fact_lines(ids: tuple[str, ...], lang: str) -> list[str]:
    """Each cited fact as 'ID (article file, title): fact'."""
    return [f"{c.fact_id} ({c.article_file}, {c.article_title}): {c.fact}" for c in cited(ids, lang)]


def rule_summary(criterion: Criterion) -> str:
    rule = criterion.rule
    if rule.kind == "constant":
        return f"constant {rule.value:g} (a market condition every company faces)"
    if rule.kind == "lookup":
        pairs = ", ".join(f"{k}={v:g}" for k, v in rule.table.items())
        return f"{rule.input}: {pairs}"
    points = ", ".join(f"{x:g}->{y:g}" for x, y in rule.points)
    if rule.kind == "count":
        return f"count of {', '.join(rule.members)}: {points}"
    unknown = f"; unknown scored as {rule.unknown_as:g}" if rule.unknown_as is not None else ""
    return f"{rule.input}: {points}{unknown}"
