"""Reading spreadsheets: each row a profile as a TOML table would give it, spreadsheet habits
handled, and every problem one line naming the file, the row and the column."""

from __future__ import annotations

import pytest

from gtmcompass.io.csvcells import COLUMNS, REQUIRED_COLUMNS
from gtmcompass.io.csvwrite import example_document
from gtmcompass.io.files import load_path
from gtmcompass.model.profile import Profile
from tests.spreadsheet.conftest import good_row, sheet

EXAMPLE = Profile.model_validate(example_document())


def read(write, content, name="deals.csv", **kw):
    return load_path(write(name, content), **kw)


def only_error(entries) -> str:
    errors = [str(e) for entry in entries for e in entry.errors]
    assert len(errors) == 1, errors
    return errors[0]


def test_a_row_reads_as_the_profile_it_was_written_from(write):
    entries = read(write, sheet(good_row(), good_row()))
    assert [e.profile for e in entries] == [EXAMPLE, EXAMPLE]
    assert [e.source.rsplit("#", 1)[1] for e in entries] == ["1", "2"]


def test_bom_crlf_trailing_empty_rows_and_columns_are_passed_over(write):
    text = "\ufeff" + sheet(good_row() + ["", ""], ["", ""], [], header=[*COLUMNS, "", " "],
                            end="\r\n")
    entries = read(write, text)
    assert [e.profile for e in entries] == [EXAMPLE]


def test_a_blank_row_is_counted_so_sources_match_the_sheet(write):
    entries = read(write, sheet(good_row(), [], good_row({"name": "Third"})))
    assert [(e.source.rsplit("#", 1)[1], e.profile.name) for e in entries] == [
        ("1", EXAMPLE.name), ("3", "Third")]


def test_schema_version_may_be_left_out_and_columns_in_any_order(write):
    header = list(reversed(COLUMNS[1:]))
    row = list(reversed(good_row()[1:]))
    assert read(write, sheet(row, header=header))[0].profile == EXAMPLE


def test_only_the_required_columns_give_the_defaults(write):
    header = list(REQUIRED_COLUMNS)
    row = [good_row()[COLUMNS.index(c)] for c in header]
    profile = read(write, sheet(row, header=header))[0].profile
    assert profile.currency == "USD" and profile.compliance.qualifications == ()
    assert profile.market.d30_retention is None and profile.cloud.private_deployments == 0


def test_an_empty_cell_is_unknown_not_zero(write):
    profile = read(write, sheet(good_row({"market.d30_retention": ""})))[0].profile
    assert profile.market.d30_retention is None


@pytest.mark.parametrize(("cell", "value"), [("18%", 0.18), ("2.5 %", 0.025), ("0.18", 0.18),
                                             ("100%", 1.0)])
def test_share_columns_take_percentages(write, cell, value):
    profile = read(write, sheet(good_row({"market.d30_retention": cell})))[0].profile
    assert profile.market.d30_retention == value


def test_qualifications_are_semicolon_separated(write):
    entries = read(write, sheet(good_row({"compliance.qualifications": "mlps3; iso27001;"})))
    assert entries[0].profile.compliance.qualifications == ("mlps3", "iso27001")


@pytest.mark.parametrize(("cell", "value"), [("TRUE", True), ("false", False), ("yes", True),
                                             ("0", False)])
def test_booleans_as_spreadsheets_write_them(write, cell, value):
    profile = read(write, sheet(good_row({"team.research_led": cell})))[0].profile
    assert profile.team.research_led is value


def test_a_whole_number_formatted_as_a_decimal_is_still_a_count(write):
    profile = read(write, sheet(good_row({"team.headcount": "45.0"})))[0].profile
    assert profile.team.headcount == 45


@pytest.mark.parametrize(("path", "cell", "expected"), [
    ("funding.raised", "12,5", "is it 12.5 (a comma for decimals) or 125"),
    ("funding.raised", "1,200", "is it 1.200 (a comma for decimals) or 1200"),
    ("funding.raised", "10..20", "range low..high arrives with estimates"),
    ("funding.raised", "lots", "expected a number, got 'lots'"),
    ("funding.raised", "nan", "expected a number, got 'nan'"),
    ("funding.cash", "18%", "percentages only in share columns"),
    ("team.headcount", "4.5", "expected a whole number, got '4.5'"),
    ("team.research_led", "maybe", "expected true or false"),
    ("as_of", "8/1/2024", "expected a date YYYY-MM-DD"),
    ("sector.vertical", "heathcare", "did you mean 'healthcare'?"),
    ("compliance.qualifications", "mlps3;iso2700", "did you mean 'iso27001'?"),
    ("market.d30_retention", "180%", "from 0 to 1"),
    ("team.headcount", "", "expected a value"),
])
def test_a_bad_cell_names_file_row_and_column_and_the_other_rows_still_read(
        write, path, cell, expected):
    entries = read(write, sheet(good_row(), good_row({path: cell}), good_row()))
    assert [e.ok for e in entries] == [True, False, True]
    message = only_error(entries)
    assert message.startswith(f"{entries[1].source}: {path}") and entries[1].source.endswith(
        "deals.csv#2")
    assert expected in message


@pytest.mark.parametrize(("header", "expected"), [
    (["sector.verticle" if c == "sector.vertical" else c for c in COLUMNS],
     "unknown column 14 'sector.verticle' (did you mean 'sector.vertical'?)"),
    (["Name" if c == "name" else c for c in COLUMNS], "(did you mean 'name'?)"),
    (["vertical" if c == "sector.vertical" else c for c in COLUMNS],
     "(did you mean 'sector.vertical'?)"),
    ([*COLUMNS, "name"], "column 31 'name' repeats column 2"),
    ([c for c in COLUMNS if c != "funding.cash"], "no column funding.cash"),
    ([COLUMNS[0], "", *COLUMNS[1:]], "column 2 of the header is empty"),
])
def test_a_bad_header_is_one_error_for_the_file(write, header, expected):
    rows = [good_row()[: len(header)]] * 3
    entries = read(write, sheet(*rows, header=header))
    message = only_error(entries)
    assert message.startswith(f"{entries[0].source}: ") and "#" not in entries[0].source
    assert expected in message


def test_lenient_drops_unknown_columns_once_with_a_warning(write):
    header = [*COLUMNS, "Owner", "Stage"]
    entries = read(write, sheet(good_row() + ["ann", "seed"], good_row() + ["bo", "A"],
                                header=header), lenient=True)
    assert [e.profile for e in entries] == [EXAMPLE, EXAMPLE]
    assert [w.key_path for w in entries[0].warnings] == ["Owner", "Stage"]
    assert entries[1].warnings == []


@pytest.mark.parametrize(("content", "expected"), [
    (lambda: sheet(good_row()[:-3], good_row()), "row has 27 cells; expected 30"),
    (lambda: sheet(good_row() + ["x"], good_row()), "row has 31 cells; expected 30"),
])
def test_a_ragged_row_is_its_own_error(write, content, expected):
    entries = read(write, content())
    assert [e.ok for e in entries] == [False, True]
    assert expected in only_error(entries)


def test_a_quote_left_open_ends_the_file_at_its_row(write):
    text = sheet(good_row()) + '"Open quote,1\n2,3\n'
    entries = read(write, text)
    assert [e.ok for e in entries] == [True, False]
    assert "a quote opened in the row on line 3 is never closed" in only_error(entries)


def test_a_quote_ending_inside_a_cell_stops_the_reading_at_its_row(write):
    text = sheet(good_row()) + '"Ann" and Bo,1\n' + sheet(good_row(), header=[]).lstrip("\r\n")
    entries = read(write, text)
    assert [e.ok for e in entries] == [True, False]
    assert "a quote ends in the middle of a cell on line 3" in only_error(entries)


@pytest.mark.parametrize(("content", "expected"), [
    (lambda: sheet(good_row()).encode() + b"\x00", "holds a NUL byte on line 3"),
    (lambda: sheet(good_row()).encode() + b"caf\xe9\n", "not UTF-8 text (byte 0xe9 on line 3)"),
    (lambda: sheet(good_row()).encode("utf-16"), "is UTF-16 text; expected UTF-8"),
    (lambda: b"PK\x03\x04rest", "a zip archive"),
    (lambda: ",".join(f"c{i}" for i in range(20_000)) + "\n", "header has 20,000 columns"),
    (lambda: "", "empty file"),
    (lambda: sheet(), "no rows under the header"),
])
def test_a_file_that_is_no_spreadsheet_is_one_line(write, content, expected):
    message = only_error(read(write, content()))
    assert expected in message and "\n" not in message


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(write, monkeypatch):
    monkeypatch.setenv("GTMCOMPASS_MAX_FILE_MB", str(100 / 1024 / 1024))
    message = only_error(read(write, sheet(good_row())))
    assert "expected at most 100" in message


def test_a_name_defused_against_formulas_reads_back_as_written(write):
    entries = read(write, sheet(good_row({"name": "'=HYPERLINK(\"x\")"})))
    assert entries[0].profile.name == '=HYPERLINK("x")'
