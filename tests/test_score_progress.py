"""``gtmcompass score`` shows a profile count on standard error for a big batch: rewritten in
place, rate-limited, erased at the end, never on standard output, and not at all when
standard error is not a terminal unless ``--progress always`` asks for it."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from gtmcompass.cli import main
from gtmcompass.io.batchread import SLICE
from gtmcompass.render.progress import ProfileCounter

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    """Two slices and a bit: three counts (after each slice and at the end)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from make_batch import batch_text
    finally:
        sys.path.pop(0)
    path = tmp_path_factory.mktemp("progress") / "batch.toml"
    path.write_text(batch_text(2 * SLICE + 10), encoding="utf-8")
    return path


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_counter_shows_the_first_count_then_at_most_one_per_interval():
    stream, clock = io.StringIO(), Clock()
    counter = ProfileCounter(stream, min_interval=0.25, clock=clock)
    clock.now += 0.5
    counter.update(2048)
    clock.now += 0.1
    counter.update(4096)  # 0.1 s after the last: left out
    clock.now += 0.2
    counter.update(6144)  # 0.3 s after the last: shown
    counter.close()
    text = stream.getvalue()
    assert counter.writes == 2
    assert "2,048 profiles" in text and "4,096 profiles" not in text and "6,144 profiles" in text
    assert "(4,096/s)" in text  # 2,048 in the first 0.5 s
    assert text.startswith("\r") and text.endswith("\r\x1b[K")


def test_counter_that_wrote_nothing_leaves_nothing():
    stream = io.StringIO()
    ProfileCounter(stream).close()
    assert stream.getvalue() == ""


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["score", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_always_writes_the_count_to_stderr_only(batch, capsys):
    status, out, err = run(capsys, str(batch), "--format", "json", "--progress", "always")
    assert status == 0
    # The first slice's count is shown at once; later ones as the clock allows.
    assert f"Scoring: {SLICE:,} profiles" in err and err.endswith("\r\x1b[K")
    assert "Scoring" not in out
    plain_status, plain_out, plain_err = run(capsys, str(batch), "--format", "json",
                                             "--progress", "never")
    assert (plain_status, plain_err) == (0, "")
    assert out == plain_out
    assert len(json.loads(out)) == 2 * SLICE + 10


def test_nothing_when_stderr_is_not_a_terminal(batch, capsys):
    status, out, err = run(capsys, str(batch), "--format", "csv")
    assert status == 0 and err == ""


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")
def test_a_terminal_sees_the_count_and_stdout_gets_only_results(batch, tmp_path):
    """Through a real pseudo-terminal on stderr, standard output going to a file."""
    master, slave = pty.openpty()
    out = tmp_path / "out.json"
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    with open(out, "wb") as stdout:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gtmcompass", "score", str(batch), "--format", "json"],
            stdout=stdout, stderr=slave, stdin=subprocess.DEVNULL, env=env, cwd=ROOT)
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            proc.kill()
            raise AssertionError("timed out waiting for the score command's stderr")
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # the other end closed: the command has ended
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.wait(timeout=60) == 0
    assert b"Scoring: " in seen and b" profiles" in seen
    assert seen.endswith(b"\r\x1b[K")
    results = json.loads(out.read_text("utf-8"))
    assert len(results) == 2 * SLICE + 10
