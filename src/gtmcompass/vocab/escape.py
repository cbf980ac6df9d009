r"""Text from untrusted files made safe for each place it is shown: terminal, CSV, JSON,
Markdown and HTML, plus fitting text to a width.

A profile's name, its file name and a weight set's name come from files anyone can write.
Shown raw, ``\x1b]0;title\x07`` renames the terminal window, ``\x1b[2J`` clears it, U+202E
(right-to-left override) makes the rest of a line read backwards, ``<script>`` runs in a
Markdown viewer that allows HTML, and a newline starts a Markdown heading. Every output path
runs user text through one function here, so the rule is the same everywhere; this module
sits in the lowest layer so that every layer that prints can import it.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata

# Bidirectional controls: embeddings and overrides (U+202A-202E), isolates (U+2066-2069),
# the left-to-right, right-to-left and Arabic letter marks (U+200E, U+200F, U+061C).
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Cc: C0 (U+0000-001F), DEL (U+007F) and C1 (U+0080-009F, U+009B is a one-byte CSI);
# Zl/Zp: the line and paragraph separators that end a line as a newline does;
# Cs: lone surrogates, which a file name that is not UTF-8 decodes to and UTF-8 cannot print.
_UNSAFE_CATEGORIES = frozenset(("Cc", "Zl", "Zp", "Cs"))


def unsafe(ch: str) -> bool:
    """Whether a terminal would act on ``ch`` or a reader would not see it for what it is."""
    return unicodedata.category(ch) in _UNSAFE_CATEGORIES or ch in BIDI_CONTROLS


def _escaped(ch: str) -> str:
    return ch.encode("unicode_escape", "backslashreplace").decode("ascii")


def terminal_safe(text: str) -> str:
    r"""``text`` on one line with nothing a terminal acts on: unsafe characters escaped.

    A newline becomes ``\n``, an escape character ``\x1b``, U+202E ``\u202e``, a lone
    surrogate ``\udcff``; everything else, Chinese and right-to-left letters included, is
    left as it is.
    """
    # isprintable() is false for every unsafe character (Cc, Cf, Cs, Zl, Zp all count as
    # unprintable), so text without any costs one C-level scan.
    if text.isprintable():
        return text
    return "".join(_escaped(ch) if unsafe(ch) else ch for ch in text)


# What makes a spreadsheet read a cell as a formula (or, for tab and carriage return, shift
# it into one): OWASP's list for CSV injection. ``=HYPERLINK("http://x/?"&A1)`` in a name
# would send the row's data away when the sheet is opened.
FORMULA_START = frozenset("=+-@\t\r")
# The defuse OWASP recommends: a leading apostrophe, which a spreadsheet reads as "text".
DEFUSE = "'"


_AFTER_DEFUSE = FORMULA_START | {DEFUSE}


def _needs_defuse(text: str) -> bool:
    # A text that starts with the apostrophe itself and then a formula start (or another
    # apostrophe) gets one more, so that restore_formula gives back exactly what was defused.
    return text[:1] in FORMULA_START or (text[:1] == DEFUSE and text[1:2] in _AFTER_DEFUSE)


def defuse_formula(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs: ``'`` before a formula start (``=``,
    ``+``, ``-``, ``@``, tab, carriage return), and before an apostrophe already there when
    one of those or another apostrophe follows it. Undone exactly by :func:`restore_formula`."""
    return DEFUSE + text if _needs_defuse(text) else text


def restore_formula(text: str) -> str:
    """The text :func:`defuse_formula` was given: one leading ``'`` dropped where it put one."""
    if text[:1] == DEFUSE and text[1:2] in _AFTER_DEFUSE:
        return text[1:]
    return text


def csv_cell(value: object) -> str:
    """A result CSV cell's text as a terminal would show it safely (the csv module quotes it)
    and defused against formulas: a name ``=HYPERLINK(...)`` is written ``'=HYPERLINK(...)``.

    A leading tab or carriage return is escaped (``\\t``) by then, and still defused: the
    cell stands for text that began with one."""
    raw = str(value)
    text = terminal_safe(raw)
    if raw[:1] in ("\t", "\r"):
        return DEFUSE + text
    return defuse_formula(text)


# JSON strings escape C0 controls themselves; ensure_ascii=False (kept so Chinese stays
# readable) leaves DEL, C1, the bidi controls, U+2028/2029 and lone surrogates raw.
_JSON_RAW = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_safe(encoded: str) -> str:
    r"""JSON text with every unsafe character written as ``\uXXXX``.

    Outside strings JSON is ASCII, so each match is inside a string, where ``\uXXXX`` stands
    for the same character: the text stays valid and decodes to the same value.
    """
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


def json_dumps(value: object) -> str:
    """``json.dumps`` of ``value`` as one line, readable Chinese, nothing raw a terminal acts on."""
    return json_safe(json.dumps(value, ensure_ascii=False))


# Markdown punctuation that changes how text reads: emphasis, code, links and images, table
# cells, strikethrough; a backslash first, so an escape in the text cannot undo ours.
_MD_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_BREAKS = re.compile("\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")
# What makes a line a heading, list item or rule when it comes first (a quote's ">" is an
# entity by then); an ordered list's marker is escaped at its "." or ")".
_MD_BLOCK_START = re.compile(r"^(\s*)([#+=-])")
_MD_ORDERED_START = re.compile(r"^(\s*\d+)([.)])")


def md_cell(value: object) -> str:
    """Text of our own (catalogue, wording) inside a Markdown table cell or on one line."""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def md_text(value: object) -> str:
    """User text in Markdown: shown as written, never as markup, HTML or a new block.

    ``<``, ``>`` and ``&`` become entities (a renderer with HTML enabled would run a
    ``<script>``), line breaks become spaces, Markdown punctuation and ``|`` are
    backslash-escaped, a leading ``#``, ``>`` or list marker is escaped, and control
    characters are shown as with :func:`terminal_safe`.
    """
    # Entities first: a backslash before "&" would make a renderer show "&lt;" as written.
    text = html.escape(terminal_safe(_MD_LINE_BREAKS.sub(" ", str(value))), quote=False)
    text = _MD_PUNCTUATION.sub(r"\\\1", text)
    text = _MD_BLOCK_START.sub(r"\1\\\2", text)
    return _MD_ORDERED_START.sub(r"\1\\\2", text)


def html_text(value: object) -> str:
    """User text in HTML: escaped, controls shown as with :func:`terminal_safe` (NUL and
    ``\\x01`` are not allowed in an HTML document), and isolated in ``<bdi>`` so that
    right-to-left text in it cannot reorder what follows."""
    return f"<bdi>{html.escape(terminal_safe(str(value)), quote=True)}</bdi>"


def key_shown(key: str) -> str:
    r"""A key as it is spelt: every character outside printable ASCII escaped (``\n``,
    ``\x1b``, ``\u200b``), as :func:`terminal_safe` escapes controls.

    The contract's keys are plain ASCII, so a key with a zero-width space (``ca\u200bsh``) or
    a Cyrillic letter (``\u0441ash``) reads as a different key, not as one it looks like.
    """
    if key.isascii() and key.isprintable():
        return key
    return "".join(ch if " " <= ch <= "~" else _escaped(ch) for ch in key)


def odd_characters(key: str) -> list[str]:
    """The characters of ``key`` that look like a letter or nothing but are not plain ASCII,
    each once, as ``U+200B ZERO WIDTH SPACE`` (controls speak for themselves escaped)."""
    seen = dict.fromkeys(ch for ch in key if not ch.isascii() and not unsafe(ch))
    return [f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}" for ch in seen]


def fit(text: str, width: int, *, pad: bool = False, cells: bool = True) -> str:
    """``text`` in at most ``width`` terminal cells (or characters, ``cells=False``), an
    ellipsis marking a cut; ``pad`` fills a shorter text to ``width`` with spaces."""
    if not cells:
        if len(text) > width:
            return text[: max(0, width - 1)] + "…"
        return text.ljust(width) if pad else text
    # rich is imported here, not at the top: the batch command never loads it for JSON.
    from rich.cells import cell_len, set_cell_size

    if cell_len(text) > width:
        return set_cell_size(text, max(0, width - 1)) + "…"
    return set_cell_size(text, width) if pad else text
