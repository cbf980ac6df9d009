"""Every way each command can end: its exit status and its one-line message.

Exit statuses are an API (cli.py): 0 all inputs scored, 1 some input rejected, 2 usage error,
130 interrupted. Every diagnostic is a single line on stderr starting ``error:`` (or
``warning:``), never a traceback.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w

from gtmcompass import __version__, cli
from gtmcompass.cli import COMMANDS, main
from gtmcompass.io.files import load_profile
from gtmcompass.model.profile import to_document
from tests.conftest import PROFILES, ROOT
from tests.test_profile_files import MINIMAL

GOOD = str(PROFILES / "tender-veteran.toml")
LONG_NAME = "x" * 300  # longer than any file name may be: ENAMETOOLONG


@pytest.fixture
def files(tmp_path) -> dict[str, str]:
    """Inputs for every branch: good, bad, typo'd, batch, empty folder, a file, weights."""
    paths = {}

    def put(name: str, data: bytes) -> None:
        (tmp_path / name).write_bytes(data)
        paths[name.removesuffix(".toml")] = str(tmp_path / name)

    put("good.toml", MINIMAL)
    put("bad.toml", MINIMAL.replace(b"headcount = 3", b"headcount = 0"))
    put("typo.toml", MINIMAL.replace(b"[cloud]", b"[cloud]\nexperiense = 'some'"))
    put("notoml.toml", b"name = \n")
    put("weights-bad.toml", b"[weights.runwya]\nb_private = 1\n")
    put("weights-good.toml", b"[weights.runway]\nb_private = 12\n")
    doc = to_document(load_profile(GOOD))
    put("batch.toml", tomli_w.dumps({"profile": [doc, doc]}).encode())
    (tmp_path / "empty").mkdir()
    paths["empty"] = str(tmp_path / "empty")
    paths["dir"] = str(tmp_path)
    return paths


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_lines(err: str, prefix: str = "error: ") -> list[str]:
    """stderr is whole lines, each one diagnostic with the given prefix, no traceback."""
    assert err.endswith("\n") and "Traceback" not in err
    lines = err.splitlines()
    assert all(line.startswith(("error: ", "warning: ")) for line in lines), lines
    assert lines[0].startswith(prefix)
    return lines


# -- usage errors: exit 2, one line, nothing on stdout -----------------------------------------

USAGE = [
    # (argv, text the one line must contain); {x} are filled from the fixture
    (["--bogus"], "unrecognized arguments: --bogus"),
    (["frobnicate", "x"], "unknown command 'frobnicate'"),
    (["score"], "the following arguments are required: PATH"),
    (["score", "{good}", "--format", "yaml"], "invalid choice: 'yaml'"),
    (["score", "{good}", "--cny-per-usd", "-1"], "expected yuan per dollar from 0.01 to 1000, got '-1'"),
    (["score", "{good}", "--cny-per-usd", "0"], "expected yuan per dollar from 0.01 to 1000, got '0'"),
    (["score", "{good}", "--cny-per-usd", "nan"], "expected yuan per dollar from 0.01 to 1000, got 'nan'"),
    (["score", "{good}", "--cny-per-usd", "inf"], "expected yuan per dollar from 0.01 to 1000, got 'inf'"),
    (["score", "{good}", "--cny-per-usd", "5e-324"],
     "expected yuan per dollar from 0.01 to 1000, got '5e-324'"),
    (["score", "{good}", "--cny-per-usd", "1001"],
     "expected yuan per dollar from 0.01 to 1000, got '1001'"),
    (["score", "{good}", "--cny-per-usd", "seven"], "expected yuan per dollar from 0.01 to 1000, got 'seven'"),
    (["score", "-", "-"], "standard input ('-') can be read only once"),
    (["score", "{good}", "--weights", "{dir}/none.toml"], "none.toml: no such file"),
    (["score", "{good}", "--weights", "{weights-bad}"], "did you mean 'runway'?"),
    (["score", "{good}", "--weights", "{notoml}"], "not valid TOML"),
    (["score", "{good}", "--weights", LONG_NAME], "cannot read: File name too long"),
    (["score", "{good}", "--out", "{dir}"], "is a folder; expected a file name"),
    (["score", "{good}", "--out", "{dir}/no/such/r.json"], "could not save: No such file"),
    (["score", "{good}", "--out", "{good}/r.json"], "could not save: Not a directory"),
    (["score", "{good}", "--strict", "--lenient"], "not allowed with argument --strict"),
    (["score", "{good}", "--frob"], "unrecognized arguments: --frob"),
    (["validate"], "the following arguments are required: PATH"),
    (["validate", "{good}", "--lenient", "--strict"], "not allowed with argument --lenient"),
    (["criteria", "--format", "yaml"], "invalid choice: 'yaml'"),
    (["criteria", "--lang", "fr"], "invalid choice: 'fr'"),
    (["criteria", "extra"], "unrecognized arguments: extra"),
    (["new"], "the following arguments are required: NAME"),
    (["new", ""], "NAME must be 1 to 120 characters"),
    (["new", "x" * 121, "--dir", "{dir}"], "NAME must be 1 to 120 characters"),
    (["new", "Acme", "--dir", "{dir}/nowhere"], "nowhere: no such folder"),
    (["new", "Acme", "--dir", "{good}"], "good.toml: no such folder"),
    (["new", "Acme", "--dir", LONG_NAME], "no such folder"),
    (["new", "Good", "--dir", "{dir}"], "good.toml exists; use --force to overwrite it"),
]
if "report" in COMMANDS:
    USAGE += [
        (["report"], "the following arguments are required: FILE"),
        (["report", "{good}", "--format", "pdf"], "invalid choice: 'pdf'"),
        (["report", "{good}", "--lang", "fr"], "invalid choice: 'fr'"),
        (["report", "{good}", "--out", "{dir}"], "is a folder; expected a file name"),
        (["report", "{good}", "--weights", "{weights-bad}"], "did you mean 'runway'?"),
        (["report", "{good}", "--cny-per-usd", "0"], "expected yuan per dollar from 0.01 to 1000"),
    ]
if "rank" in COMMANDS:
    USAGE += [
        (["rank"], "the following arguments are required: PATH"),
        (["rank", "{good}", "--by", "money"], "invalid choice: 'money'"),
        (["rank", "-", "-"], "standard input ('-') can be read only once"),
        (["rank", "{good}", "--out", "{dir}"], "is a folder; expected a file name"),
        (["rank", "{good}", "--weights", "{weights-bad}"], "did you mean 'runway'?"),
    ]


@pytest.mark.parametrize(("argv", "expected"), USAGE, ids=[" ".join(a)[:60] for a, _ in USAGE])
def test_usage_errors_exit_2_with_one_line_and_no_output(capsys, files, argv, expected):
    argv = [a.format_map(files) for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 2, (code, err)
    assert out == ""
    [line] = assert_lines(err)
    assert expected in line, line


# -- rejected inputs: exit 1, the rest still printed ---------------------------------------------

REJECTED = [
    (["score", "{bad}"], "{bad}: team.headcount: expected a number from 1 to 10,000,000, got 0"),
    (["score", "{dir}/none.toml"], "{dir}/none.toml: no such file"),
    (["score", "{empty}"], "{empty}: folder holds no .toml files; expected profiles"),
    (["score", "{typo}"], "{typo}: cloud.experiense: unknown key 'experiense'"),
    (["score", "{notoml}"], "{notoml}: not valid TOML: "),
    (["score", LONG_NAME], f"{LONG_NAME}: cannot read: File name too long"),
    (["validate", "{bad}"], "{bad}: team.headcount: expected a number from 1 to 10,000,000"),
    (["validate", "{dir}/none.toml"], "{dir}/none.toml: no such file"),
    (["validate", "{empty}"], "{empty}: folder holds no .toml files"),
    (["validate", "{typo}"], "{typo}: cloud.experiense: unknown key 'experiense'"),
    (["validate", LONG_NAME], f"{LONG_NAME}: cannot read: File name too long"),
]
if "report" in COMMANDS:
    REJECTED += [
        (["report", "{bad}"], "{bad}: team.headcount: expected a number from 1 to 10,000,000"),
        (["report", "{dir}/none.toml"], "{dir}/none.toml: no such file"),
        (["report", "{batch}"], "{batch}"),  # "...: holds 2 profiles; a report covers one"
        (["report", LONG_NAME], f"{LONG_NAME}: cannot read: File name too long"),
    ]
if "rank" in COMMANDS:
    REJECTED += [
        (["rank", "{bad}"], "{bad}: team.headcount: expected a number from 1 to 10,000,000"),
        (["rank", "{empty}"], "{empty}: folder holds no .toml files"),
        (["rank", LONG_NAME], f"{LONG_NAME}: cannot read: File name too long"),
    ]


@pytest.mark.parametrize(("argv", "expected"), REJECTED,
                         ids=[" ".join(a)[:60] for a, _ in REJECTED])
def test_rejected_inputs_exit_1_with_a_line_each(capsys, files, argv, expected):
    argv = [a.format_map(files) for a in argv]
    code, out, err = run(capsys, *argv, *([files["good"]] if argv[0] != "report" else []))
    assert code == 1, (code, err)
    lines = assert_lines(err)
    assert lines[0].startswith("error: " + expected.format_map(files)), lines[0]
    if argv[0] == "report" and argv[1] == files["batch"]:
        assert "holds 2 profiles; a report covers one" in lines[0]
    if argv[0] in ("score", "rank"):
        assert "Min" in out  # the good profile after the bad one was still scored
    elif argv[0] == "validate":
        assert out == f"ok: {files['good']} (Min)\n"


def test_score_json_keeps_errors_in_place(capsys, files):
    code, out, err = run(capsys, "score", files["bad"], files["good"], "--format", "json")
    assert code == 1
    results = json.loads(out)
    assert results[0] == {"source": files["bad"],
                          "error": "team.headcount: expected a number from 1 to 10,000,000, got 0"}
    assert results[1]["name"] == "Min"
    assert len(assert_lines(err)) == 1


# -- successes ----------------------------------------------------------------------------------

def test_lenient_scores_and_warns_once_per_dropped_key(capsys, files):
    for command in ("score", "validate"):
        code, out, err = run(capsys, command, files["typo"], "--lenient")
        assert code == 0
        assert err == (f"warning: {files['typo']}: cloud.experiense: unknown key "
                       "'experiense' in [cloud]; did you mean 'experience'?; dropped (--lenient)\n")
        assert "Min" in out
    code, _, _ = run(capsys, "score", files["typo"], "--strict")
    assert code == 1


@pytest.mark.parametrize("argv", [
    ["score", "{good}"], ["score", "{batch}", "--format", "csv"],
    ["score", "{good}", "--weights", "{weights-good}", "--out", "{dir}/r.json"],
    ["validate", "{good}", "{batch}"], ["criteria"], ["criteria", "--lang", "zh"],
    ["new", "Fresh", "--dir", "{dir}"], ["new", "Good", "--dir", "{dir}", "--force"],
    *([["report", "{good}"], ["report", "{good}", "--format", "html", "--out",
                                   "{dir}/r.html"]] if "report" in COMMANDS else []),
    *([["rank", "{batch}", "{good}", "--by", "to_c"]] if "rank" in COMMANDS else []),
])
def test_successes_exit_0_with_nothing_on_stderr(capsys, files, argv):
    argv = [a.format_map(files) for a in argv]
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    assert out or "--out" in argv


def test_stdin_empty_and_good(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    code, _, err = run(capsys, "score", "-")
    assert code == 1 and err == "error: <stdin>: empty file; expected a profile\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(MINIMAL)))
    code, out, _ = run(capsys, "validate", "-")
    assert code == 0 and out == "ok: <stdin> (Min)\n"


# -- interruption and a closed pipe -------------------------------------------------------------

@pytest.mark.parametrize("command", ["score", "validate", "criteria"])
def test_ctrl_c_exits_130_with_one_word(capsys, monkeypatch, command):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setitem(cli.HANDLERS, command, interrupted)
    code, out, err = run(capsys, command, *(["x"] if command != "criteria" else []))
    assert (code, out, err) == (130, "", "interrupted\n")


def test_a_reader_that_goes_away_is_not_an_error(tmp_path):
    """``gtmcompass score big | head -c 100``: exit 0 and silence, not a BrokenPipe traceback."""
    doc = to_document(load_profile(GOOD))
    (tmp_path / "big.toml").write_text(tomli_w.dumps({"profile": [doc] * 600}))
    proc = subprocess.Popen([sys.executable, "-m", "gtmcompass", "score",
                             str(tmp_path / "big.toml"), "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=ROOT)
    assert proc.stdout.read(100).startswith(b"[\n{")
    proc.stdout.close()  # 600 results are about 250 KB, far more than a pipe holds
    err = proc.stderr.read()
    assert proc.wait(60) == 0
    assert err == b""


# -- --help and --version for every command ---------------------------------------------------

@pytest.mark.parametrize("command", [None, *COMMANDS])
@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_work_for_every_command(capsys, command, flag):
    argv = [flag] if command is None else [command, flag]
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    assert exc.value.code == 0 and err == ""
    if flag == "--version":
        assert out == f"gtmcompass {__version__}\n"
    else:
        assert out.startswith(f"usage: gtmcompass{'' if command is None else ' ' + command}")


def test_help_documents_the_unknown_key_policy(capsys):
    for command in ("score", "validate"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert "--strict" in out and "--lenient" in out and "(default)" in out


def test_the_installed_script_reports_the_same(files):
    """The console script (not just main()) exits 2 with one line for a usage error."""
    script = Path(sys.executable).with_name("gtmcompass")
    if not script.exists():
        pytest.skip("console script not installed")
    proc = subprocess.run([str(script), "score", files["good"], "--format", "yaml"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and proc.stdout == ""
    assert_lines(proc.stderr)


@pytest.mark.parametrize("command", [c for c in ("score", "validate", "rank") if c in COMMANDS])
def test_a_file_name_with_a_newline_or_escape_is_one_line(capsys, tmp_path, command):
    """A folder holding "bad\\nname.toml": each error is still exactly one stderr line."""
    (tmp_path / "bad\nname\x1b[2J.toml").write_bytes(MINIMAL.replace(b"headcount = 3", b""))
    code, _, err = run(capsys, command, str(tmp_path))
    assert code == 1
    [line] = assert_lines(err)
    assert line.startswith(f"error: {tmp_path}/bad\\nname\\x1b[2J.toml: ")
