"""Turning validation failures into one clear line each: key path, what was expected, what came.

Every message a user sees about a bad input goes through here, so the wording stays the
same in the terminal app, the batch command's stderr and the JSON error elements.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass

from pydantic import ValidationError

from gtmcompass.profile import known_keys

_EXPECTED_BY_TYPE = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "string_type": "a string",
    "finite_number": "a finite number (not nan or inf)",
    "missing": "a value (this key is required)",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "dict_type": "a table",
    "list_type": "an array",
    "tuple_type": "an array",
}


@dataclass(frozen=True)
class InputError:
    """One problem with one input: where it is and what was expected."""

    source: str
    key_path: str
    message: str

    def detail(self) -> str:
        """The text without the source, as used in a JSON error element."""
        return f"{self.key_path}: {self.message}" if self.key_path else self.message

    def __str__(self) -> str:
        return f"{self.source}: {self.detail()}"


def format_loc(loc: tuple[str | int, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def describe_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def _unknown_key_message(loc: tuple[str | int, ...]) -> str:
    key = str(loc[-1])
    section = str(loc[0]) if len(loc) == 2 else None
    choices = known_keys(section)
    if section is None and not choices:
        choices = ()
    guess = did_you_mean(key, choices)
    where = f"[{section}]" if section else "the top level"
    hint = f"; did you mean '{guess}'?" if guess else ""
    return f"unknown key '{key}' in {where}{hint}"


def _message(error: dict) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = error.get("input")
    if kind == "extra_forbidden":
        return _unknown_key_message(error["loc"])
    if kind == "value_error":
        expected = str(ctx.get("error", error["msg"]))
    elif kind == "literal_error":
        expected = f"one of {ctx.get('expected', '')}".replace(" or ", ", ")
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()))
        words = {
            "greater_than_equal": ">=",
            "greater_than": ">",
            "less_than_equal": "<=",
            "less_than": "<",
        }[kind]
        expected = f"a number {words} {bound}"
    elif kind == "string_too_short":
        expected = f"at least {ctx.get('min_length')} character(s)"
    elif kind == "string_too_long":
        expected = f"at most {ctx.get('max_length')} characters"
    else:
        expected = _EXPECTED_BY_TYPE.get(kind, error["msg"])
    if kind == "missing":
        return f"expected {expected}"
    return f"expected {expected}, got {describe_value(got)}"


def from_validation_error(
    source: str, exc: ValidationError, prefix: tuple[str | int, ...] = ()
) -> list[InputError]:
    """One InputError per pydantic error, most useful first (unknown keys lead)."""
    out = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        # Literal-in-tuple errors carry the index; a model validator's carry no field.
        out.append(InputError(source, format_loc(prefix + loc), _message(error)))
    out.sort(key=lambda e: 0 if e.message.startswith("unknown key") else 1)
    return out


def summary_line(errors: list[InputError]) -> str:
    """A single line for the batch command: the first problem and how many follow."""
    first = errors[0].detail()
    more = len(errors) - 1
    return first if more == 0 else f"{first} (+{more} more; run 'gtmcompass validate')"
