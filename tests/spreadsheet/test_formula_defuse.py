"""Formula injection: no text cell a spreadsheet opens starts a formula, and a spreadsheet
written by convert reads back to the text it was given.

Decision (README, "Spreadsheets (CSV)"): a cell that would start with ``=``, ``+``, ``-``,
``@``, tab or carriage return is written with a leading ``'`` (OWASP's defuse), and so is one
that starts with ``'`` followed by one of those or by another ``'``. Reading a profile
spreadsheet drops exactly that one ``'``, so ``convert`` round-trips every name and note. The
result CSV of ``score`` is output only: its cells stay defused.
"""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from gtmcompass.io.csvcells import format_cell, parse_cell
from gtmcompass.io.csvread import csv_entries
from gtmcompass.io.csvwrite import example_document, profiles_csv
from gtmcompass.model.profile import Profile
from gtmcompass.render.formats import to_csv
from gtmcompass.vocab.escape import FORMULA_START, csv_cell, defuse_formula, restore_formula

starts = st.sampled_from(sorted(FORMULA_START))
risky = st.builds(lambda a, b: a + b, starts, st.text(max_size=30))
# Text that is or looks like a defused cell: apostrophes before the formula starts.
tricky = st.builds(lambda n, a, b: "'" * n + a + b, st.integers(0, 3),
                   st.sampled_from([*FORMULA_START, "'", "a", ""]), st.text(max_size=10))
any_text = st.one_of(st.text(max_size=40), risky, tricky)


@given(risky)
def test_a_text_starting_a_formula_is_defused(text):
    assert defuse_formula(text).startswith("'" + text[0])
    assert csv_cell(text).startswith("'")


@given(any_text)
def test_no_result_cell_starts_a_formula(text):
    assert csv_cell(text)[:1] not in FORMULA_START


@given(any_text)
def test_restoring_gives_back_exactly_what_was_defused(text):
    assert restore_formula(defuse_formula(text)) == text
    assert parse_cell("name", format_cell("name", text)) == (text or None)


@given(any_text.filter(lambda t: "\x00" not in t))
def test_a_profile_spreadsheet_reads_back_every_name_and_note(text):
    doc = example_document()
    doc["notes"] = text
    doc["name"] = (text or "x")[:120]
    profile = Profile.model_validate(doc)
    data = profiles_csv([profile]).encode("utf-8")
    [entry] = [e for part in csv_entries(data, "d.csv") for e in part]
    assert entry.profile == profile
    for row in csv.reader(io.StringIO(data.decode())):
        assert all(cell[:1] not in FORMULA_START for cell in row)


@given(risky)
def test_the_result_csv_defuses_names_and_keeps_numbers_numbers(name):
    result = {"source": "deals.csv#1", "name": name, "error": "x"}
    row = next(csv.DictReader(io.StringIO(to_csv([result]))))
    assert row["name"].startswith("'")
    scored = {"source": "a.csv#1", "name": "-5", "scores": {"b_private": -0.0, "b_api": 1.5,
              "c_domestic": 0, "c_overseas": 2}, "flags": [], "missing": [],
              "status": {}, "blockers": {"b_private": [], "b_api": [], "c_domestic": [],
                                         "c_overseas": []}}
    row = next(csv.DictReader(io.StringIO(to_csv([scored]))))
    assert row["name"] == "'-5" and row["b_private"] == "-0.0" and row["b_api"] == "1.5"
