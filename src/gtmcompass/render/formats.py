"""The output formats of ``score`` and ``rank``, all rendered from the same result dicts.

The JSON element (``gtmcompass.scoring.results``) is the single source: table, CSV and
Markdown are renderings of it, so every format says the same thing.
"""

from __future__ import annotations

import csv
import io
import json

from gtmcompass.vocab.escape import csv_cell, json_safe, md_cell, md_text, terminal_safe
from gtmcompass.vocab.terms import PLAYS

FORMATS = ("table", "json", "csv", "markdown")

# One encoder for every element: json.dumps(..., ensure_ascii=False) builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def to_json(results: list[dict]) -> str:
    """One JSON array, one element per line: valid JSON, and still greppable.

    C1 and bidirectional controls in names are written as ``\\uXXXX``: the same string to a
    JSON reader, nothing a terminal acts on when the output is printed."""
    if not results:
        return "[]\n"
    # One join of every piece: "[" + join + "]" copied the 68 MB of 100,000 results twice
    # more. Element by element: one name to escape copies its element, not the whole output
    # (re.sub returns the text itself when nothing matches).
    pieces = ["[\n"]
    for result in results:
        pieces += (json_safe(_ENCODER.encode(result)), ",\n")
    pieces[-1] = "\n]\n"
    return "".join(pieces)


# The contract's keys, nested ones flattened (``status.b_api``, lists ``;``-joined); then the
# project's own, documented in the README: ``win_shares.PLAY``, each play's share of the
# sampled weightings it wins. New columns go at the end, so a sheet's formulas keep theirs.
CSV_COLUMNS = ("source", "name", *PLAYS, "to_b", "to_c", "side", "play", "confidence",
               "flags", "weights", "error", "verdict", *(f"status.{p}" for p in PLAYS),
               "blockers", "missing", "as_of", *(f"win_shares.{p}" for p in PLAYS))
# How a verdict reads in the table and Markdown (machine formats keep the id).
VERDICT_WORDS = {"go": "go", "not_yet": "not yet", "insufficient_data": "not enough information"}


def blockers_text(result: dict, sep: str = ";") -> str:
    """``play:requirement`` for every failing requirement, e.g. ``b_private:tender_admission``."""
    return sep.join(f"{p}:{rid}" for p in PLAYS for rid in result["blockers"][p])


def flat_row(result: dict) -> dict:
    """One JSON element as one CSV row's cells (lists joined with ``;``), values as they are."""
    row = {k: result.get(k, "") for k in CSV_COLUMNS}
    if "scores" in result:
        row.update(result["scores"])
        row["flags"] = ";".join(result["flags"])
        row.update({f"status.{p}": s for p, s in result["status"].items()})
        row.update({f"win_shares.{p}": s for p, s in result.get("win_shares", {}).items()})
        row["blockers"] = blockers_text(result)
        row["missing"] = ";".join(result["missing"])
    return row


def to_csv(results: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    # Names, sources and messages come from untrusted files: a cell shows controls escaped
    # and starts with "'" where it would start a formula (numbers stay numbers).
    writer.writerows({k: csv_cell(v) if isinstance(v, str) else v for k, v in flat_row(r).items()}
                     for r in results)
    return buffer.getvalue()


def to_markdown(results: list[dict]) -> str:
    head = ["Source", "Name", *PLAYS, "Side", "Play", "Verdict", "Confidence", "Flags",
            "Blockers"]
    committee = any("committee" in r for r in results)
    if committee:
        head.append("Partners")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        # Sources, names and messages are user text; the rest is ours.
        if "error" in r:
            cells = [md_text(r["source"]), "**error**", md_text(r["error"]),
                     *[""] * (len(head) - 3)]
        else:
            cells = [md_text(r["source"]), md_text(r["name"]),
                     *(md_cell(c) for c in (*(f"{r['scores'][p]:.1f}" for p in PLAYS),
                                            r["side"], r["play"], VERDICT_WORDS[r["verdict"]],
                                            _confidence(r), ", ".join(r["flags"]),
                                            blockers_text(r, ", "),
                                            *([_agree(r)] if committee else [])))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# A table written to a file or a pipe: wide enough for every column of the eight examples.
TABLE_WIDTH = 140


def to_table(results: list[dict], width: int | None = None) -> str:
    """A rich table rendered to text (colour only when the caller prints to a terminal)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Under 120 columns the flags' names would fold into a column of word pieces: count them
    # (``--format markdown`` or ``json`` names them).
    compact = (width or TABLE_WIDTH) < 120
    # Without the vertical rules a narrow table keeps ten columns for its content.
    table = Table(show_lines=False, header_style="bold",
                  box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD,
                  collapse_padding=compact, pad_edge=not compact)
    table.add_column("Name", overflow="fold", ratio=1 if compact else None)
    for play in PLAYS:
        # "b_private" over two lines ("b_" / "private") keeps four score columns in 80.
        table.add_column(play.replace("_", "_\n", 1) if compact else play, justify="right")
    table.add_column("Play")
    table.add_column("Verdict")
    table.add_column("Conf.", justify="right")
    table.add_column("Flags", overflow="fold")
    # A committee's weights (several --weights): how many partners' own weights agree.
    committee = any("committee" in r for r in results)
    if committee:
        table.add_column("Partners", justify="right")
    for r in results:
        if "error" in r:
            continue
        best = r["play"]
        cells = [f"[bold]{r['scores'][p]:.1f}[/]" if p == best else f"{r['scores'][p]:.1f}"
                 for p in PLAYS]
        # A name is plain text, never markup: "[/]" in a name raised MarkupError here, and an
        # escape sequence in it reached the terminal.
        table.add_row(Text(terminal_safe(r["name"])), *cells,
                      best if compact else f"{r['side']} / {best}",
                      VERDICT_WORDS[r["verdict"]], _confidence(r),
                      str(len(r["flags"])) if compact else ", ".join(r["flags"]) or "-",
                      *([_agree(r)] if committee else []))
    console = Console(file=io.StringIO(), width=width or TABLE_WIDTH, color_system=None)
    console.print(table)
    return console.file.getvalue()


def _agree(result: dict) -> str:
    """``3/4``: of the committee's partners, how many partners' own weights pick the play."""
    c = result.get("committee")
    return f"{c['agree']}/{c['of']}" if c else "-"


def _confidence(result: dict) -> str:
    # Sampling can be skipped (None); a play named for too little information has none.
    if result["confidence"] is None or result["verdict"] == "insufficient_data":
        return "-"
    return f"{result['confidence']:.2f}"


def render(results: list[dict], fmt: str, width: int | None = None) -> str:
    """``results`` in ``fmt``; ``width`` is the table's, in columns (default: TABLE_WIDTH)."""
    if fmt == "table":
        return to_table(results, width)
    return {"json": to_json, "csv": to_csv, "markdown": to_markdown}[fmt](results)
