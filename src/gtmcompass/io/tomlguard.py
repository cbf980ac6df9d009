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
# a match at most once, and the possessive quantifiers never backtrack. This pattern only
# ever runs on the skeleton below, where every quoted part is ``"s"``: on raw text a quoted
# part could be retried from every quote of a 40,000-quote line, each time to its end, and
# the search grew with the square of the line (80 KB of ``\"`` took 27 s).
_KEY_PART = r"""(?:(?<![A-Za-z0-9_-])[A-Za-z0-9_-]++|"(?:[^"\\\n]|\\.)*+"|'[^'\n]*+')"""
_LONG_DOTTED_KEY = re.compile(
    rf"{_KEY_PART}(?:[ \t]*+\.[ \t]*+{_KEY_PART}){{{MAX_DOTTED_PARTS},}}")
# The whitespace around a dotted key's dots is spaces and tabs, so such a key lies on one
# line, with at least MAX_DOTTED_PARTS dots on it. Anchored at line starts, each line is
# scanned once: a file with no such line (every profile) needs no skeleton.
_MANY_DOTS_LINE = re.compile(rf"^[^\n.]*+(?:\.[^\n.]*+){{{MAX_DOTTED_PARTS}}}", re.MULTILINE)
# Strings and comments, which may hold dots of their own; replaced before the real check.
# Every alternative matches wherever it starts: a string left open runs to the end of its line
# (or of the text, for a multi-line one), so no quote is ever the start of a second scan of
# the same text, and one pass over the text is all the substitution costs. An open string is
# not TOML, and ``tomllib`` stops there, so nothing after it on that line is ever parsed.
_STRING_OR_COMMENT = re.compile(
    r'''"""(?:[^"\\]|\\.|"(?!""))*+(?:"{3,5}|.*+)'''
    r'''|\'\'\'(?:[^']|'(?!''))*+(?:'{3,5}|.*+)'''
    r'''|"(?:[^"\\\n]|\\[^\n])*+(?:"|[^\n]*+)|'[^'\n]*+'?|\#[^\n]*+''',
    re.DOTALL,
)


class TomlRefused(ValueError):
    """Text that is not TOML, or that the guards refuse; the message is one line."""


def too_deep_line(text: str) -> int | None:
    """The line of a dotted key with more than MAX_DOTTED_PARTS parts outside strings, if any.

    Linear in the text: each pattern is applied in one left-to-right pass (see above).
    """
    if _MANY_DOTS_LINE.search(text) is None:
        return None  # the common case: one pass over the text and done
    # Strings and comments may hold such chains harmlessly ("see v1.2.3.4.5.6.7.8.9");
    # blank them out (keeping their newlines, so line numbers stay true) and look.
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
