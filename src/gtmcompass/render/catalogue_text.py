"""The catalogue as a document: ``gtmcompass criteria`` as JSON, Markdown or a table."""

from __future__ import annotations

import io

from gtmcompass.model.catalogue import Criterion, Flag, Requirement, load_catalogue, load_evidence
from gtmcompass.model.wording import fact_lines, rule_summary, text
from gtmcompass.vocab.i18n import tr
from gtmcompass.vocab.terms import PLAYS, REGIONS


def regions_text(c: Criterion, lang: str) -> str:
    """Where a market condition applies, e.g. "China 1, worldwide 0.5, overseas 0"."""
    if not c.regions:
        return tr("catalogue.everywhere", lang)
    return ", ".join(f"{tr(f'region.{r}', lang)} {c.regions[r]:g}" for r in REGIONS)


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
        # Empty: the criterion applies everywhere; else how fully, per target region.
        "regions": dict(c.regions),
    }


def requirement_document(r: Requirement) -> dict:
    return {
        "id": r.id, "en": r.en, "zh": r.zh, "gates": list(r.gates),
        "partner_route": r.partner_route, "evidence": list(r.evidence),
        "rationale_en": r.rationale_en, "rationale_zh": r.rationale_zh,
        "fix_en": r.fix_en, "fix_zh": r.fix_zh,
        "when": [c.model_dump(exclude_defaults=True, by_alias=True) for c in r.when],
        "when_any": [c.model_dump(exclude_defaults=True, by_alias=True) for c in r.when_any],
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
        "requirements": [requirement_document(r) for r in cat.requirement],
        "sufficiency": [s.model_dump(exclude_defaults=True, by_alias=True)
                        for s in cat.sufficiency],
        "explanations": [e.model_dump() for e in cat.explanation],
    }


def catalogue_markdown(lang: str = "en") -> str:
    cat = load_catalogue()
    out = ["# " + tr("catalogue.title", lang, version=cat.version), ""]
    for family in cat.family:
        out += [f"## {text(family, lang)}", ""]
        for c in (c for c in cat.criterion if c.family == family.id):
            weights = ", ".join(f"{p} {c.weights[p]:+g}" for p in PLAYS if c.weights[p])
            out += [f"### {text(c, lang)} (`{c.id}`)", "", text(c, lang, "rationale"), "",
                    f"- {tr('catalogue.rule', lang)}: {rule_summary(c)}",
                    f"- {tr('catalogue.weights', lang)}: {weights}",
                    f"- {tr('catalogue.regions', lang)}: {regions_text(c, lang)}",
                    f"- {tr('catalogue.evidence', lang)}:"]
            out += [f"  - {line}" for line in fact_lines(c.evidence, lang)]
            out.append("")
    out += ["## " + tr("catalogue.flags", lang), ""]
    for f in cat.flag:
        out += [f"### {text(f, lang)} (`{f.id}`, {tr(f'severity.{f.severity}', lang)})", "",
                text(f, lang, "rationale"), ""]
        out += [f"- {line}" for line in fact_lines(f.evidence, lang)]
        out.append("")
    out += ["## " + tr("catalogue.requirements", lang), ""]
    for r in cat.requirement:
        route = tr("catalogue.yes" if r.partner_route else "catalogue.no", lang)
        out += [f"### {text(r, lang)} (`{r.id}`)", "", text(r, lang, "rationale"), "",
                f"- {tr('catalogue.gates', lang)}: {', '.join(r.gates)}",
                f"- {tr('catalogue.partner_route', lang)}: {route}",
                f"- {tr('catalogue.fix', lang)}: {text(r, lang, 'fix')}"]
        out += [f"- {line}" for line in fact_lines(r.evidence, lang)]
        out.append("")
    return "\n".join(out)


def catalogue_table(lang: str = "en", width: int | None = None) -> str:
    from rich.console import Console
    from rich.table import Table

    cat = load_catalogue()
    table = Table(header_style="bold", show_lines=False)
    word = {k: tr(f"catalogue.{k}", lang) for k in (
        "criterion", "family", "evidence", "regions", "flag", "severity", "requirement",
        "gates", "partner_route")}
    table.add_column(word["criterion"], overflow="fold")
    table.add_column(word["family"], overflow="fold")
    for play in PLAYS:
        table.add_column(play, justify="right")
    table.add_column(word["regions"], overflow="fold")
    table.add_column(word["evidence"], overflow="fold")
    for c in cat.criterion:
        table.add_row(f"{text(c, lang)} ({c.id})", text(cat.family_by_id(c.family), lang),
                      *(f"{c.weights[p]:+g}" if c.weights[p] else "" for p in PLAYS),
                      regions_text(c, lang), " ".join(c.evidence))
    flags = Table(header_style="bold")
    for col in ("flag", "severity", "evidence"):
        flags.add_column(word[col], overflow="fold")
    for f in cat.flag:
        flags.add_row(f"{text(f, lang)} ({f.id})", tr(f"severity.{f.severity}", lang),
                      " ".join(f.evidence))
    requirements = Table(header_style="bold")
    for col in ("requirement", "gates", "partner_route", "evidence"):
        requirements.add_column(word[col], overflow="fold")
    for r in cat.requirement:
        requirements.add_row(f"{text(r, lang)} ({r.id})", ", ".join(r.gates),
                             tr("catalogue.yes" if r.partner_route else "catalogue.no", lang),
                             " ".join(r.evidence))
    console = Console(file=io.StringIO(), width=width or 140, color_system=None)
    console.print(table)
    console.print(flags)
    console.print(requirements)
    return console.file.getvalue()
