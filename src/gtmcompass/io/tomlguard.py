"""``tomllib.loads`` for untrusted text, refusing what would exhaust memory or crash it.

Nothing heavier than the standard library is imported, so the terminal app can preview a
file before its first frame with the same guards ``files.parse_bytes`` applies:

- a dotted key or table header of more than MAX_DOTTED_PARTS parts is refused before
  ``tomllib`` sees it: its memory grows with the square of the parts (a 200 KB line
  ``a.a.a... = 1`` of 100,000 parts took over 20 GB and was killed; 4,000 parts took 73 MB);
- an integer of more than 4,300 digits, which ``tomllib`` lets ``int()`` refuse with a plain
  ValueError instead of a TOMLDecodeError;
- nesting too deep for the parser's recursion (RecursionError).

Every refusal is a :class:`TomlRefused`, a ValueError like ``tomllib.TOMLDecodeError``, whose
message is one line (the caller adds the file's name).
"""

from __future__ import annotations

import re
import tomllib

# A profile is three levels deep (file > section > array); eight leaves room for nothing else.
MAX_DEPTH = 8
# 64 parts cost nothing to parse, and a profile's keys have at most 3 (``[[profile]]`` tables
# with ``market.cac``), so chains of 9 to 64 parts reach validation, where a batch file refuses
# only the profile that is nested too deeply.
MAX_DOTTED_PARTS = 64
# Parts are bare keys or quoted keys; the look-behind makes each run of key characters start
# a match at most once, and the possessive quantifiers never backtrack, so the search is
# linear in the text.
_KEY_PART = r"""(?:(?<![A-Za-z0-9_-])[A-Za-z0-9_-]++|"(?:[^"\\\n]|\\.)*+"|'[^'\n]*+')"""
_LONG_DOTTED_KEY = re.compile(
    rf"{_KEY_PART}(?:[ \t]*+\.[ \t]*+{_KEY_PART}){{{MAX_DOTTED_PARTS},}}")
# Strings and comments, which may hold dots of their own; replaced before the real check.
_STRING_OR_COMMENT = re.compile(
    r'''"""(?:[^"\\]|\\.|"(?!""))*+"{3,5}|\'\'\'(?:[^']|'(?!''))*+'{3,5}'''
    r'''|"(?:[^"\\\n]|\\.)*+"|'[^'\n]*+'|\#[^\n]*+''',
    re.DOTALL,
)


class TomlRefused(ValueError):
    """Text that is not TOML, or that the guards refuse; the message is one line."""


def too_deep_line(text: str) -> int | None:
    """The line of a dotted key with more than MAX_DOTTED_PARTS parts outside strings, if any."""
    if _LONG_DOTTED_KEY.search(text) is None:
        return None  # the common case: one linear search and done
    # Strings and comments may hold such chains harmlessly ("see v1.2.3.4.5.6.7.8.9");
    # blank them out (keeping their newlines, so line numbers stay true) and look again.
    skeleton = _STRING_OR_COMMENT.sub(lambda m: '"s"' + "\n" * m.group().count("\n"), text)
    found = _LONG_DOTTED_KEY.search(skeleton)
    return None if found is None else skeleton.count("\n", 0, found.start()) + 1


def loads(text: str) -> dict:
    """The parsed document, or TomlRefused saying why not (after the file's name and ": ")."""
    line = too_deep_line(text)
    if line is not None:
        raise TomlRefused(f"nested too deeply: a dotted key on line {line} has more than "
                          f"{MAX_DOTTED_PARTS} parts; expected at most {MAX_DEPTH} levels")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlRefused(f"not valid TOML: {exc}") from None
    except ValueError:
        raise TomlRefused("not valid TOML: an integer of more than 4,300 digits; TOML "
                          "integers are 64-bit") from None
    except RecursionError:
        raise TomlRefused(f"nested too deeply; expected at most {MAX_DEPTH} levels") from None
