"""Catalogue items in words: a bilingual field, a cited fact, a rule in one line."""

from __future__ import annotations

from gtmcompass.model.catalogue import Criterion, load_evidence


def text(item: object, lang: str, field: str = "") -> str:
    """A bilingual field: ``en``/``zh`` or ``rationale_en``/``rationale_zh``."""
    prefix = f"{field}_" if field else ""
    return getattr(item, f"{prefix}{lang}")


def fact_lines(ids: tuple[str, ...], lang: str) -> list[str]:
    """Each cited fact as 'ID (article file): fact'."""
    ev = load_evidence()
    lines = []
    for fid in ids:
        fact = ev.fact_by_id(fid)
        article = ev.article_by_id(fact.article)
        lines.append(f"{fid} ({article.file}, {article.title}): {text(fact, lang)}")
    return lines


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
