"""The Python API (``gtmcompass.api``): the README's example runs, and the API scores exactly
as ``gtmcompass score`` does, through its public names only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gtmcompass import api
from gtmcompass.cli import main
from gtmcompass.io.weights import load_weights
from gtmcompass.model.profile import to_document
from tests.conftest import PROFILES, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_example() -> str:
    section = README.split("## Python API", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_runs(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    exec(compile(readme_example(), "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert printed.startswith(f"{len(list(PROFILES.glob('*.toml')))} ")


def test_the_readme_lists_every_public_name():
    table = README.split("## Python API", 1)[1].split("\n## ", 1)[0]
    for name in api.__all__:
        assert f"`{name}" in table, name


def cli_json(capsys, *argv) -> list[dict]:
    assert main(["score", *argv, "--format", "json"]) in (0, 1)
    return json.loads(capsys.readouterr().out)


def test_scores_exactly_as_the_command_line(capsys):
    paths = sorted(str(p) for p in PROFILES.glob("*.toml"))
    assert [r.to_dict() for r in api.score(api.load(*paths))] == cli_json(capsys, *paths)


def test_a_spreadsheet_scores_as_the_same_profiles_in_toml(tmp_path):
    paths = sorted(str(p) for p in PROFILES.glob("*.toml"))
    sheet = tmp_path / "deals.csv"
    assert main(["convert", paths[0], str(sheet)]) == 0
    [from_sheet] = api.score(api.load(sheet))
    [from_toml] = api.score(paths[0])
    assert from_sheet.source == f"{sheet}#1"
    assert {**from_sheet.to_dict(), "source": ""} == {**from_toml.to_dict(), "source": ""}


def test_weights_from_a_file_score_as_with_the_weights_option(capsys, tmp_path):
    weights = tmp_path / "cautious.toml"
    weights.write_text('name = "cautious"\n[weights.runway]\nb_private = 30.0\n'
                       'c_domestic = 1.0\n', encoding="utf-8")
    path = str(PROFILES / "medical-partners.toml")
    expected = cli_json(capsys, path, "--weights", str(weights))
    assert [r.to_dict() for r in api.score(path, weights=weights)] == expected
    assert [r.to_dict() for r in api.score(path, weights=load_weights(str(weights)))] == expected


def test_a_committee_scores_as_with_repeated_weights_options(capsys, tmp_path):
    partners = []
    for n, weight in enumerate((30.0, 2.0, 12.0)):
        path = tmp_path / f"partner{n}.toml"
        path.write_text(f'name = "p{n}"\n[weights.runway]\nb_private = {weight}\n',
                        encoding="utf-8")
        partners.append(path)
    path = str(PROFILES / "medical-partners.toml")
    argv = [path, *(a for p in partners for a in ("--weights", str(p)))]
    expected = cli_json(capsys, *argv)
    got = [r.to_dict() for r in api.score(path, weights=partners)]
    assert got == expected and "committee" in got[0]


def test_a_dict_scores_as_the_same_profile_from_a_file(capsys, tmp_path):
    profile = api.load(PROFILES / "medical-partners.toml")[0].profile
    doc = to_document(profile)
    [from_dict] = api.score(doc)
    [from_profile] = api.score(profile)
    [from_file] = api.score(str(PROFILES / "medical-partners.toml"))
    assert from_dict.decision.scores == from_file.decision.scores == from_profile.decision.scores
    assert api.profile(doc) == profile


def test_a_bad_item_is_one_result_with_its_error_and_the_rest_are_scored(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("schema_version = 1\nname = 'x'\n", encoding="utf-8")
    good = PROFILES / "medical-partners.toml"
    results = api.score([good, bad, {"schema_version": 1}, good])
    assert [r.ok for r in results] == [True, False, False, True]
    assert results[1].errors[0].startswith(str(bad))
    assert results[2].source == "<dict 3>" and results[2].errors
    rows = api.records(results)
    assert {tuple(r) for r in rows} == {tuple(rows[0])}  # one set of columns for every row
    assert rows[1]["error"] and rows[0]["error"] == ""
    assert isinstance(rows[0]["confidence"], float) and rows[0]["verdict"] in (
        "go", "not_yet", "insufficient_data")


def test_profile_from_a_bad_dict_names_the_key_path():
    with pytest.raises(api.ProfileError, match=r"team\.headcount"):
        api.profile({**to_document(api.load(PROFILES / "medical-partners.toml")[0].profile),
                     "team": {"headcount": 0, "founded_year": 2020, "commercial_headcount": 0}})


def test_records_match_the_csv_result(capsys):
    import csv
    import io

    path = str(PROFILES / "medical-partners.toml")
    assert main(["score", path, "--format", "csv"]) == 0
    [row] = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    [record] = api.records(api.score(path))
    assert list(record) == list(row)
    assert {k: str(v) for k, v in record.items()} == row
