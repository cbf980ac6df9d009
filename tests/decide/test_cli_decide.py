"""`gtmcompass report` and `gtmcompass rank`: outputs, order, exit codes, stderr."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gtmcompass import cli
from gtmcompass.cli import main
from gtmcompass.decide.portfolio import RANK_BY
from gtmcompass.render.report import FORMATS
from tests.conftest import PROFILES, ROOT

GOOD = PROFILES / "medical-partners.toml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_choices_match_the_modules():
    assert cli.RANK_BY == RANK_BY
    assert cli.REPORT_FORMATS == FORMATS


@pytest.mark.parametrize("fmt, lang, marker", [("markdown", "en", "# gtmcompass report"),
                                               ("markdown", "zh", "## 结论"),
                                               ("html", "en", "<!DOCTYPE html>"),
                                               ("html", "zh", 'lang="zh-Hans"')])
def test_report_writes_each_format_and_language(capsys, fmt, lang, marker):
    code, out, err = run(capsys, "report", str(GOOD), "--format", fmt, "--lang", lang)
    assert code == 0 and err == ""
    assert marker in out and "Medical Partner Models" in out


def test_report_out_writes_the_file(tmp_path, capsys):
    target = tmp_path / "r.html"
    code, out, err = run(capsys, "report", str(GOOD), "--format", "html", "--out", str(target))
    assert code == 0 and out == "" and err == ""
    assert target.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_report_refuses_a_bad_profile_and_a_batch(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("schema_version = 1\nname = 'x'\n")
    code, out, err = run(capsys, "report", str(bad))
    assert code == 1 and out == "" and err.startswith(f"error: {bad}: ")
    code, out, err = run(capsys, "report", str(PROFILES))
    assert code == 1 and out == "" and "folder" in err
    batch = tmp_path / "batch.toml"
    batch.write_text("[[profile]]\nschema_version = 1\nname = 'a'\n[[profile]]\n"
                     "schema_version = 1\nname = 'b'\n")
    code, out, err = run(capsys, "report", str(batch))
    assert code == 1 and out == ""


def test_report_usage_errors_exit_2(tmp_path, capsys):
    assert run(capsys, "report", str(GOOD), "--format", "pdf")[0] == 2
    weights = tmp_path / "w.toml"
    weights.write_text("[weights.runwy]\nb_private = 3\n")
    code, _, err = run(capsys, "report", str(GOOD), "--weights", str(weights))
    assert code == 2 and "did you mean 'runway'" in err


def _ranked(capsys, *argv):
    code, out, err = run(capsys, "rank", *argv, "--format", "json")
    return code, json.loads(out), err


@pytest.mark.parametrize("by", RANK_BY)
def test_rank_orders_best_first_on_every_key(capsys, by):
    code, results, err = _ranked(capsys, str(PROFILES), "--by", by)
    assert code == 0 and err == ""
    assert [r["rank"] for r in results] == list(range(1, len(results) + 1))
    assert all(r["ranked_by"] == by and r["weights"] == "catalogue" for r in results)

    plays = {"to_b": ("b_private", "b_api"), "to_c": ("c_domestic", "c_overseas")}.get(by, (by,))

    def tier(r):
        # pursuable now, then blocked, then too little to judge
        if r["verdict"] == "insufficient_data":
            return 2
        if by == "best":
            return 0 if r["verdict"] == "go" else 1
        return 0 if any(r["status"][p] != "blocked" for p in plays) else 1

    def key(r):
        if by == "best":
            return r["scores"][r["play"]]
        return r[by] if by in ("to_b", "to_c") else r["scores"][by]

    values = [(tier(r), -key(r)) for r in results]
    assert values == sorted(values)
    assert {tier(r) for r in results} != {0}, "the examples include blocked plays"


def test_rank_keeps_input_order_for_ties(tmp_path, capsys):
    text = GOOD.read_text("utf-8")
    for name in ("zeta", "alpha", "mid"):
        (tmp_path / f"{name}.toml").write_text(
            text.replace('name = "Medical Partner Models"', f'name = "{name}"'))
    paths = [str(tmp_path / f"{n}.toml") for n in ("zeta", "alpha", "mid")]
    _, results, _ = _ranked(capsys, *paths)
    assert [r["name"] for r in results] == ["zeta", "alpha", "mid"]


def test_rank_reports_bad_inputs_and_still_ranks_the_rest(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("not = [toml")
    code, results, err = _ranked(capsys, str(bad), str(PROFILES / "compute-bidder.toml"),
                                 str(GOOD))
    assert code == 1
    assert [r.get("name") for r in results[:2]] == ["Compute Bidder", "Medical Partner Models"]
    assert results[2]["source"] == str(bad) and "error" in results[2]
    assert err.startswith(f"error: {bad}: ") and len(err.strip().splitlines()) == 1


def test_rank_speaks_every_score_format(capsys):
    for fmt, marker in (("table", "Compute Bidder"), ("csv", "source,name"),
                        ("markdown", "| Source |")):
        code, out, _ = run(capsys, "rank", str(PROFILES), "--format", fmt)
        assert code == 0 and marker in out


def test_rank_records_the_weight_set(tmp_path, capsys):
    weights = tmp_path / "investor.toml"
    weights.write_text('name = "investor"\n[weights.runway]\nb_private = 20.0\n')
    _, results, _ = _ranked(capsys, str(PROFILES), "--weights", str(weights))
    assert {r["weights"] for r in results} == {"investor"}


def test_rank_and_report_usage_errors(capsys):
    assert run(capsys, "rank", str(PROFILES), "--by", "b_privat")[0] == 2
    assert run(capsys, "rank", "-", "-")[0] == 2


def test_importing_the_cli_stays_light():
    code = ("import sys, gtmcompass.cli; "
            "print(any(m.split('.')[0] in ('numpy', 'textual', 'pydantic') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.strip()
    assert out == "False"
