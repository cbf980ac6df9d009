"""Fuzzing the loaders: whatever bytes arrive, the answer is a profile or a clean one-line error.

Three kinds of input: random bytes and text; valid profiles whose TOML text is mutated
(wrong types, booleans for numbers, NaN and infinity, integers beyond 64 bits, deep nesting,
long strings, unknown keys, broken encodings, BOM, CRLF, truncation); and valid documents
whose values are replaced by arbitrary TOML values. Every one goes through
``entries_from_bytes`` (strict and lenient); none may raise, every error is a single safe
line naming its source, and whatever validates scores finite numbers in range.
"""

from __future__ import annotations

import contextlib
import io
import json
import math

import numpy as np
import pytest
import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gtmcompass.cli import main
from gtmcompass.io.batchread import file_entries
from gtmcompass.io.files import MAX_STRING_CHARS, entries_from_bytes, parse_bytes, validate_document
from gtmcompass.model.profile import INT64_MAX, Profile, to_document
from gtmcompass.scoring.engine import Engine
from gtmcompass.scoring.results import score_entries
from tests.hardening.conftest import count
from tests.hardening.util import FUZZ_EXAMPLES, assert_clean, fuzz, load_bytes
from tests.strategies import profile_documents

ENGINE = Engine()
fuzz_slow = settings(max_examples=FUZZ_EXAMPLES, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def assert_scores_sane(entries) -> None:
    """Whatever validated scores finite numbers in 0..100, with a confidence in 0..1."""
    good = [e.profile for e in entries if e.ok]
    if not good:
        return
    batch = ENGINE.score(good)
    assert np.all(np.isfinite(batch.scores)), batch.scores
    assert np.all((batch.scores >= 0) & (batch.scores <= 100))
    assert np.all((batch.confidence >= 0) & (batch.confidence <= 1))


# -- random bytes and text ------------------------------------------------------------------

@fuzz
@given(st.binary(max_size=4096))
def test_random_bytes_are_rejected_cleanly(data):
    entries = load_bytes(data)
    assert_scores_sane(entries)
    load_bytes(data, lenient=True)


@fuzz
@given(st.text(max_size=2048))
def test_random_text_is_rejected_cleanly(text):
    entries = load_bytes(text.encode("utf-8", "surrogatepass"))
    assert not any(e.ok for e in entries)  # no random text is a whole profile


@fuzz
@given(profile_documents(), st.binary(min_size=1, max_size=64), st.data())
def test_random_bytes_spliced_into_a_valid_profile(doc, junk, data):
    text = tomli_w.dumps(doc).encode()
    at = data.draw(st.integers(0, len(text)))
    entries = load_bytes(text[:at] + junk + text[at:])
    assert_scores_sane(entries)


# -- mutated TOML text ----------------------------------------------------------------------

# Values a person, a spreadsheet or another tool might put where a value belongs.
ODD_VALUES = [
    "true", "false", "nan", "+nan", "-nan", "inf", "+inf", "-inf", "1e309", "-1e309", "5e-324",
    "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1" + "0" * 30,
    "1" + "0" * 5000, "0x7fffffffffffffff", "0o777", "0b1010", "1_000", "-0", "-0.0", "+1", "01",
    ".5", "5.", "1e", "1979-05-27", "1979-05-27T07:32:00Z", "07:32:00", '""', '"x"', "''",
    '"' + "y" * (MAX_STRING_CHARS + 1) + '"', '"\\u0000"', '"\\ud800"', '"\\x41"', '"\\u001b[2J"',
    '"""\nmulti\nline"""', "'''raw'''", "[]", "[1, 2]", '["a", 1]', "{}", "{ a = 1 }",
    "[" * 40 + "]" * 40, "{ a = " * 20 + "1" + " }" * 20, "", "=", "1 2", '"unterminated',
    "tru", "[1,", "{a=1", '"中文"', "'\u202eevil'",
]
EXTRA_LINES = [
    "zzz = 1", "montly_burn = 1.0", "[funding]", "[team]", "[unknown_section]", "[[profile]]",
    "[[profiles]]", "a.b.c = 1", "funding.raised = 2.0", ".".join(["k"] * 5000) + " = 1",
    "[" + ".".join(["t"] * 200) + "]", '"a\\nb" = 1', "\ufeffname = 'x'", "# comment",
    "name = 'dup'", "schema_version = 2", "schema_version = 0", "k" * 30000 + " = 1",
]


def mutate(draw, text: str, max_mutations: int = 4) -> bytes:
    """``text`` with 1..max_mutations line edits, then a random newline style and encoding."""
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, max_mutations))):
        op = draw(st.sampled_from(
            ["value", "value", "delete", "duplicate", "insert", "swap", "bytes", "truncate"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == "value" and lines and " = " in lines[i]:
            lines[i] = lines[i].split(" = ")[0] + " = " + draw(st.sampled_from(ODD_VALUES))
        elif op == "delete" and lines:
            del lines[i]
        elif op == "duplicate" and lines:
            lines.insert(i, lines[i])
        elif op == "insert":
            lines.insert(i, draw(st.sampled_from(EXTRA_LINES)))
        elif op == "swap" and len(lines) > 1:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "bytes" and lines:
            lines[i] += draw(st.sampled_from(["\x00", "\x1b", "\r", "\x7f", "\u00a0", "\u2028"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    data = newline.join(lines).encode("utf-8", "surrogatepass")
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "bom", "utf-16", "latin-1 byte"]))
    if encoding == "bom":
        data = b"\xef\xbb\xbf" + data
    elif encoding == "utf-16":
        data = data.decode("utf-8").encode("utf-16")
    elif encoding == "latin-1 byte":
        data += b'\nnotes = "caf\xe9"\n'
    if draw(st.booleans()) and data:
        data = data[: draw(st.integers(0, len(data)))]
    return data


@st.composite
def mutated_profile_bytes(draw) -> bytes:
    return mutate(draw, tomli_w.dumps(draw(profile_documents())))


@st.composite
def mutated_batch_bytes(draw) -> bytes:
    docs = draw(st.lists(profile_documents(), min_size=1, max_size=5))
    return mutate(draw, tomli_w.dumps({"profile": docs}), max_mutations=6)


@fuzz_slow
@given(mutated_profile_bytes())
def test_mutated_profiles_are_read_or_rejected_cleanly(data):
    strict = load_bytes(data)
    assert_scores_sane(strict)
    lenient = load_bytes(data, lenient=True)
    assert_scores_sane(lenient)
    # Lenient only ever adds profiles: whatever strict accepts, lenient accepts unchanged.
    for s, le in zip(strict, lenient):
        if s.ok:
            assert le.ok and le.profile == s.profile and not le.warnings


# A third of the examples: each one is up to three whole profiles, read alone and together.
@settings(max_examples=max(FUZZ_EXAMPLES // 3, 20), deadline=None)
@given(st.lists(mutated_profile_bytes(), min_size=1, max_size=3))
def test_batch_of_mutated_profiles_keeps_each_verdict(parts):
    """In a batch, a profile is accepted exactly when it would be on its own (if it parses)."""
    # Parts the reader can parse (within the caps) become the batch's tables.
    tables = [doc for doc, error in (parse_bytes(part, "part.toml") for part in parts) if not error]
    assume(tables and all("profile" not in t for t in tables))
    entries = load_bytes(tomli_w.dumps({"profile": tables}).encode(), "batch.toml")
    assert [e.source for e in entries] == [f"batch.toml#{i}" for i in range(1, len(tables) + 1)]
    for table, entry in zip(tables, entries):
        alone = load_bytes(tomli_w.dumps(table).encode(), "one.toml")[0] if table else None
        if alone is not None:
            assert entry.ok == alone.ok
            if entry.ok:
                assert entry.profile == alone.profile


# -- wrongly typed values name their key path -----------------------------------------------

FLOAT_FIELDS = [("funding", "raised"), ("funding", "cash"), ("funding", "monthly_burn"),
                ("market", "d30_retention"), ("market", "paying_ratio"),
                ("market", "arpu_monthly"), ("market", "cac"), ("market", "largest_deal")]
INT_FIELDS = [("team", "headcount"), ("team", "founded_year"), ("team", "commercial_headcount"),
              ("cloud", "private_deployments"), ("market", "monthly_active_users"),
              ("market", "enterprise_customers"), (None, "schema_version")]
BOOL_FIELDS = [("team", "research_led"), ("cloud", "compute_delivery")]
CHOICE_FIELDS = [("team", "enterprise_sales_experience"), ("team", "consumer_product_experience"),
                 ("sector", "vertical"), ("sector", "offering"), ("sector", "differentiation"),
                 ("cloud", "experience"), ("market", "target_region"), (None, "currency")]
WRONG = {
    "float": [True, False, "1.0", [1.0], {"a": 1.0}, math.nan, math.inf, -math.inf, -1.0],
    "int": [True, False, 1.0, 1.5, "1", [1], {"a": 1}, INT64_MAX + 1, -INT64_MAX - 2, -1,
            10**100],
    "bool": [1, 0, "true", 1.0, [True], {"a": True}],
    "choice": [1, True, "", "FINANCE", "nonexistent", ["finance"], {"a": "b"}],
    "name": [1, True, [], {}, "", "x" * 121, 1.5],
    "notes": [1, True, ["a"], {"a": "b"}, "n" * (MAX_STRING_CHARS + 1)],
    "qualifications": ["mlps3", [1], ["bogus"], ["mlps3", "mlps3"], {"a": 1}, True, [["mlps3"]]],
    "section": [1, "x", [], True, [{"a": 1}]],
}
CASES = (
    [(loc, v) for loc in FLOAT_FIELDS for v in WRONG["float"]]
    + [(loc, v) for loc in INT_FIELDS for v in WRONG["int"]]
    + [(loc, v) for loc in BOOL_FIELDS for v in WRONG["bool"]]
    + [(loc, v) for loc in CHOICE_FIELDS for v in WRONG["choice"]]
    + [((None, "name"), v) for v in WRONG["name"]]
    + [((None, "notes"), v) for v in WRONG["notes"]]
    + [(("compliance", "qualifications"), v) for v in WRONG["qualifications"]]
    + [((None, s), v) for s in ("funding", "team", "sector", "cloud", "compliance", "market")
       for v in WRONG["section"]]
)


# Every key of the contract present, so every key can be given a wrong value.
FULL = {
    "schema_version": 1, "name": "Full", "currency": "CNY", "notes": "n",
    "funding": {"raised": 10.0, "cash": 5.0, "monthly_burn": 1.0},
    "team": {"headcount": 40, "founded_year": 2020, "commercial_headcount": 5,
             "research_led": False, "enterprise_sales_experience": "some",
             "consumer_product_experience": "none"},
    "sector": {"vertical": "finance", "offering": "model", "differentiation": "medium"},
    "cloud": {"experience": "some", "private_deployments": 2, "compute_delivery": False},
    "compliance": {"qualifications": ["mlps3"]},
    "market": {"target_region": "china", "monthly_active_users": 1000, "d30_retention": 0.2,
               "paying_ratio": 0.01, "arpu_monthly": 30.0, "cac": 10.0,
               "enterprise_customers": 3, "largest_deal": 1.0},
}


def test_every_wrongly_typed_value_is_named_by_its_key_path():
    """Each (field, wrong value) pair in CASES: the first error names exactly that key."""
    base = FULL
    assert Profile.model_validate(base)
    for (section, key), value in CASES:
        doc = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
        if section is None:
            doc[key] = value
        else:
            doc[section][key] = value
        path = key if section is None else f"{section}.{key}"
        entries = load_bytes(tomli_w.dumps(doc).encode(), "typed.toml")
        [entry] = entries
        assert not entry.ok, (path, value)
        first = entry.errors[0]
        assert first.key_path.startswith(path), (path, value, str(first))
        assert "expected" in first.message, str(first)
        # The same document built in memory (the app's path) gets the same first error.
        direct = validate_document(doc, "typed.toml")
        assert str(direct.errors[0]) == str(first)


# -- mutated documents ----------------------------------------------------------------------

toml_scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(10**100), max_value=10**100),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=50),
    st.dates(), st.times(), st.datetimes(),
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12,
)


@st.composite
def mutated_documents(draw) -> dict:
    doc = draw(profile_documents())
    for _ in range(draw(st.integers(1, 3))):
        section = draw(st.sampled_from([None, *[k for k, v in doc.items() if isinstance(v, dict)]]))
        table = doc if section is None else doc[section]
        key = draw(st.one_of(st.sampled_from(sorted(table) or ["x"]), st.text(max_size=20)))
        if draw(st.integers(0, 4)) == 0:
            table.pop(key, None)
        else:
            table[key] = draw(toml_values)
    return doc


@fuzz_slow
@given(mutated_documents())
def test_mutated_documents_are_validated_or_rejected_cleanly(doc):
    count("inputs tried")
    direct = validate_document(doc, "doc.toml")
    assert_clean([direct], "doc.toml")
    assert_scores_sane([direct])
    lenient = validate_document(doc, "doc.toml", lenient=True)
    assert_clean([lenient], "doc.toml")
    if direct.ok:
        assert lenient.ok and lenient.profile == direct.profile
    # The same document written as TOML and read back is judged the same way.
    try:
        text = tomli_w.dumps(doc)
    except (TypeError, ValueError):
        return  # not writable as TOML (e.g. nested dates in arrays of tables); nothing to read
    [read] = load_bytes(text.encode(), "doc.toml")
    if not direct.ok:
        assert not read.ok
    elif read.ok:
        assert read.profile == direct.profile


@fuzz
@given(profile_documents())
def test_valid_documents_written_any_way_load_the_same(doc):
    """CRLF line ends, a BOM, dotted keys or inline tables: one profile, the same one."""
    profile = Profile.model_validate(doc)
    text = tomli_w.dumps(doc)
    inline = "\n".join(
        f"{k} = {tomli_w.dumps({'v': v})[4:].strip()}" if not isinstance(v, dict) else
        f"{k} = {{ " + ", ".join(
            f"{ik} = {tomli_w.dumps({'v': iv})[4:].strip()}" for ik, iv in v.items()) + " }"
        for k, v in doc.items())
    dotted = "\n".join(
        f"{k}.{ik} = {tomli_w.dumps({'v': iv})[4:].strip()}" if isinstance(v, dict) else
        f"{k} = {tomli_w.dumps({'v': v})[4:].strip()}"
        for k, v in doc.items()
        for ik, iv in (v.items() if isinstance(v, dict) else [(None, None)]))
    for variant in (text.replace("\n", "\r\n").encode(), b"\xef\xbb\xbf" + text.encode(),
                    inline.encode(), dotted.encode()):
        [entry] = load_bytes(variant, "variant.toml")
        assert entry.ok, entry.errors
        assert entry.profile == profile
        assert to_document(entry.profile) == to_document(profile)


# -- the score command's own reader ------------------------------------------------------------

@fuzz_slow
@given(st.one_of(mutated_batch_bytes(), mutated_profile_bytes()))
def test_score_command_agrees_with_the_reference_reader(tmp_path_factory, data):
    """``gtmcompass score`` (which reads batch files its own, faster way) prints exactly the
    results the reference reader gives, exits 0 or 1, and writes one stderr line per error."""
    path = tmp_path_factory.mktemp("score") / "input.toml"
    path.write_bytes(data)
    count("inputs tried")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["score", str(path), "--format", "json"])
    results = json.loads(out.getvalue(), parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    # The reference is the whole-file reader wherever the file parses whole; where it does
    # not, a batch file's tables are read one by one and only the bad ones are refused.
    _, whole_error = parse_bytes(data, str(path))
    if whole_error is None:
        entries = entries_from_bytes(data, str(path))
    else:
        entries = [e for part in file_entries(data, str(path)) for e in part]
    expected = score_entries(ENGINE, entries)
    assert results == json.loads(json.dumps(expected))
    errors = [r for r in results if "error" in r]
    assert code == (1 if errors else 0)
    assert err.getvalue().count("\n") == len(errors)
    assert all(line.startswith("error: ") for line in err.getvalue().splitlines())
