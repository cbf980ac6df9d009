"""Turning validation failures into one clear line each: key path, what was expected, what came.

Every message a user sees about a bad input goes through here, so the wording stays the
same in the terminal app, the batch command's stderr and the JSON error elements.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass

from pydantic import ValidationError

from gtmcompass.model.profile import known_keys
from gtmcompass.vocab.escape import key_shown, odd_characters
from gtmcompass.vocab.schema import FIELDS
from gtmcompass.vocab.escape import terminal_safe as printable

_EXPECTED_BY_TYPE = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "string_type": "a string",
    # pydantic refuses lone surrogates (a UTF-8 file cannot hold them; the app could paste one).
    "string_unicode": "text without unpaired surrogates",
    "finite_number": "a finite number (not nan or inf)",
    "missing": "a value (this key is required)",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "dict_type": "a table",
    "list_type": "an array",
    "tuple_type": "an array",
    "date_type": "a TOML date (YYYY-MM-DD, unquoted)",
    "date_parsing": "a TOML date (YYYY-MM-DD, unquoted)",
    "date_from_datetime_inexact": "a TOML date (YYYY-MM-DD), not a date and time",
}


# A file may hold 200,000 unknown keys; turning each into a did-you-mean message costs about
# 25 microseconds (5 s in all), and nobody reads past the first screenful. The rest are counted.
MAX_ERRORS = 100
# Keys come from untrusted files and may be a megabyte long; a message shows this much of one.
KEY_SHOWN_CHARS = 60
# A look-alike key is explained by this many of its odd characters (a zero-width space or a
# Cyrillic "с" is usually the only one; the rest are left to the escaped key itself).
ODD_CHARS_NAMED = 3


def shorten(text: str, limit: int = KEY_SHOWN_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class InputError:
    """One problem with one input: where it is and what was expected."""

    source: str
    key_path: str
    message: str

    def detail(self) -> str:
        """The text without the source, as used in a JSON error element; always one line."""
        text = f"{self.key_path}: {self.message}" if self.key_path else self.message
        return printable(text)

    def __str__(self) -> str:
        return f"{printable(self.source)}: {self.detail()}"


@dataclass(frozen=True)
class OmittedErrors(InputError):
    """Stands for ``count`` further problems that were counted but not described."""

    count: int = 0


def format_loc(loc: tuple[str | int, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            part = key_shown(shorten(str(part)))
            path += f".{part}" if path else part
    return path


def describe_value(value: object) -> str:
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        # repr of a 20 MB string would copy it only to throw all but 40 characters away.
        value = value[:40]
    elif isinstance(value, int) and abs(value) >= 10**40:
        # str() of an int is quadratic in its digits, and refused beyond 4,300 of them.
        return f"an integer of {value.bit_length() * 30103 // 100000 + 1} digits"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_key_message(loc: tuple[str | int, ...]) -> str:
    """``unknown key 'x' in [section]; did you mean 'y'?`` for the key at ``loc``."""
    key = str(loc[-1])
    section = str(loc[0]) if len(loc) == 2 else None
    choices = known_keys(section)
    if section is None and not choices:
        choices = ()
    guess = did_you_mean(key, choices)
    where = f"[{key_shown(section)}]" if section else "the top level"
    hint = f"; did you mean '{guess}'?" if guess else ""
    # 'ca\u200bsh' and 'cash' print alike: the key is shown escaped and the difference named.
    shown = shorten(key)
    odd = odd_characters(shown)[:ODD_CHARS_NAMED]
    why = f" (it holds {', '.join(odd)}; keys are plain ASCII)" if odd else ""
    return f"unknown key '{key_shown(shown)}' in {where}{hint}{why}"


def _number(value: object) -> str:
    """1e9 as 1,000,000,000, a year as 9999: bounds read as people write them (digits
    grouped from five on, so a year is never written 9,999)."""
    if not isinstance(value, (int, float)):
        return str(value)
    return f"{value:,.15g}" if abs(value) >= 10_000 else f"{value:.15g}"


def _message(error: dict) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = error.get("input")
    if kind == "extra_forbidden":
        return unknown_key_message(error["loc"])
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
        spec = FIELDS.get(".".join(str(part) for part in error["loc"]))
        if spec is not None and spec.minimum is not None and spec.maximum is not None:
            # The whole range, so a founder who typed 2e307 sees where the bounds are.
            expected = f"a number from {_number(spec.minimum)} to {_number(spec.maximum)}"
        else:
            expected = f"a number {words} {_number(bound)}"
    elif kind == "string_too_short":
        expected = f"at least {ctx.get('min_length')} character(s)"
    elif kind == "string_too_long":
        expected = f"at most {ctx.get('max_length')} characters"
    else:
        expected = _EXPECTED_BY_TYPE.get(kind, error["msg"])
    if kind == "missing":
        return f"expected {expected}"
    hint = ""
    if kind == "literal_error" and isinstance(got, str):
        # 'heathcare' is a typo of a vocabulary word, as 'ca sh' is of a key: say which.
        words = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        guess = did_you_mean(got, words)
        hint = f"; did you mean '{guess}'?" if guess else ""
    return f"expected {expected}, got {describe_value(got)}{hint}"


def from_validation_error(
    source: str, exc: ValidationError, prefix: tuple[str | int, ...] = ()
) -> list[InputError]:
    """One InputError per pydantic error, most useful first (unknown keys lead).

    At most ``MAX_ERRORS`` are described; any beyond are counted in a final OmittedErrors.
    """
    errors = exc.errors(include_url=False, include_context=True, include_input=True)
    # Unknown keys lead: a misspelt key usually explains the "missing" error that follows it.
    errors.sort(key=lambda e: 0 if e["type"] == "extra_forbidden" else 1)
    out: list[InputError] = []
    for error in errors[:MAX_ERRORS]:
        loc = tuple(error["loc"])
        # Literal-in-tuple errors carry the index; a model validator's carry no field.
        out.append(InputError(source, format_loc(prefix + loc), _message(error)))
    return out + omitted(source, len(errors) - MAX_ERRORS)


def omitted(source: str, count: int) -> list[InputError]:
    """``[OmittedErrors]`` for ``count`` > 0 problems left undescribed, else ``[]``."""
    if count <= 0:
        return []
    return [OmittedErrors(source, "", f"{count:,} more problem(s) not listed", count)]


def error_count(errors: list[InputError]) -> int:
    """How many problems ``errors`` stands for, counting those an OmittedErrors summarises."""
    return sum(e.count if isinstance(e, OmittedErrors) else 1 for e in errors)


def summary_line(errors: list[InputError]) -> str:
    """A single line for the batch command: the first problem and how many follow."""
    first = errors[0].detail()
    more = error_count(errors) - 1
    return first if more == 0 else f"{first} (+{more} more; run 'gtmcompass validate')"
