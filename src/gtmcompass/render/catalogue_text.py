"""The catalogue as a document: ``gtmcompass criteria`` as JSON, Markdown or a table."""

from __future__ import annotations

import io

from gtmcompass.model.catalogue import Criterion, Flag, load_catalogue, load_evidence
from gtmcompass.model.wording import fact_lines, rule_summary, text
from gtmcompass.vocab.terms import PLAYS


def criterion_document(c: Criterion) -> dict:
    return {
        "id": c.id,
        "family": c.family,
        "en": c.en,
        "zh": c.zh,
        "weights": c.weights,
        "rule": c.rule.model_dump(exclude_defaults=True),
        "evidence": [
            {"id": fid, "fact_en": load_evidence().fact_by_id(fid).en,
             "fact_zh": load_evidence().fact_by_id(fid).zh}
            for fid in c.evidence
        ],
        "rationale_en": c.rationale_en,
        "rationale_zh": c.rationale_zh,
    }


def flag_document(f: Flag) -> dict:
    return {
        "id": f.id, "severity": f.severity, "en": f.en, "zh": f.zh,
        "evidence": list(f.evidence), "rationale_en": f.rationale_en,
        "rationale_zh": f.rationale_zh,
        "when": [c.model_dump(exclude_defaults=True, by_alias=True) for c in f.when],
        "when_any": [c.model_dump(exclude_defaults=True, by_alias=True) for c in f.when_any],
    }


def catalogue_document() -> dict:
    cat = load_catalogue()
    return {
        "version": cat.version,
        "settings": cat.settings.model_dump(),
        "families": [f.model_dump() for f in cat.family],
        "criteria": [criterion_document(c) for c in cat.criterion],
        "flags": [flag_document(f) for f in cat.flag],
        "explanations": [e.model_dump() for e in cat.explanation],
    }


def catalogue_markdown(lang: str = "en") -> str:
    cat = load_catalogue()
    out = [f"# gtmcompass criteria catalogue {cat.version}", ""]
    for family in cat.family:
        out += [f"## {text(family, lang)}", ""]
        for c in (c for c in cat.criterion if c.family == family.id):
            weights = ", ".join(f"{p} {c.weights[p]:+g}" for p in PLAYS if c.weights[p])
            out += [f"### {text(c, lang)} (`{c.id}`)", "", text(c, lang, "rationale"), "",
                    f"- Rule: {rule_summary(c)}", f"- Weights: {weights}", "- Evidence:"]
            out += [f"  - {line}" for line in fact_lines(c.evidence, lang)]
            out.append("")
    out += ["## " + ("Red flags" if lang == "en" else "风险警示"), ""]
    for f in cat.flag:
        out += [f"### {text(f, lang)} (`{f.id}`, {f.severity})", "", text(f, lang, "rationale"), ""]
        out += [f"- {line}" for line in fact_lines(f.evidence, lang)]
        out.append("")
    return "\n".join(out)


def catalogue_table(lang: str = "en", width: int = 140) -> str:
    from rich.console import Console
    from rich.table import Table

    cat = load_catalogue()
    table = Table(header_style="bold", show_lines=False)
    for col in ("Criterion", "Family", *PLAYS, "Evidence"):
        table.add_column(col, justify="right" if col in PLAYS else "left", overflow="fold")
    for c in cat.criterion:
        table.add_row(f"{text(c, lang)} ({c.id})", text(cat.family_by_id(c.family), lang),
                      *(f"{c.weights[p]:+g}" if c.weights[p] else "" for p in PLAYS),
                      " ".join(c.evidence))
    flags = Table(header_style="bold")
    for col in ("Red flag", "Severity", "Evidence"):
        flags.add_column(col, overflow="fold")
    for f in cat.flag:
        flags.add_row(f"{text(f, lang)} ({f.id})", f.severity, " ".join(f.evidence))
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(table)
    console.print(flags)
    return console.file.getvalue()
