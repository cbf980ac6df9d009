"""The sliced batch reader gives exactly what the whole-file reader gives, on any input.

``gtmcompass score`` reads batch files with ``gtmcompass.scoring.batch`` (a slice at a time, a
fast line grammar first); every other path reads with ``files.load_all``. These tests hold the
two to the same output: the same entries, errors, messages and scores.
"""

from __future__ import annotations

import re
import tomllib
from itertools import pairwise
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

import gtmcompass.scoring.batch as batchread
from gtmcompass.io import batchread as io_batchread
from gtmcompass.io import files
from gtmcompass.io.files import load_all
from gtmcompass.render.formats import to_json
from gtmcompass.scoring.batch import parse_slice, score_files
from gtmcompass.scoring.engine import Engine
from gtmcompass.scoring.results import score_entries
from tests.conftest import PROFILES
from tests.strategies import profile_documents


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(as_of_year=2024)


def batch(tables: list[dict]) -> str:
    return tomli_w.dumps({"profile": tables})


@given(st.lists(profile_documents(), min_size=1, max_size=4))
def test_line_grammar_reads_what_tomllib_reads(tables):
    text = batch(tables)
    fast = parse_slice(text)
    if fast is not None:  # escapes in generated names send a slice to tomllib: allowed
        assert fast == tomllib.loads(text)["profile"]
        assert repr(fast) == repr(tomllib.loads(text)["profile"])  # types and key order too


PLAIN = '[[profile]]\nname = "a"\n[profile.team]\nx = 1\n'
ACCEPTED = [
    PLAIN,
    '[[profile]]\nq = ["a", \'b\',]\n',
    '[[profile]]\nq = [\n  "a", # c\n  # c2\n  "b"\n]\nz=1\n',
    '[[profile]]\nq = []\n',
    '[[profile]] # hi\n# c\n  key=  -0.0   # x\nb=true\nc=false\nd=+3\ne=1e5\nf=1.5E-3\ng=0\n',
    '[[profile]]\nq = 1',
    '[[profile]]\nq = 1\n[[profile]]\nq = 2\n[profile.s]\nk="v"\n',
    '[[profile]]\nq = "a\tb"\nr = "研究团队"\ns = "x # y" # z\n',
    '[[profile]]\nq = ["a" # ]\n]\n',
    '[[ profile ]]\n[ profile . x ]\na=1e05\nb=-1.0e+2\n\n\n   \n',
]
GIVES_UP = [
    '[[profile]]\nname = "a\\"b"\n', '[[profile]]\na=1\na=2\n',
    '[[profile]]\n[profile.x]\n[profile.x]\n', '[[profile]]\nx=1\n[profile.x]\n',
    '[[profile]]\nd=2024-01-01\n', '[[profile]]\nd=1_000\n', '[[profile]]\nd=01\n',
    '[[profile]]\nd=inf\n', '[[profile]]\nd={a=1}\n', '[[profile]]\nd="""a"""\n',
    '[[profile]]\r\nd=1\r\n', '[[profile]]\nq = ["a" "b"]\n', '[[profile]]\nq = [,"a"]\n',
    '[[profile]]\nq = ["a",,"b"]\n', '[[profile]]\nq = [["a"]]\n', '[[profile]]\nq = [1, 2]\n',
    '[[profile]]\nq = 1 2\n', '[[profile]]\na.b = 1\n', '[[profile]]\n"a" = 1\n',
    '[[profile]]\na=1.\n', '[[profile]]\na=.5\n', '[[profile]]\n# \x01\n',
    '[[profile]]\na=trueish\n', '[[profile]]\n[other]\na=1\n', '[[profile]]\n[[profile.x]]\n',
    '[[profile]]\na=\n', '[[profile]]\na=' + "9" * 5000 + "\n",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_line_grammar_accepts_plain_layouts(text):
    assert parse_slice(text) == tomllib.loads(text)["profile"]


@pytest.mark.parametrize("text", GIVES_UP)
def test_line_grammar_leaves_everything_else_to_tomllib(text):
    assert parse_slice(text) is None


def _edge_files(folder: Path) -> list[Path]:
    one = (PROFILES / "medical-partners.toml").read_text("utf-8")
    base = "[[profile]]\n" + one.replace("\n[", "\n[profile.")
    five = "".join(base.replace('name = "Medical Partner Models"', f'name = "P{i}"')
                   for i in range(5))
    texts = {
        "ok": five,
        "bom": "\ufeff" + five,
        "crlf": five.replace("\n", "\r\n"),
        "comments_first": "# batch\n\n# more\n" + five,
        "stray_key_first": "x = 1\n" + five,
        "stray_table_last": five + "[other]\na = 1\n",
        "escaped_name": five.replace('name = "P3"', 'name = "P\\"3\\""'),
        "invalid_profile": five.replace("headcount = ", "headcount = -", 1),
        "unknown_key": five.replace("[profile.team]\n", "[profile.team]\nheadcont = 5\n", 2),
        "broken_late": five + "[[profile]]\nname = \n",
        "broken_middle": five[: len(five) // 2] + "\nx = = 1\n" + five[len(five) // 2:],
        "header_in_string": five.replace('notes = "Healthcare', 'notes = """\n[[profile]]\n', 1)
                                .replace('(B2)."', '(B2)."""', 1),
        "empty": "",
        "only_comment": "# nothing\n",
        "header_comment": five.replace("[[profile]]", "[[profile]] # one", 2),
        "duplicate_key": five.replace("currency = ", 'currency = "USD"\ncurrency = ', 1),
        "single_table": "[profile]\nname = \"x\"\n",
        "inline_table": five.replace("[profile.funding]\n", "funding = { raised = 1.0 }\n"
                                     "[profile.fund]\n", 1),
        "nan": five.replace("raised = ", "raised = nan\nx_raised = ", 1),
        "misspelt_batch": five.replace("[[profile]]", "[[profiles]]")
                              .replace("[profile.", "[profiles."),
        "deep": five + "[[profile]]\nname = [[[[[[[[[[1]]]]]]]]]]\n",
        "huge_int": five + "[[profile]]\nname = " + "9" * 5000 + "\n",
        "long_dotted_key": five + "[[profile]]\n" + ".".join(["k"] * 80) + " = 1\n",
        "single_profile": one,
    }
    paths = []
    for name, text in texts.items():
        path = folder / f"{name}.toml"
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    bad_utf8 = folder / "not_utf8_late.toml"
    bad_utf8.write_bytes(five.encode() + b'[[profile]]\nname = "\xff"\n')
    return [*paths, bad_utf8]


def _outcome(read) -> str:
    """The JSON output, or the exception if reading raised one: both readers must agree."""
    try:
        return to_json(read())
    except Exception as exc:  # noqa: BLE001 - compared, not hidden
        return f"{type(exc).__name__}: {exc}"


@pytest.mark.parametrize("slice_size", [2048, 2, 1])
def test_sliced_reader_matches_whole_file_reader(engine, tmp_path, monkeypatch, slice_size):
    monkeypatch.setattr(batchread, "SLICE", slice_size)
    paths = [str(p) for p in _edge_files(tmp_path)]
    for path in [*paths, str(PROFILES), str(tmp_path / "missing.toml"), str(tmp_path)]:
        assert _outcome(lambda: score_files(engine, [path])) == \
            _outcome(lambda: score_entries(engine, load_all([path]))), path
    inputs = [p for p in paths if "huge_int" not in p] + [str(PROFILES)]
    assert to_json(score_files(engine, inputs)) == to_json(score_entries(engine, load_all(inputs)))


def test_edge_files_exercise_both_outcomes(engine, tmp_path):
    """The cases above are not all errors (or all fine): the comparison means something."""
    results = score_files(engine, [str(p) for p in _edge_files(tmp_path) if "huge" not in p.name])
    assert sum("error" in r for r in results) >= 10
    assert sum("scores" in r for r in results) >= 30


# -- a syntax error costs only its table -----------------------------------------------------

def five_profiles() -> str:
    one = (PROFILES / "medical-partners.toml").read_text("utf-8")
    base = "[[profile]]\n" + one.replace("\n[", "\n[profile.")
    return "".join(base.replace('name = "Medical Partner Models"', f'name = "P{i}"')
                   for i in range(1, 6))


def nth(text: str, needle: str, n: int) -> int:
    at = -1
    for _ in range(n):
        at = text.index(needle, at + 1)
    return at


@pytest.mark.parametrize("breakage", [
    ('currency = ', 'currency = "USD"\ncurrency = '),           # the report's duplicate key
    ('[profile.team]\n', '[profile.team]\nheadcount = = 3\n'),  # a plain syntax error
    ('[profile.team]\n', '[profile.team]\n' + ".".join(["k"] * 80) + " = 1\n"),  # a guard
    ('[profile.team]\n', '[profile.team]\nx = "\xff"\n'),        # not UTF-8 (bytes below)
])
def test_one_bad_table_of_five_is_refused_alone_naming_its_line(tmp_path, breakage):
    """Before: 'not valid TOML: Cannot overwrite a value' for the file, none of the five read.
    Now tables 1, 2, 4, 5 are read and table 3's error names the line in the whole file."""
    text = five_profiles()
    old, new = breakage
    at = nth(text, old, 3)
    text = text[:at] + new + text[at + len(old):]
    data = text.encode("utf-8").replace("\xff".encode(), b"\xff")
    path = tmp_path / "five.toml"
    path.write_bytes(data)
    entries = load_all([str(path)])
    assert [e.ok for e in entries] == [True, True, False, True, True]
    assert [e.profile.name for e in entries if e.ok] == ["P1", "P2", "P4", "P5"]
    [error] = entries[2].errors
    assert error.source == f"{path}#3"
    # The line is the one the whole-file reader names: the same text, read whole.
    [whole] = files.entries_from_bytes(data, str(path))
    assert str(error) == str(whole.errors[0]).replace(f"{path}:", f"{path}#3:", 1)
    # Every breakage puts the offending line second in what it inserts.
    line = data[:at].count(b"\n") + 2
    assert re.search(rf"\bline {line}\b", str(error)), str(error)


def test_a_broken_table_at_the_end_says_where_the_file_ends(tmp_path):
    text = five_profiles() + "[[profile]]\nname = \n"
    path = tmp_path / "six.toml"
    path.write_text(text)
    entries = load_all([str(path)])
    assert [e.ok for e in entries] == [True] * 5 + [False]
    assert f"line {text.count(chr(10))}" in str(entries[5].errors[0])


def test_without_a_table_boundary_the_error_is_the_whole_files(tmp_path):
    path = tmp_path / "one.toml"
    path.write_text('name = "x"\nname = "y"\n')
    [entry] = load_all([str(path)])
    assert str(entry.errors[0]).startswith(f"{path}: not valid TOML: Cannot overwrite a value")


def test_a_header_inside_a_multiline_string_is_not_a_boundary(tmp_path):
    text = five_profiles().replace('notes = "Healthcare', 'notes = """\n[[profile]]\nx = = 1\n',
                                   1).replace('(B2)."', '(B2)."""', 1)
    # A broken fourth table makes every table be read alone, so a wrong cut would show.
    at = nth(text, "currency = ", 4)
    text = text[:at] + 'currency = "USD"\n' + text[at:]
    path = tmp_path / "s.toml"
    path.write_text(text)
    entries = load_all([str(path)])
    assert [e.ok for e in entries] == [True, True, True, False, True]
    assert entries[0].profile.notes.startswith("[[profile]]\nx = = 1\n")


NASTY_NOTES = st.sampled_from([
    "\n[[profile]]\n", "[[profile]]", "a\n  [[profile]] # x\nb", "'''\n[[profile]]\n",
    '"""', "\\", "# [[profile]]\n", "\r\n[[profile]]\r\n", "[profile.team]\nx = 1\n",
])


@given(st.lists(st.tuples(profile_documents(), st.lists(NASTY_NOTES, max_size=3)),
                min_size=1, max_size=5),
       st.booleans(), st.booleans())
def test_splitting_then_parsing_equals_parsing_whole(items, multiline, indent):
    """For valid batches: the tables read a part at a time are tomllib's for the whole file,
    however the notes hide header lines in multi-line strings."""
    tables = []
    for doc, notes in items:
        doc = dict(doc)
        if notes:
            doc["notes"] = "".join(notes)
        tables.append(doc)
    text = tomli_w.dumps({"profile": tables}, multiline_strings=multiline)
    if indent:
        text = text.replace("[[profile]]\n", "  [[profile]]  # next\n")
    data = text.encode("utf-8")
    whole = tomllib.loads(text)["profile"]
    bounds = io_batchread.batch_bounds(data)
    parts = [tomllib.loads(data[a:b].decode())["profile"] for a, b in pairwise(bounds)]
    assert [t for part in parts for t in part] == whole
    # And the entries, sources and errors included, are the whole-file reader's.
    split = [e for part in io_batchread.file_entries(data, "b.toml", slice_size=2) for e in part]
    assert [(e.source, e.profile, [str(x) for x in e.errors]) for e in split] == [
        (e.source, e.profile, [str(x) for x in e.errors])
        for e in files.entries_from_bytes(data, "b.toml")]


# -- the inline spelling, profile = [{...}, ...] ---------------------------------------------

def inline(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(map(inline, value)) + "]"
    return tomli_w.dumps({"v": value})[4:-1]


@given(st.lists(st.tuples(profile_documents(), st.lists(NASTY_NOTES, max_size=3)),
                min_size=1, max_size=5),
       st.sampled_from([",\n", ", ", ",\n# c {\n", " ,"]), st.booleans())
def test_inline_batches_read_in_parts_equal_the_whole_file(items, sep, trailing):
    tables = []
    for doc, notes in items:
        doc = dict(doc)
        if notes:
            doc["notes"] = "".join(notes) + "{"
        tables.append(doc)
    text = "# batch\nprofile = [\n" + sep.join(map(inline, tables)) + ("," if trailing else "")
    data = (text + "\n]\n# end\n").encode("utf-8")
    assert len(io_batchread.inline_bounds(data)) == len(tables) + 1
    split = [e for part in io_batchread.file_entries(data, "i.toml", slice_size=2)
             for e in part]
    assert [(e.source, e.profile, [str(x) for x in e.errors]) for e in split] == [
        (e.source, e.profile, [str(x) for x in e.errors])
        for e in files.entries_from_bytes(data, "i.toml")]


def test_one_bad_inline_table_is_refused_alone_naming_its_line_and_column():
    good = tomllib.loads(MINIMAL_BATCH)["profile"][0]
    rows = [inline({**good, "name": f"P{i}"}) for i in range(1, 6)]
    rows[2] = rows[2].replace('currency = "', 'currency = "USD", currency = "', 1)
    data = ("profile = [\n" + ",\n".join(rows) + "\n]\n").encode()
    entries = [e for part in io_batchread.file_entries(data, "i.toml") for e in part]
    assert [e.ok for e in entries] == [True, True, False, True, True]
    [whole] = files.entries_from_bytes(data, "i.toml")
    assert str(entries[2].errors[0]) == str(whole.errors[0]).replace("i.toml:", "i.toml#3:")


MINIMAL_BATCH = "[[profile]]\n" + (PROFILES / "medical-partners.toml").read_text(
    "utf-8").replace("\n[", "\n[profile.")


# -- a folder of one-profile files ------------------------------------------------------------

class CountingEngine(Engine):
    """The engine, counting its scoring calls (each costs about 4 ms whatever its size)."""

    calls = 0

    def score(self, profiles):
        type(self).calls += 1
        return super().score(profiles)


def test_a_folder_of_one_profile_files_is_scored_in_slices_not_a_call_per_file(tmp_path):
    """Before: one engine call per file (the command line expands folders first), 4.3 ms a
    file against 0.6 ms a profile in a batch file."""
    from gtmcompass.io.files import expand

    text = (PROFILES / "medical-partners.toml").read_text("utf-8")
    for i in range(60):
        (tmp_path / f"p{i:02d}.toml").write_text(text)
    engine = CountingEngine(as_of_year=2024)
    CountingEngine.calls = 0
    results = score_files(engine, list(expand([str(tmp_path)])))
    assert len(results) == 60 and all("scores" in r for r in results)
    assert CountingEngine.calls == 1


# -- any bytes: the table reader never raises, and every error is one safe line ---------------

FRAGMENTS = st.sampled_from([
    b"[[profile]]\n", b"  [[profile]] # c\n", b"[profile.team]\n", b"[other]\n", b'"""', b"'''",
    b'"', b"'", b"#", b"\n", b"\r\n", b"name = ", b'"x"', b"headcount = 3\n", b"a = = 1\n",
    b"\xff", b"\xef\xbb\xbf", b"profile = [", b"{a = 1}", b"{", b"}", b"[", b"]", b", ",
    b"k" + b".k" * 70 + b" = 1\n", b"x = " + b"9" * 700 + b"\n", b"\\", b"\x00",
])


@given(st.lists(FRAGMENTS, max_size=40))
def test_the_table_reader_takes_any_bytes_cleanly(fragments):
    from tests.hardening.util import assert_clean

    data = b"".join(fragments)
    entries = [e for part in io_batchread.file_entries(data, "f.toml", slice_size=2)
               for e in part]
    assert_clean(entries, "f.toml")
