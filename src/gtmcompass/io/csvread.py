"""Spreadsheet files (``.csv``): a header of key paths, one profile per row, read with ``csv``.

The contract's section "Spreadsheet files (CSV)": UTF-8 (a BOM is allowed), comma-separated,
a header row of key paths, an empty cell is absent, ``compliance.qualifications`` is
``;``-separated, ``schema_version`` may be left out. Each row becomes the document a TOML
table would parse to (``csvcells``) and is validated by the model as a table is, so the
entries, their messages and everything after them are those of a batch file.

Where one problem is in the file, not a row, it is one error for the file: bytes that are not
UTF-8 text, a NUL byte, a header with an unknown, repeated or missing column, more than
``MAX_COLUMNS`` columns. A row's problem is the row's alone (its source ``FILE#N``, N counted
from 1 under the header, blank rows included, so row N is the sheet's row N + 1), and the
other rows are still read: cells a value cannot be read from, more or fewer cells than the
header. A quote that is never closed swallows the rest of the file: that row is the last.
Blank rows and empty cells past the header's last column are what spreadsheets leave, and are
passed over.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from pydantic import ValidationError

from gtmcompass.io.csvcells import COLUMNS, REQUIRED_COLUMNS, Plan, plan_of, read_row
from gtmcompass.io.files import LENIENT_NOTE, Entry, InputError
from gtmcompass.model.problems import MAX_ERRORS, did_you_mean, from_validation_error, omitted
from gtmcompass.model.profile import Profile
from gtmcompass.vocab.escape import key_shown

# A profile has 30 columns; a CRM export (Airtable, Notion, Affinity) may add its own, which
# --lenient drops. Past this many the header is not a profile's: 20,000 columns would cost a
# did-you-mean each and a 20,000-cell dict per row.
MAX_COLUMNS = 1024
CSV_SUFFIX = ".csv"
_BOM = "\ufeff"
# What a file that is not CSV text starts with, and what it then probably is.
_NOT_TEXT = ((b"\xff\xfe", "UTF-16 text; expected UTF-8 (save as \"CSV UTF-8\")"),
             (b"\xfe\xff", "UTF-16 text; expected UTF-8 (save as \"CSV UTF-8\")"),
             (b"PK\x03\x04", "a zip archive (an .xlsx or .numbers workbook?); expected CSV "
                             "text: export the sheet as \"CSV UTF-8\""))
_QUOTE_HINT = 'a quote inside a cell is written twice ("")'


def is_csv(source: str) -> bool:
    """Whether a file is read as a spreadsheet: its name ends in ``.csv`` (any case)."""
    return source.lower().endswith(CSV_SUFFIX)


def _file_error(source: str, message: str) -> list[Entry]:
    return [Entry(source, errors=[InputError(source, "", message)])]


def _text(data: bytes, source: str) -> str | list[Entry]:
    """The file's text without its BOM, or the one error that says why it has none."""
    for magic, what in _NOT_TEXT:
        if data.startswith(magic):
            return _file_error(source, f"is {what}")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return _file_error(source, f"holds a NUL byte on line {line}; expected CSV text "
                                   "(is it a workbook rather than a CSV export?)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return _file_error(source, f"not UTF-8 text (byte 0x{data[exc.start]:02x} on line "
                                   f"{line}); expected a UTF-8 CSV file (save as \"CSV UTF-8\")")
    return text.removeprefix(_BOM)


def _column_hint(name: str) -> str:
    """``; did you mean 'sector.vertical'?`` for a header cell that is no key path."""
    lowered = name.lower()
    guesses = [c for c in COLUMNS if c == lowered] or [
        c for c in COLUMNS if c.rsplit(".", 1)[-1] == lowered]
    guess = guesses[0] if guesses else did_you_mean(lowered, COLUMNS)
    return f" (did you mean '{guess}'?)" if guess else ""


def _header(
    header: list[str], source: str, lenient: bool
) -> tuple[list[str | None], list[InputError]] | list[Entry]:
    """Each column's key path (None: dropped by --lenient) and the warnings for those dropped,
    or the file's one error."""
    names = [cell.strip() for cell in header]
    while names and not names[-1]:
        names.pop()  # empty columns a spreadsheet leaves after the last one
    if len(names) > MAX_COLUMNS:
        return _file_error(source, f"header has {len(names):,} columns; expected at most "
                                   f"{MAX_COLUMNS:,} (one per key path: {len(COLUMNS)})")
    columns: list[str | None] = []
    seen: dict[str, int] = {}
    unknown: list[InputError] = []
    for number, name in enumerate(names, start=1):
        if not name:
            return _file_error(source, f"column {number} of the header is empty; expected a "
                                       "key path such as 'funding.cash'")
        if name in seen:
            return _file_error(source, f"column {number} '{key_shown(name)}' repeats column "
                                       f"{seen[name]}; expected each key path once")
        seen[name] = number
        if name in COLUMNS:
            columns.append(name)
            continue
        message = f"unknown column {number} '{key_shown(name)}'{_column_hint(name)}"
        if not lenient:
            more = sum(1 for n in names[number:] if n and n not in COLUMNS)
            tail = f" ({more:,} more unknown)" if more else ""
            return _file_error(source, f"{message}{tail}; expected key paths of the profile "
                                       "format (--lenient drops other columns)")
        unknown.append(InputError(source, key_shown(name), f"{message}; {LENIENT_NOTE}"))
        columns.append(None)
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    if missing:
        return _file_error(source, f"no column {', '.join(missing)}; expected every required "
                                   "key path in the header")
    return columns, unknown[:MAX_ERRORS] + omitted(source, len(unknown) - MAX_ERRORS)


def _csv_problem(exc: csv.Error, line: int, start: int) -> str:
    """One line for the csv module's error in the row from line ``start`` to ``line``."""
    reason = str(exc)
    if "unexpected end of data" in reason:
        what = f"a quote opened in the row on line {start} is never closed"
    elif "field larger than field limit" in reason:
        what = (f"a cell of more than {csv.field_size_limit():,} characters ends on line {line} "
                "(a quote left open?)")
    elif "expected after" in reason:
        what = f"a quote ends in the middle of a cell on line {line}; {_QUOTE_HINT}"
    else:
        what = f"not CSV on line {line} ({reason})"
    return f"{what}; the rows after it are not read"


def _row_entry(row: list[str], plan: Plan, source: str) -> Entry:
    width = len(plan)
    if len(row) != width and (len(row) < width or any(c.strip() for c in row[width:])):
        return Entry(source, errors=[InputError(source, "", (
            f"row has {len(row):,} cells; expected {width:,}, one per column of the header "
            f"(a comma inside a cell needs the cell in quotes)"))])
    doc, problems = read_row(plan, row)
    if problems:
        return Entry(source, errors=[InputError(source, column, f"expected {what}")
                                     for column, what in problems])
    # files.validate_document first runs first_problem, the caps on untrusted TOML (depth,
    # strings and keys longer than the notes may be): a row's document is two levels deep,
    # holds known keys only, and its strings are the model's to cap (name 120 characters,
    # notes 20,000; a cell is at most csv.field_size_limit(), 131,072). Skipping it is a
    # fifth of the time a row takes.
    try:
        return Entry(source, Profile.model_validate(doc))
    except ValidationError as exc:
        return Entry(source, errors=from_validation_error(source, exc))


def csv_entries(
    data: bytes, source: str, *, lenient: bool = False, slice_size: int = 2048
) -> Iterator[list[Entry]]:
    """Every profile of a CSV file's bytes, ``slice_size`` entries at a time."""
    text = _text(data, source)
    if not isinstance(text, str):
        yield text
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next((row for row in reader if any(cell.strip() for cell in row)), None)
    except csv.Error as exc:
        yield _file_error(source, f"header: {_csv_problem(exc, reader.line_num, 1)}")
        return
    if header is None:
        yield _file_error(source, "empty file; expected a header row of key paths and a row "
                                  "per profile")
        return
    parsed = _header(header, source, lenient)
    if isinstance(parsed, list):
        yield parsed
        return
    columns, warnings = parsed
    plan = plan_of(columns)
    entries: list[Entry] = []
    number = produced = 0
    while True:
        number += 1
        name = f"{source}#{number}"
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            entries.append(Entry(name, errors=[InputError(
                name, "", _csv_problem(exc, reader.line_num, start))]))
            break
        if not any(cell.strip() for cell in row):
            continue  # a blank row: counted, so that FILE#N stays the sheet's row N + 1
        entry = _row_entry(row, plan, name)
        if warnings:
            # The columns --lenient dropped, said once, with the first row read.
            entry.warnings[:0] = warnings
            warnings = []
        entries.append(entry)
        produced += 1
        if len(entries) >= slice_size:
            yield entries
            entries = []
    if not produced and not entries:
        entries = [Entry(source, errors=[InputError(
            source, "", "no rows under the header; expected a row per profile")],
            warnings=warnings)]
    yield entries
