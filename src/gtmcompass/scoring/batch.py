"""Batch files read a slice at a time, for ``gtmcompass score``: same results, a fraction of the cost.

``files.load_all`` parses a whole file with ``tomllib`` and validates every profile before
anything is scored. For 100,000 profiles (a 77 MB file) that holds about 450 MB of parsed
dicts and then 540 MB of ``Profile`` models at once (5.4 KB each), and ``tomllib``, pure
Python, is most of the time. Here a batch file is cut at its ``[[profile]]`` header lines into
slices of ``SLICE`` profiles; each slice is parsed, validated and scored, and only its result
dicts are kept, so memory no longer grows with the parsed file.

Each slice is parsed by the fastest reader that accepts it:

1. ``parse_slice``: a line grammar for the plain layout profiles are written in (bare keys,
   one-line strings without escapes, decimal numbers, booleans, arrays of strings,
   ``[[profile]]`` and ``[profile.SECTION]`` headers, comments). It returns exactly what
   ``tomllib`` returns for such text and gives up (``None``) on anything else: escapes,
   inline tables, dates, underscores in numbers, a repeated key or table, a control
   character, a carriage return. About four times faster than ``tomllib``.
2. ``tomllib`` on the slice alone, for whatever the line grammar gave up on.
3. If a slice is not valid TOML on its own, if it holds anything besides ``[[profile]]``
   tables, or if the file is not UTF-8, too large, or has anything but comments before its
   first ``[[profile]]``, the whole file goes to ``files.entries_from_bytes``, the reader
   every other input uses, so every error message and line number stays what it was.

Why slices parse to the same profiles as the whole file: a slice starts at an array-of-tables
header, which opens a fresh table, and a batch file has nothing else at the top level, so no
key or table in one slice can refer to another. A header-looking line inside a multi-line
string or array cuts that string or array in two, and the slice before it then fails to
parse, which sends the file to step 3.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from gtmcompass.io.files import (
    BATCH_KEY,
    STDIN,
    Entry,
    FolderMember,
    entries_from_bytes,
    is_folder,
    load_all,
    load_path_bytes,
    parse_bytes,
    validate_document,
)

if TYPE_CHECKING:
    from gtmcompass.scoring.engine import Engine

# Profiles per slice: the engine's confidence chunk, so a slice is scored in one engine call
# (33 MB of sampled scores at most) and its parsed dicts (4.5 KB a profile, 9 MB) are freed
# before the next slice is read.
SLICE = 2048

# A header line that starts a new profile: ``[[profile]]``, optionally followed by spaces and
# a comment; ``\r?`` keeps CRLF files on the sliced path (step 2 parses their slices).
_HEADER = re.compile(rb"^\[\[[ \t]*profile[ \t]*\]\][ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)
_BOM = b"\xef\xbb\xbf"

# TOML allows no control character but tab and newline anywhere (strings, comments); one
# search rules them out for the whole slice, carriage returns included.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# One logical line of the plain layout: a header, a key = value pair or nothing, then an
# optional comment and the end of the line. Alternatives begin with distinct characters, so
# matching is linear. Numbers are decimal only: ``int`` must not swallow the start of a float
# (the line would then not end where it must, and the regex tries ``float``); dates, hex,
# underscores, inf and nan match neither and leave the slice to tomllib.
_LINE = re.compile(
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
    match = _LINE.match
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
                        return None  # int() refuses it; parse_bytes words the error
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


def _parse_slice_toml(chunk: bytes, source: str) -> list[dict] | None:
    """Step 2: the whole-file parser on one slice; None when the slice cannot stand in for its
    part of the file (not valid alone, or anything but ``[[profile]]`` tables in it)."""
    try:
        doc, error = parse_bytes(chunk, source)
    except (ValueError, RecursionError):
        return None  # whatever parse_bytes does not turn into an error, the whole file repeats
    if error is not None or list(doc) != [BATCH_KEY] or not isinstance(doc[BATCH_KEY], list):
        return None
    return doc[BATCH_KEY]


class _WholeFile(Exception):
    """This file must be read whole by ``files.entries_from_bytes`` (step 3)."""


def _slices(data: bytes, source: str) -> Iterator[bytes]:
    """The file cut before every ``SLICE``-th profile header; _WholeFile if it is not a batch."""
    from gtmcompass.vocab.settings import max_file_bytes

    if len(data) > max_file_bytes():
        raise _WholeFile
    starts = [m.start() for m in _HEADER.finditer(data)]
    if not starts:
        raise _WholeFile
    preamble = data[: starts[0]]
    if preamble.removeprefix(_BOM).strip():
        # Comments and blank lines only: anything that parses to something is not a batch file
        # this reader may slice (stray keys are an error the whole-file reader reports).
        try:
            doc, error = parse_bytes(preamble, source)
        except (ValueError, RecursionError):
            raise _WholeFile from None
        if error is not None or doc:
            raise _WholeFile
    cuts = starts[::SLICE] + [len(data)]
    for a, b in zip(cuts, cuts[1:]):
        yield data[a:b]


def read_batch(data: bytes, source: str) -> Iterator[list[Entry]]:
    """A batch file's entries, a slice at a time; raises _WholeFile (possibly after yielding)."""
    number = 1
    for chunk in _slices(data, source):
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError:
            raise _WholeFile from None
        tables = parse_slice(text)
        if tables is None:
            tables = _parse_slice_toml(chunk, source)
            if tables is None:
                raise _WholeFile
        # Sources in a batch are numbered from 1, as files._batch_entries numbers them.
        yield [validate_document(t, f"{source}#{i}") for i, t in enumerate(tables, start=number)]
        number += len(tables)


def score_files(engine: Engine, files: Iterable[str], *, streams: bool = False) -> list[dict]:
    """Results for every input of ``files.expand``'s output, in order, as ``score_entries`` gives.

    Batch files are read and scored a slice at a time; everything else (single profiles,
    folders, unreadable paths, files the sliced reader hands back) goes through
    ``files.load_all`` or ``files.entries_from_bytes``, exactly as before. ``streams``: a FIFO
    or device among ``files`` is read, unless a folder scan found it (``files.FolderMember``).

    Python's automatic garbage collection is paused meanwhile, and each slice's own objects
    are collected once after it (generations 0 and 1). Left on, the collector kept rescanning
    the growing list of result dicts: at 100,000 profiles that was a third of the CPU time
    (20 s -> 13.5 s single-threaded). Cycles a slice leaves behind (an exception and its
    traceback) are still freed, one slice later at most.
    """
    from gtmcompass.scoring.results import score_entries as score

    results: list[dict] = []
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for source in files:
            if source != STDIN and is_folder(source):
                results.extend(score(engine, load_all([source])))
                continue
            name = "<stdin>" if source == STDIN else source
            data, error = load_path_bytes(
                source, streams=streams and not isinstance(source, FolderMember))
            if error is not None:
                results.extend(score(engine, [Entry(name, errors=[error])]))
                continue
            mark = len(results)
            try:
                for entries in read_batch(data, name):
                    results.extend(score(engine, entries))
                    gc.collect(1)
            except _WholeFile:
                del results[mark:]
                results.extend(score(engine, entries_from_bytes(data, name)))
            gc.collect(1)
    finally:
        if was_enabled:
            gc.enable()
    return results
