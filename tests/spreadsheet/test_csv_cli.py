"""Spreadsheets on the command line: the examples score alike from CSV and TOML, convert
round-trips, hostile files are one line each with the contract's exit status."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmcompass.cli import main
from gtmcompass.io.convert import batch_toml
from gtmcompass.io.csvcells import COLUMNS
from gtmcompass.io.csvwrite import EXAMPLE_NAME, profiles_csv
from gtmcompass.io.files import load_path
from gtmcompass.vocab.exits import ExitCode
from tests.conftest import PROFILES
from tests.spreadsheet.conftest import good_row, sheet
from tests.strategies import profiles


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def without_source(results: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "source"} for r in results]


def test_the_examples_score_alike_from_a_spreadsheet(tmp_path, capsys):
    tomls = sorted(str(p) for p in PROFILES.glob("*.toml"))
    sheet_path = tmp_path / "examples.csv"
    # convert takes one input: the examples go into one batch file first.
    batch = tmp_path / "examples.toml"
    batch.write_text(batch_toml([load_path(p)[0].profile for p in tomls]), encoding="utf-8")
    code, out, err = run(capsys, "convert", str(batch), str(sheet_path))
    assert code == ExitCode.OK, err
    assert out.endswith(f": {len(tomls)} profile(s) written\n")
    for fmt in ("json",):
        _, from_toml, _ = run(capsys, "score", *tomls, "--format", fmt)
        code, from_csv, err = run(capsys, "score", str(sheet_path), "--format", fmt)
        assert code == ExitCode.OK and err == ""
        assert without_source(json.loads(from_csv)) == without_source(json.loads(from_toml))
        assert [r["source"] for r in json.loads(from_csv)] == [
            f"{sheet_path}#{i}" for i in range(1, len(tomls) + 1)]
    _, ranked_toml, _ = run(capsys, "rank", *tomls, "--format", "json")
    _, ranked_csv, _ = run(capsys, "rank", str(sheet_path), "--format", "json")
    assert without_source(json.loads(ranked_csv)) == without_source(json.loads(ranked_toml))


def test_report_reads_a_one_row_spreadsheet(tmp_path, capsys):
    toml = PROFILES / "medical-partners.toml"
    one = tmp_path / "one.csv"
    assert run(capsys, "convert", str(toml), str(one))[0] == ExitCode.OK
    _, from_toml, _ = run(capsys, "report", str(toml))
    code, from_csv, err = run(capsys, "report", str(one))
    assert code == ExitCode.OK and err == ""
    def body(report: str) -> list[str]:
        return [line for line in report.splitlines() if not line.startswith("_Source: ")]

    assert body(from_csv) == body(from_toml) and f"{one.name}#1".replace("_", "\\_") in from_csv


@given(st.lists(profiles(), min_size=1, max_size=4))
def test_convert_round_trips_to_equal_profiles(tmp_path_factory, rows):
    # NUL is the one character a CSV file cannot carry; convert refuses it (tested below).
    rows = [p for p in rows if "\x00" not in p.notes] or None
    if rows is None:
        return
    folder = tmp_path_factory.mktemp("round")
    first = folder / "first.csv"
    first.write_text(profiles_csv(rows), encoding="utf-8")
    as_toml, again = folder / "batch.toml", folder / "again.csv"
    assert main(["convert", str(first), str(as_toml)]) == ExitCode.OK
    assert main(["convert", str(as_toml), str(again)]) == ExitCode.OK
    assert [e.profile for e in load_path(first)] == rows
    assert [e.profile for e in load_path(as_toml)] == rows
    assert [e.profile for e in load_path(again)] == rows
    # The same profiles give the same spreadsheet, byte for byte (a BOM first, for Excel).
    assert again.read_text(encoding="utf-8") == "\ufeff" + first.read_text(encoding="utf-8")


def test_convert_refuses_to_overwrite_its_input_or_an_existing_file(tmp_path, capsys):
    source = tmp_path / "deals.csv"
    source.write_text(sheet(good_row()), encoding="utf-8")
    code, _, err = run(capsys, "convert", str(source), str(tmp_path / "." / "deals.csv"))
    assert code == ExitCode.USAGE and "is the input file" in err
    assert source.read_text(encoding="utf-8") == sheet(good_row())
    other = tmp_path / "out.toml"
    other.write_text("keep", encoding="utf-8")
    code, _, err = run(capsys, "convert", str(source), str(other))
    assert code == ExitCode.USAGE and "exists; use --force" in err
    assert other.read_text(encoding="utf-8") == "keep"
    assert run(capsys, "convert", str(source), str(other), "--force")[0] == ExitCode.OK
    assert [e.profile.name for e in load_path(other)] == [EXAMPLE_NAME]
    code, _, err = run(capsys, "convert", str(source), str(tmp_path / "out.xlsx"))
    assert code == ExitCode.USAGE and "expected a name ending in .csv or .toml" in err
    assert err.count("\n") == 1


def test_convert_writes_nothing_when_a_row_is_bad(tmp_path, capsys):
    source = tmp_path / "deals.csv"
    source.write_text(sheet(good_row(), good_row({"sector.vertical": "heathcare"})),
                      encoding="utf-8")
    target = tmp_path / "deals.toml"
    code, out, err = run(capsys, "convert", str(source), str(target))
    assert code == ExitCode.REJECTED and out == "" and not target.exists()
    lines = err.splitlines()
    assert lines[0].startswith(f"error: {source}#2: sector.vertical: ")
    assert "did you mean 'healthcare'?" in lines[0] and "not written" in lines[1]


def test_convert_refuses_a_nul_in_notes_which_csv_cannot_carry(tmp_path, capsys):
    source = tmp_path / "nul.toml"
    text = (PROFILES / "medical-partners.toml").read_text(encoding="utf-8")
    source.write_text(text.replace('notes = "', 'notes = "a\\u0000b'), encoding="utf-8")
    code, _, err = run(capsys, "convert", str(source), str(tmp_path / "nul.csv"))
    assert code == ExitCode.REJECTED and "notes: holds a NUL character" in err
    assert not (tmp_path / "nul.csv").exists()


HOSTILE = {
    "wrong column": (sheet(good_row(), header=[c.replace("cash", "csh") for c in COLUMNS]),
                     "did you mean 'funding.cash'?"),
    "20,000 columns": (",".join(f"c{i}" for i in range(20_000)) + "\n", "20,000 columns"),
    "NUL byte": (sheet(good_row()) + "\x00\n", "NUL byte"),
    "not UTF-8": (sheet(good_row()).encode("utf-8") + b"\xe9\n", "not UTF-8"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_file_is_one_line_and_the_other_files_still_score(tmp_path, capsys, kind):
    content, expected = HOSTILE[kind]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    good = tmp_path / "good.csv"
    good.write_text(sheet(good_row()), encoding="utf-8")
    code, out, err = run(capsys, "score", str(bad), str(good), "--format", "json")
    assert code == ExitCode.REJECTED
    assert len(err.splitlines()) == 1 and expected in err and err.startswith(f"error: {bad}: ")
    results = json.loads(out)
    assert [("error" in r) for r in results] == [True, False]


ROW_HOSTILE = {
    "ragged row": (good_row()[:5], "row has 5 cells; expected 30"),
    "comma decimal": (good_row({"funding.raised": "12,5"}), "12.5 (a comma for decimals)"),
    "range": (good_row({"funding.raised": "1..2"}), "arrives with estimates"),
}


@pytest.mark.parametrize("kind", ROW_HOSTILE)
@pytest.mark.parametrize("command", ["score", "rank", "validate"])
def test_a_hostile_row_is_one_line_and_the_other_rows_still_score(tmp_path, capsys, kind,
                                                                  command):
    row, expected = ROW_HOSTILE[kind]
    path = tmp_path / "deals.csv"
    path.write_text(sheet(good_row(), row, good_row()), encoding="utf-8")
    code, out, err = run(capsys, command, str(path))
    assert code == ExitCode.REJECTED
    assert len(err.splitlines()) == 1 and expected in err
    assert err.startswith(f"error: {path}#2: ")
    assert out.count(EXAMPLE_NAME) == 2


def test_a_file_over_the_size_cap_is_one_line(tmp_path, capsys, monkeypatch):
    path = tmp_path / "huge.csv"
    path.write_text(sheet(*[good_row()] * 50), encoding="utf-8")
    monkeypatch.setenv("GTMCOMPASS_MAX_FILE_MB", str(1000 / 1024 / 1024))
    code, out, err = run(capsys, "score", str(path), "--format", "json")
    assert code == ExitCode.REJECTED and len(err.splitlines()) == 1
    assert "expected at most 1,000" in err


def test_new_csv_writes_every_column_and_an_example_that_scores(tmp_path, capsys):
    target = tmp_path / "deals.csv"
    code, out, _ = run(capsys, "new", "--csv", str(target))
    assert code == ExitCode.OK and out.strip() == str(target)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows[0] == list(COLUMNS) and len(rows) == 2
    assert rows[1][COLUMNS.index("name")] == EXAMPLE_NAME
    code, out, err = run(capsys, "score", str(target), "--format", "json")
    assert code == ExitCode.OK and json.loads(out)[0]["name"] == EXAMPLE_NAME
    code, _, err = run(capsys, "new", "--csv", str(target))
    assert code == ExitCode.USAGE and "exists; use --force" in err
    code, _, err = run(capsys, "new", "Acme", "--csv", str(target))
    assert code == ExitCode.USAGE
    code, _, err = run(capsys, "new")
    assert code == ExitCode.USAGE and "required: NAME (or --csv FILE" in err


def test_the_result_csv_keeps_one_row_per_profile_with_verdict_status_and_blockers(
        tmp_path, capsys):
    path = tmp_path / "deals.csv"
    path.write_text(sheet(good_row(), good_row({"name": "=HYPERLINK(\"http://x\")"})),
                    encoding="utf-8")
    code, out, _ = run(capsys, "score", str(path), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2 and {"verdict", "status.b_private", "blockers",
                               "win_shares.b_api"} <= set(rows[0])
    assert rows[1]["name"] == "'=HYPERLINK(\"http://x\")"
    assert float(rows[0]["b_private"]) >= 0  # numbers stay numbers


def test_a_folder_of_spreadsheets_is_not_scanned(tmp_path, capsys):
    # Folders hold profiles (*.toml); a spreadsheet is named on the command line.
    shutil.copy(PROFILES / "medical-partners.toml", tmp_path / "a.toml")
    (tmp_path / "b.csv").write_text(sheet(good_row()), encoding="utf-8")
    code, out, _ = run(capsys, "score", str(tmp_path), "--format", "json")
    assert code == ExitCode.OK and len(json.loads(out)) == 1
