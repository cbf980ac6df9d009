"""One spreadsheet cell to a profile value and back, for every column, from the field table.

The columns are the contract's key paths (``vocab.schema.FIELDS``) with ``schema_version``
first; how a cell is read and written follows the field's kind, unit and choices there, so a
field added to the table is a column here with nothing else to change. Ranges and vocabulary
are left to the model (``model.profile``), which words them as for a TOML file, with a
did-you-mean for a misspelt word; this module only turns text into the value a TOML file
would have held, and refuses text that no value reads as.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from gtmcompass.vocab.escape import defuse_formula, restore_formula
from gtmcompass.vocab.schema import FIELDS, REQUIRED_SECTIONS, FieldSpec

SCHEMA_COLUMN = "schema_version"
# Every column a profile can fill, in the contract's order: what `convert` and `new --csv`
# write, and what a header may name.
COLUMNS: tuple[str, ...] = (SCHEMA_COLUMN, *FIELDS)
_SCHEMA_SPEC = FieldSpec(SCHEMA_COLUMN, "int", minimum=1)
SPECS: dict[str, FieldSpec] = {SCHEMA_COLUMN: _SCHEMA_SPEC, **FIELDS}
# The columns a header must have: the contract's required keys.
REQUIRED_COLUMNS: tuple[str, ...] = tuple(p for p, s in FIELDS.items() if s.required)
LIST_SEPARATOR = ";"

# Plain decimal numbers only: Python's float() also reads "nan", "inf", "1_000" and " 12 ",
# none of which a spreadsheet means as a number here.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_WHOLE = re.compile(r"[+-]?[0-9]+")
# "12,5" is 12.5 where a comma writes decimals and 125 where it groups thousands: never guessed.
_COMMA_NUMBER = re.compile(r"[+-]?[0-9.,]*,[0-9.,]*")
_RANGE = re.compile(r"[^.]*[0-9]\s*\.\.\s*[0-9.+-]")
# Python's int() refuses longer decimal strings (sys.int_info.str_digits_check_threshold,
# 640, is the floor of its limit); every count the contract allows has at most 19 digits.
_INT_DIGITS = 640
_TRUE = frozenset(("true", "yes", "1"))
_FALSE = frozenset(("false", "no", "0"))
RANGE_REFUSED = ("one number (a range low..high arrives with estimates, which are not "
                 "supported yet)")


class CellError(ValueError):
    """Text in a cell that reads as no value of its column; the message says what was expected."""


def _shown(text: str) -> str:
    # As problems.describe_value shows a value: quoted, and short.
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _number(spec: FieldSpec, text: str) -> int | float:
    # The plain cases first: nearly every cell of a sheet is one (a third of the read time).
    if spec.kind == "int":
        if _WHOLE.fullmatch(text) and len(text) <= _INT_DIGITS:
            return int(text)
    elif _DECIMAL.fullmatch(text):
        return float(text)
    if _RANGE.match(text):
        raise CellError(f"{RANGE_REFUSED}, got {_shown(text)}")
    if _COMMA_NUMBER.fullmatch(text):
        raise CellError(
            f"a number written with a point for decimals and no thousands separator, got "
            f"{_shown(text)}: is it {text.replace('.', '').replace(',', '.')} (a comma for "
            f"decimals) or {text.replace(',', '')} (a comma between thousands)?")
    percent = text.endswith("%")
    if percent:
        if spec.unit != "share":
            raise CellError(f"a plain number (percentages only in share columns, 0..1), got "
                            f"{_shown(text)}")
        text = text[:-1].rstrip()
    if spec.kind == "int" and not percent:
        if _WHOLE.fullmatch(text) and len(text) <= _INT_DIGITS:
            return int(text)
        # "150.0" is how a spreadsheet formats a whole number as a decimal: still 150.
        if _DECIMAL.fullmatch(text) and (value := float(text)).is_integer() and abs(value) < 2**63:
            return int(value)
        raise CellError(f"a whole number, got {_shown(text)}")
    if not _DECIMAL.fullmatch(text):
        raise CellError(f"a number, got {_shown(text)}")
    # 18 / 100 is the float nearest 0.18, as a TOML file's 0.18 is (one correctly rounded step).
    return float(text) / 100 if percent else float(text)


def parse_cell(column: str, cell: str) -> object:
    """The value the text ``cell`` of ``column`` stands for, or None for an empty cell
    (absent: unknown or the default). CellError if no value of the column reads so.

    Text columns keep their cell as written (spaces included), less the apostrophe that
    :func:`format_cell` puts before a formula start; every other cell is read stripped.
    """
    return _READERS[column](cell)


def _text_cell(cell: str) -> str | None:
    return restore_formula(cell) if cell else None


def _reader(spec: FieldSpec) -> Callable[[str], object]:
    if spec.kind in ("text", "notes"):
        return _text_cell

    def read(cell: str) -> object:
        text = cell.strip()
        return _stripped(spec, text) if text else None

    return read


def _stripped(spec: FieldSpec, text: str) -> object:
    kind = spec.kind
    if kind in ("int", "float"):
        return _number(spec, text)
    if kind == "bool":
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise CellError(f"true or false, got {_shown(text)}")
    if kind == "date":
        try:
            # fromisoformat also reads "20240801" and week dates; the contract writes YYYY-MM-DD.
            if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                return dt.date.fromisoformat(text)
        except ValueError:
            pass
        raise CellError(f"a date YYYY-MM-DD, got {_shown(text)}")
    if kind == "multi":
        return [word.strip() for word in text.split(LIST_SEPARATOR) if word.strip()]
    return text  # a choice: the model checks the word and suggests the one meant


_READERS: dict[str, Callable[[str], object]] = {c: _reader(s) for c, s in SPECS.items()}
# A header's plan: per column its key path, section (or ""), key and reader; None for a
# column --lenient drops.
Plan = list[tuple[str, str, str, Callable[[str], object]] | None]


def plan_of(columns: list[str | None]) -> Plan:
    """How to read the rows under a header of these key paths (None: a dropped column)."""
    plan: Plan = []
    for column in columns:
        if column is None:
            plan.append(None)
            continue
        section, _, key = column.rpartition(".")
        plan.append((column, section, key, _READERS[column]))
    return plan


def read_row(plan: Plan, row: list[str]) -> tuple[dict, list[tuple[str, str]]]:
    """A profile document (as a TOML table parses to) from a row's cells, and the
    (key path, what was expected) of each cell no value reads from.

    The sections the contract requires are always there, so a missing value is reported at
    its key path (``funding.cash``), not as a missing section.
    """
    doc: dict = {SCHEMA_COLUMN: 1}
    for section in REQUIRED_SECTIONS:
        doc[section] = {}
    errors: list[tuple[str, str]] = []
    for step, cell in zip(plan, row, strict=False):
        if step is None:
            continue
        column, section, key, read = step
        try:
            value = read(cell)
        except CellError as exc:
            errors.append((column, str(exc)))
            continue
        if value is None:
            continue
        if section:
            table = doc.get(section)
            if table is None:
                table = doc[section] = {}
            table[key] = value
        else:
            doc[key] = value
    return doc, errors


def format_cell(column: str, value: object) -> str:
    """The cell text that :func:`parse_cell` reads back as ``value`` (None: an empty cell).

    Floats are written by ``repr``, the shortest text that reads back as the same float;
    names and notes are defused against formulas (``'=x``), which parse_cell undoes.
    """
    if value is None:
        return ""
    kind = SPECS[column].kind
    if kind in ("text", "notes"):
        return defuse_formula(str(value))
    if kind == "bool":
        return "true" if value else "false"
    if kind == "float":
        return repr(float(value))
    if kind == "date":
        return value.isoformat()
    if kind == "multi":
        return LIST_SEPARATOR.join(value)
    return str(value)


def row_of_document(doc: dict) -> list[str]:
    """The cells of every column for one profile document (``model.profile.to_document``)."""
    row = []
    for column in COLUMNS:
        section, _, key = column.rpartition(".")
        value = doc.get(section, {}).get(key) if section else doc.get(key)
        row.append(format_cell(column, value))
    return row
