"""Batch files read a ``[[profile]]`` table at a time: a syntax error costs its table only, and
memory stays that of a slice, not of the parsed file.

A batch file is cut before each ``[[profile]]`` header line that starts a table, that is, each
one not inside a multi-line string (a header-looking line can be nothing else in valid TOML:
inside an array ``[[profile]]`` is not a value). The tables are grouped into slices of
``SLICE``; each slice is parsed by the fastest reader that accepts it:

1. ``parse_slice``: a line grammar for the plain layout profiles are written in (bare keys,
   one-line strings without escapes, decimal numbers, booleans, arrays of strings,
   ``[[profile]]`` and ``[profile.SECTION]`` headers, comments). It returns exactly what
   ``tomllib`` returns for such text and gives up (``None``) on anything else: escapes,
   inline tables, dates, underscores in numbers, a repeated key or table, a control
   character, a carriage return. About four times faster than ``tomllib``.
2. ``tomllib`` (through ``tomlguard``) on the slice alone.
3. If the slice is not valid TOML (or not UTF-8, or refused by a guard), each of its tables
   is parsed alone: the bad ones become one error each, naming the line in the file, and the
   others are validated and scored as usual.

Why each table parses to the same profile as in the whole file: a table starts at an
array-of-tables header, which opens a fresh table, and a batch file has nothing else at the
top level, so no key or table in one can refer to another. Where that does not hold (keys
before the first header, a table beside the ``[[profile]]`` ones), the file is read whole by
``files.entries_from_bytes`` (:class:`WholeFile`, decided before any table is read, so no
entry is ever taken back), and every message stays what it was; so is a single profile, or a
file over the size cap. The other spelling, ``profile = [{...}, {...}]``, is cut the same way
at the inline tables directly inside the array (``inline_bounds``). tests/test_batchread.py
checks, for generated valid batches of both spellings, that reading them a part at a time
gives exactly what the whole-file reader gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from gtmcompass.io import tomlguard
from gtmcompass.io.csvread import csv_entries, is_csv
from gtmcompass.io.files import (
    BATCH_KEY,
    EMPTY_FOLDER,
    STDIN,
    Entry,
    FolderMember,
    InputError,
    entries_from_bytes,
    expand,
    is_folder,
    load_path_bytes,
    validate_document,
)
from gtmcompass.vocab.settings import max_file_bytes

# Profiles per slice: the engine's confidence chunk, so a slice is scored in one engine call
# (33 MB of sampled scores at most) and its parsed dicts (4.5 KB a profile, 9 MB) are freed
# before the next slice is read.
SLICE = 2048

# A header line that starts a new profile: ``[[profile]]``, optionally indented and followed
# by spaces and a comment; ``\r?`` keeps CRLF files on the sliced path (step 2 parses them).
_HEADER = rb"^[ \t]*\[\[[ \t]*profile[ \t]*\]\][ \t]*(?:\#[^\n]*)?\r?$"
_HEADERS = re.compile(_HEADER, re.MULTILINE)
# Where a file holds a multi-line string (``\"\"\"`` or ``'''`` anywhere), headers are found by
# one pass that also steps over every string and comment, so a header inside a string is
# passed over. Every alternative matches wherever it starts (an open string runs to the end
# of its line, or of the file if it is multi-line), so the pass is linear in the file.
_SCAN = re.compile(
    rb"(?P<header>" + _HEADER + rb")"
    rb'''|"""(?:[^"\\]|\\.|"(?!""))*+(?:"{3,5}|.*+)'''
    rb"""|'''(?:[^']|'(?!''))*+(?:'{3,5}|.*+)"""
    rb'''|"(?:[^"\\\n]|\\[^\n])*+(?:"|[^\n]*+)|'[^'\n]*+'?|\#[^\n]*+''',
    re.MULTILINE | re.DOTALL,
)
_BOM = b"\xef\xbb\xbf"
# The inline spelling: comments, then ``profile = [``, its elements, ``]``, then comments.
_INLINE_OPEN = b"profile = ["
_INLINE_HEAD = re.compile(rb"(?:\xef\xbb\xbf)?(?:[ \t\r\n]|\#[^\n]*)*+profile[ \t]*=[ \t]*\[")
_BLANK_TAIL = re.compile(rb"(?:[ \t\r\n]|\#[^\n]*)*+")
# Strings and comments are stepped over whole (an open one to the end of its line or, if
# multi-line, of the file), so only the brackets outside them are reported.
_BRACKETS = re.compile(
    rb'''[\[\]{}]|"""(?:[^"\\]|\\.|"(?!""))*+(?:"{3,5}|.*+)'''
    rb"""|'''(?:[^']|'(?!''))*+(?:'{3,5}|.*+)"""
    rb'''|"(?:[^"\\\n]|\\[^\n])*+(?:"|[^\n]*+)|'[^'\n]*+'?|\#[^\n]*+''',
    re.DOTALL,
)
# A header line of any table but ``[[profile]]``, ``[profile.SECTION]`` and deeper ones.
_OTHER_HEADER = re.compile(rb"^[ \t]*\[(?!\[?[ \t]*profile[ \t]*[\].])", re.MULTILINE)
_LINE = re.compile(r"\bline (\d+)(?:, column (\d+))?")

# TOML allows no control character but tab and newline anywhere (strings, comments); one
# search rules them out for the whole slice, carriage returns included.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# One logical line of the plain layout: a header, a key = value pair or nothing, then an
# optional comment and the end of the line. Alternatives begin with distinct characters, so
# matching is linear. Numbers are decimal only: ``int`` must not swallow the start of a float
# (the line would then not end where it must, and the regex tries ``float``); dates, hex,
# underscores, inf and nan match neither and leave the slice to tomllib.
_PLAIN_LINE = re.compile(
    r"""
    [ \t]*
    (?:
        (?P<new>\[\[[ \t]*profile[ \t]*\]\])
      | \[[ \t]*profile[ \t]*\.[ \t]*(?P<table>[A-Za-z0-9_-]+)[ \t]*\]
      | (?P<key>[A-Za-z0-9_-]+)[ \t]*=[ \t]*
        (?:
            "(?P<basic>[^"\\\n]*)"
          | '(?P<literal>[^'\n]*)'
          | (?P<bool>true|false)
          | (?P<int>[+-]?(?:0|[1-9][0-9]*))
          | (?P<float>[+-]?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+))
          | \[(?P<array>(?:[ \t\n]+|\#[^\n]*\n|"[^"\\\n]*"|'[^'\n]*'|,)*)\]
        )
    )?
    [ \t]*(?:\#[^\n]*)?(?:\n|\Z)
    """,
    re.VERBOSE,
)
# Python's int() refuses longer decimal strings (sys.int_info.str_digits_check_threshold is
# the floor of the limit, 640; the default limit is 4,300); any profile field is far shorter.
_INT_DIGITS = 640
# Tokens inside an array of strings: blanks and comments are skipped, then the strings and
# commas must alternate (a trailing comma is allowed, a leading or doubled one is not).
_ARRAY_TOKEN = re.compile(r"""[ \t\n]+|\#[^\n]*|"([^"\\\n]*)"|'([^'\n]*)'|(,)""")


class WholeFile(Exception):
    """This file must be read whole by ``files.entries_from_bytes``."""


def _array(inner: str) -> list[str] | None:
    values: list[str] = []
    want_value = True
    for m in _ARRAY_TOKEN.finditer(inner):
        basic, literal, comma = m.groups()
        if comma is not None:
            if want_value:
                return None
            want_value = True
        elif basic is not None or literal is not None:
            if not want_value:
                return None
            values.append(basic if basic is not None else literal)
            want_value = False
    return values


def parse_slice(text: str) -> list[dict] | None:
    """The ``[[profile]]`` tables of a slice in the plain layout, or None to use tomllib.

    ``text`` starts with a ``[[profile]]`` header. The tables are equal, key order included,
    to ``tomllib.loads(text)["profile"]`` wherever this returns a list.
    """
    if _ILLEGAL.search(text):
        return None
    tables: list[dict] = []
    profile: dict | None = None
    current: dict | None = None
    pos, end = 0, len(text)
    match = _PLAIN_LINE.match
    while pos < end:
        m = match(text, pos)
        if m is None:
            return None
        pos = m.end()
        key = m["key"]
        if key is not None:
            if current is None or key in current:
                return None  # a key before any table, or a repeated key: tomllib says which
            if (value := m["basic"]) is None:
                if (value := m["int"]) is not None:
                    if len(value) > _INT_DIGITS:
                        return None  # int() refuses it; tomlguard words the error
                    value = int(value)
                elif (value := m["float"]) is not None:
                    value = float(value)
                elif (value := m["bool"]) is not None:
                    value = value == "true"
                elif (value := m["literal"]) is None:
                    value = _array(m["array"])
                    if value is None:
                        return None
            current[key] = value
        elif m["new"] is not None:
            profile = current = {}
            tables.append(profile)
        elif (table := m["table"]) is not None:
            if profile is None or table in profile:
                return None  # a table defined twice, or over a key of the same name
            profile[table] = current = {}
    return tables


def table_starts(data: bytes) -> list[int]:
    """The offsets of the ``[[profile]]`` header lines that start a table (not in a string)."""
    if b'"""' not in data and b"'''" not in data:
        # No multi-line string, so no header-looking line can be inside one.
        return [m.start() for m in _HEADERS.finditer(data)]
    return [m.start() for m in _SCAN.finditer(data) if m.lastgroup == "header"]


def _tables(doc: dict) -> list | str:
    """A parsed part's ``[[profile]]`` tables. A part starts with a ``[[profile]]`` header and
    batch_bounds found no other kind of table, so nothing else can be in it; if it were, the
    part is refused rather than misread."""
    tables = doc.get(BATCH_KEY)
    if len(doc) != 1 or not isinstance(tables, list):
        return "expected only [[profile]] tables"
    return tables


def _parse_part(chunk: bytes) -> list | str:
    """A part's tables, or the one-line reason it cannot be parsed (line numbers its own)."""
    try:
        text = chunk.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = chunk[: exc.start].count(b"\n") + 1
        return (f"not UTF-8 text (byte 0x{chunk[exc.start]:02x} on line {line}); "
                "expected a UTF-8 TOML file")
    tables = parse_slice(text)
    if tables is not None:
        return tables
    try:
        return _tables(tomlguard.loads(text))
    except tomlguard.TomlRefused as exc:
        return str(exc)


def _in_file(message: str, first_line: int, last_line: int, last: bool, shift: int = 0) -> str:
    """A part's message with its line numbers as in the whole file; ``shift`` is what to add
    to a column on the part's first line (an inline part starts mid-line, after a prefix)."""

    def place(m: re.Match) -> str:
        line, column = int(m[1]), m[2]
        if column is not None:
            column = f", column {int(column) + shift if line == 1 else column}"
        return f"line {line + first_line - 1}{column or ''}"

    message = _LINE.sub(place, message)
    if not last:
        # The part ends where the next table begins, which is not the end of the file.
        message = message.replace("at end of document", f"at the end of line {last_line}")
    return message


def batch_bounds(data: bytes) -> list[int]:
    """Where each table starts, and the file's end: the plan of a batch file that may be cut.

    WholeFile if it may not: too large, no ``[[profile]]`` header, anything but comments
    before the first, or a line that could be a table beside the ``[[profile]]`` ones. That
    is decided here, before any table is read, so a file's entries are never taken back.
    """
    if len(data) > max_file_bytes():
        raise WholeFile
    starts = table_starts(data)
    if not starts:
        raise WholeFile
    preamble = data[: starts[0]].removeprefix(_BOM)
    if preamble.strip():
        # Comments and blank lines only: anything that parses to something is not a batch file
        # that may be cut (stray keys are an error the whole-file reader reports).
        try:
            doc = tomlguard.loads(preamble.decode("utf-8"))
        except (UnicodeDecodeError, tomlguard.TomlRefused):
            raise WholeFile from None
        if doc:
            raise WholeFile
    if _OTHER_HEADER.search(data, starts[0]):
        # A table beside the [[profile]] ones (or a line in a string or array that looks like
        # one): the whole-file reader says which key does not belong.
        raise WholeFile
    return [*starts, len(data)]


def inline_bounds(data: bytes) -> list[int]:
    """Where each inline table of ``profile = [{...}, {...}]`` starts, and where the array ends.

    The other spelling of a batch file; 100,000 profiles in it took ``score`` to 1.1 GB read
    whole. One pass over the file's strings, comments and brackets finds the tables directly
    inside the array (an inline table is one line, but a line may hold several, and a
    multi-line string inside one may hold a ``{``). WholeFile unless the file is the array
    alone, with comments.
    """
    if len(data) > max_file_bytes():
        raise WholeFile
    head = _INLINE_HEAD.match(data)
    if head is None:
        raise WholeFile
    starts: list[int] = []
    depth = 1
    for m in _BRACKETS.finditer(data, head.end()):
        char = m[0]
        if len(char) != 1 or char in b"'\"#":
            continue  # a string or a comment
        if char in b"[{":
            if depth == 1 and char == b"{":
                starts.append(m.start())
            depth += 1
        elif char in b"]}":
            depth -= 1
            if depth == 0:
                if not starts or _BLANK_TAIL.fullmatch(data, m.end()) is None:
                    raise WholeFile
                return [*starts, m.start()]
    raise WholeFile  # the array never closes: tomllib says where


def read_batch(
    data: bytes, bounds: list[int], source: str, *, lenient: bool = False,
    slice_size: int | None = None, inline: bool = False,
) -> Iterator[list[Entry]]:
    """A batch file's entries, a slice of tables at a time, by the plan ``batch_bounds`` (or,
    with ``inline``, ``inline_bounds``) made.

    Sources are numbered from 1, as a person counts the ``[[profile]]`` tables.
    """
    size = SLICE if slice_size is None else slice_size
    # An inline part is a run of the array's elements: it parses as an array of its own.
    wrap = (lambda part: _INLINE_OPEN + part + b"\n]") if inline else (lambda part: part)
    tables = len(bounds) - 1
    number = 1
    # The line number of offset ``at`` and where that line starts, advanced as bad parts are
    # reported.
    line, at, line_start = 1, 0, 0
    for first in range(0, tables, size):
        last = min(first + size, tables)
        parsed = _parse_part(wrap(data[bounds[first]: bounds[last]]))
        entries: list[Entry] = []
        if isinstance(parsed, list):
            for table in parsed:
                entries.append(validate_document(table, f"{source}#{number}", lenient=lenient))
                number += 1
            yield entries
            continue
        # Step 3: each table alone, so that one bad table is the only one refused.
        for i in range(first, last):
            a, b = bounds[i], bounds[i + 1]
            part = _parse_part(wrap(data[a:b]))
            if isinstance(part, list):
                for table in part:
                    entries.append(validate_document(table, f"{source}#{number}",
                                                     lenient=lenient))
                    number += 1
                continue
            line += data.count(b"\n", at, a)
            # The start of that line, looked for only since the last bad part: a batch on
            # one line with every table bad must not search back to the start each time.
            line_start = max(line_start, data.rfind(b"\n", at, a) + 1)
            at = a
            name = f"{source}#{number}"
            number += 1
            end_line = line + data.count(b"\n", a, b) - (data[b - 1: b] == b"\n")
            shift = (a - line_start - len(_INLINE_OPEN)) if inline else 0
            entries.append(Entry(name, errors=[InputError(name, "", _in_file(
                part, line, end_line, b == len(data) and not inline, shift))]))
        yield entries


def file_entries(
    data: bytes, source: str, *, lenient: bool = False, slice_size: int | None = None
) -> Iterator[list[Entry]]:
    """Every profile in one file's bytes, a slice at a time: a spreadsheet's rows
    (``csvread``, for a name ending in ``.csv``), a batch file's tables as cut above, anything
    else as ``files.entries_from_bytes`` reads it (one list)."""
    if is_csv(source):
        yield from csv_entries(data, source, lenient=lenient,
                               slice_size=SLICE if slice_size is None else slice_size)
        return
    try:
        bounds, inline = batch_bounds(data), False
    except WholeFile:
        try:
            bounds, inline = inline_bounds(data), True
        except WholeFile:
            yield entries_from_bytes(data, source, lenient=lenient)
            return
    yield from read_batch(data, bounds, source, lenient=lenient, slice_size=slice_size,
                          inline=inline)


def iter_inputs(
    paths: Iterable[str], *, lenient: bool = False, streams: bool = False,
    slice_size: int | None = None,
) -> Iterator[list[Entry]]:
    """Entries from files, batch files, folders and stdin in any mix, in the given order, a
    slice at a time; ``streams`` as in ``files.load_all``. Nothing is held between slices."""
    for source in expand(paths):
        if source != STDIN and is_folder(source):
            yield [Entry(source, errors=[InputError(source, "", EMPTY_FOLDER)])]
            continue
        name = "<stdin>" if source == STDIN else source
        data, error = load_path_bytes(
            source, streams=streams and not isinstance(source, FolderMember))
        if error is not None:
            yield [Entry(name, errors=[error])]
            continue
        yield from file_entries(data, name, lenient=lenient, slice_size=slice_size)
