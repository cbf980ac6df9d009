"""The command line as an API: exit codes, JSON shape, stdout/stderr split."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tomllib

import pytest

from gtmcompass.cli import main
from gtmcompass.io.files import load_profile
from tests.conftest import PROFILES, ROOT

CONTRACT_KEYS = {"source", "name", "scores", "to_b", "to_c", "side", "play", "confidence", "flags"}
PLAYS = {"b_private", "b_api", "c_domestic", "c_overseas"}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_score_json_follows_the_contract(capsys):
    code, out, err = run(capsys, "score", str(PROFILES), "--format", "json")
    assert code == 0 and err == ""
    results = json.loads(out)
    assert len(results) == len(list(PROFILES.glob("*.toml")))
    for r in results:
        assert CONTRACT_KEYS <= set(r)
        assert set(r["scores"]) == PLAYS
        assert all(0 <= s <= 100 for s in r["scores"].values())
        assert r["to_b"] == max(r["scores"]["b_private"], r["scores"]["b_api"])
        assert r["to_c"] == max(r["scores"]["c_domestic"], r["scores"]["c_overseas"])
        assert r["play"] in PLAYS and r["side"] == ("to_b" if r["play"].startswith("b_") else "to_c")
        # the named play is the best-scoring play that is not blocked, when one exists
        open_plays = [p for p in PLAYS if not r["blockers"][p]]
        if r["verdict"] == "go":
            assert r["scores"][r["play"]] == max(r["scores"][p] for p in open_plays)
        assert (r["verdict"] == "not_yet") == (not open_plays and r["missing"] == [])
        assert 0 <= r["confidence"] <= 1
        assert isinstance(r["flags"], list)
        assert r["weights"] == "catalogue"


def test_bad_input_is_reported_and_the_rest_still_scored(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("schema_version = 1\nname = 'x'\n[team]\nheadcount = 'many'\n")
    good = PROFILES / "compute-bidder.toml"
    code, out, err = run(capsys, "score", str(good), str(bad), "--format", "json")
    assert code == 1
    results = json.loads(out)
    assert results[0]["name"] == "Compute Bidder"
    assert results[1]["source"] == str(bad) and set(results[1]) == {"source", "error"}
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad}: ")
    assert "Traceback" not in err


def test_stdin_is_read_with_a_dash(monkeypatch, capsys):
    data = (PROFILES / "domestic-chatbot.toml").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run(capsys, "score", "-", "--format", "json")
    assert code == 0 and json.loads(out)[0]["source"] == "<stdin>"


def test_csv_and_markdown_carry_the_same_verdicts(capsys):
    _, out_json, _ = run(capsys, "score", str(PROFILES), "--format", "json")
    _, out_csv, _ = run(capsys, "score", str(PROFILES), "--format", "csv")
    _, out_md, _ = run(capsys, "score", str(PROFILES), "--format", "markdown")
    rows = list(csv.DictReader(io.StringIO(out_csv)))
    verdicts = [r["play"] for r in json.loads(out_json)]
    assert [r["play"] for r in rows] == verdicts
    assert all(f"| {p} |" in out_md for p in verdicts)


def test_table_is_the_default_format(capsys):
    code, out, _ = run(capsys, "score", str(PROFILES / "tender-veteran.toml"))
    assert code == 0 and "Tender Veteran AI" in out and "b_private" in out


def test_out_writes_the_file_and_nothing_to_stdout(tmp_path, capsys):
    target = tmp_path / "r.json"
    code, out, _ = run(capsys, "score", str(PROFILES), "--format", "json", "--out", str(target))
    assert code == 0 and out == ""
    assert len(json.loads(target.read_text())) >= 8


def test_weights_file_changes_scores_and_is_recorded(tmp_path, capsys):
    weights = tmp_path / "heavy-cash.toml"
    weights.write_text('name = "heavy-cash"\n[weights.runway]\nb_private = 60\n')
    path = str(PROFILES / "api-price-war.toml")
    _, base, _ = run(capsys, "score", path, "--format", "json")
    code, heavy, _ = run(capsys, "score", path, "--format", "json", "--weights", str(weights))
    assert code == 0
    base_r, heavy_r = json.loads(base)[0], json.loads(heavy)[0]
    assert heavy_r["weights"] == "heavy-cash"
    assert heavy_r["scores"]["b_private"] != base_r["scores"]["b_private"]
    assert heavy_r["scores"]["b_api"] == base_r["scores"]["b_api"]


@pytest.mark.parametrize(("text", "expected"), [
    ("[weights.runwya]\nb_private = 1\n", "did you mean 'runway'?"),
    ("[weights.runway]\nb_privat = 1\n", "did you mean 'b_private'?"),
    ("[weights.runway]\nb_private = true\n", "expected a finite number, got true"),
    ("[weights.runway]\nb_private = nan\n", "expected a finite number, got nan"),
    ("wieghts = 1\n", "did you mean 'weights'?"),
])
def test_bad_weights_file_is_a_usage_error(tmp_path, capsys, text, expected):
    weights = tmp_path / "w.toml"
    weights.write_text(text)
    code, out, err = run(capsys, "score", str(PROFILES), "--weights", str(weights))
    assert code == 2 and out == ""
    assert expected in err and err.count("\n") == 1


@pytest.mark.parametrize("argv", [
    ["score"], ["score", "x", "--format", "yaml"], ["frobnicate", "x"], ["score", "x", "--cny-per-usd", "-1"],
    ["score", "-", "-"],
])
def test_usage_errors_exit_2_with_one_line(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1


def test_missing_file_exits_1(capsys, tmp_path):
    code, _, err = run(capsys, "score", str(tmp_path / "none.toml"), "--format", "json")
    assert code == 1 and "no such file" in err


def test_cny_rate_option_changes_usd_profiles_only(capsys):
    usd = str(PROFILES / "overseas-image-app.toml")
    cny = str(PROFILES / "compute-bidder.toml")
    _, a, _ = run(capsys, "score", usd, cny, "--format", "json")
    _, b, _ = run(capsys, "score", usd, cny, "--format", "json", "--cny-per-usd", "1")
    a, b = json.loads(a), json.loads(b)
    assert a[0]["scores"] != b[0]["scores"]
    assert a[1]["scores"] == b[1]["scores"]


def test_validate_lists_every_problem(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("schema_version = 1\nname = 'x'\n")
    code, out, err = run(capsys, "validate", str(PROFILES / "professor-lab.toml"), str(bad))
    assert code == 1
    assert out.startswith("ok: ")
    assert {"funding", "team", "sector", "cloud", "market"} <= {
        line.split(": ")[2] for line in err.splitlines()}


def test_criteria_json_lists_every_criterion_with_evidence(capsys):
    code, out, _ = run(capsys, "criteria", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and len(doc["criteria"]) >= 20 and doc["flags"]
    for c in doc["criteria"]:
        assert c["evidence"] and all(e["fact_en"] and e["fact_zh"] for e in c["evidence"])


def test_criteria_in_chinese(capsys):
    code, out, _ = run(capsys, "criteria", "--lang", "zh", "--format", "markdown")
    assert code == 0 and "招投标门槛" in out and "同类项目经验" in out


def test_new_writes_a_template_that_validates(tmp_path, capsys):
    code, out, _ = run(capsys, "new", "Acme / AI", "--dir", str(tmp_path))
    path = tmp_path / "acme-ai.toml"
    assert code == 0 and out.strip() == str(path)
    assert load_profile(path).name == "Acme / AI"
    assert "#" in path.read_text()  # commented
    code, _, err = run(capsys, "new", "Acme / AI", "--dir", str(tmp_path))
    assert code == 2 and "exists" in err
    code, _, _ = run(capsys, "new", "Acme / AI", "--dir", str(tmp_path), "--force")
    assert code == 0


def test_new_escapes_names_for_toml(tmp_path, capsys):
    run(capsys, "new", 'Quote " and \\ back', "--dir", str(tmp_path))
    [path] = tmp_path.glob("*.toml")
    assert tomllib.loads(path.read_text())["name"] == 'Quote " and \\ back'


def test_version_and_help(capsys):
    for argv in (["--version"], ["--help"], ["score", "--help"], ["criteria", "--help"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 0
    out, _ = capsys.readouterr()
    assert "gtmcompass" in out


def test_batch_path_never_imports_textual():
    code = (
        "import sys, io, contextlib\n"
        "from gtmcompass.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['score', {str(PROFILES)!r}, '--format', 'json'])\n"
        f"    main(['score', {str(PROFILES)!r}, '--format', 'table'])\n"
        "    main(['criteria'])\n"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_console_script_runs_as_a_module():
    proc = subprocess.run(
        [sys.executable, "-m", "gtmcompass", "score", str(PROFILES / "compute-bidder.toml"),
         "--format", "json"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode == 0 and json.loads(proc.stdout)[0]["play"]
    assert load_profile(PROFILES / "compute-bidder.toml").name in proc.stdout


@pytest.mark.parametrize("width", [80, 100, 120, 200])
def test_the_table_fits_the_terminal_it_is_printed_to(width, capsys):
    from gtmcompass.render.formats import to_table

    assert main(["score", str(PROFILES), "--format", "json"]) == 0
    results = json.loads(capsys.readouterr().out)
    text = to_table(results, width)
    assert max(len(line) for line in text.splitlines()) <= width
    for r in results:
        # Every score is shown, and the name's words are all there (folded, never dropped).
        assert all(f"{r['scores'][p]:.1f}" in text for p in r["scores"])
        assert all(word in text for word in r["name"].split() if len(word) <= 8)
