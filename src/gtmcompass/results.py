"""Batch results as the contract's JSON elements, and the other output formats built on them.

The JSON element (``shared/profile-format.md``) is the single source: table, CSV and
Markdown are renderings of the same dicts, so every format says the same thing. Extra keys
beyond the contract: ``weights`` (the weight set that produced the result) and
``win_shares`` (how often each play comes out on top under the sampled weightings).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

import numpy as np

from gtmcompass.engine import BatchScores, Engine
from gtmcompass.errors import summary_line
from gtmcompass.features import PLAYS, SIDES
from gtmcompass.files import Entry

FORMATS = ("table", "json", "csv", "markdown")


def score_entries(engine: Engine, entries: Sequence[Entry]) -> list[dict]:
    """Score every valid entry in one engine call; errors keep their place in the output."""
    good = [e for e in entries if e.ok]
    batch = engine.score([e.profile for e in good]) if good else None
    out: list[dict] = []
    i = 0
    for entry in entries:
        if entry.ok:
            out.append(result_dict(engine, batch, i, entry))
            i += 1
        else:
            out.append({"source": entry.source, "error": summary_line(entry.errors)})
    return out


def result_dict(engine: Engine, batch: BatchScores, i: int, entry: Entry) -> dict:
    scores = batch.scores[i]
    confidence = batch.confidence[i]
    return {
        "source": entry.source,
        "name": entry.profile.name,
        "scores": {p: round(float(s), 1) for p, s in zip(PLAYS, scores)},
        "to_b": round(float(batch.to_b[i]), 1),
        "to_c": round(float(batch.to_c[i]), 1),
        "side": SIDES[int(batch.side[i])],
        "play": PLAYS[int(batch.play[i])],
        "confidence": None if np.isnan(confidence) else round(float(confidence), 3),
        "flags": [engine.flags[j].id for j in np.flatnonzero(batch.flags[i])],
        "weights": engine.weights_name,
        "win_shares": {p: round(float(s), 3) for p, s in zip(PLAYS, batch.win_share[i])},
    }


def to_json(results: list[dict]) -> str:
    """One JSON array, one element per line: valid JSON, and still greppable."""
    if not results:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in results) + "\n]\n"


CSV_COLUMNS = ("source", "name", *PLAYS, "to_b", "to_c", "side", "play", "confidence",
               "flags", "weights", "error")


def _flat(result: dict) -> dict:
    row = {k: result.get(k, "") for k in CSV_COLUMNS}
    if "scores" in result:
        row.update(result["scores"])
        row["flags"] = ";".join(result["flags"])
    return row


def to_csv(results: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_flat(r) for r in results)
    return buffer.getvalue()


def _md_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def to_markdown(results: list[dict]) -> str:
    head = ["Source", "Name", *PLAYS, "Side", "Play", "Confidence", "Flags"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        if "error" in r:
            cells = [r["source"], "**error**", r["error"], *[""] * (len(head) - 3)]
        else:
            cells = [r["source"], r["name"], *(f"{r['scores'][p]:.1f}" for p in PLAYS),
                     r["side"], r["play"], f"{r['confidence']:.2f}", ", ".join(r["flags"])]
        lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def to_table(results: list[dict], width: int | None = None) -> str:
    """A rich table rendered to text (colour only when the caller prints to a terminal)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    table.add_column("Name", overflow="fold")
    for play in PLAYS:
        table.add_column(play, justify="right")
    table.add_column("Verdict")
    table.add_column("Conf.", justify="right")
    table.add_column("Flags", overflow="fold")
    for r in results:
        if "error" in r:
            continue
        best = r["play"]
        cells = [f"[bold]{r['scores'][p]:.1f}[/]" if p == best else f"{r['scores'][p]:.1f}"
                 for p in PLAYS]
        table.add_row(r["name"], *cells, f"{r['side']} / {best}", f"{r['confidence']:.2f}",
                      ", ".join(r["flags"]) or "-")
    console = Console(file=io.StringIO(), width=width or 140, color_system=None)
    console.print(table)
    return console.file.getvalue()


def render(results: list[dict], fmt: str) -> str:
    return {"json": to_json, "csv": to_csv, "markdown": to_markdown, "table": to_table}[fmt](results)
