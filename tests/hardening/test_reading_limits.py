"""The one reader of user files: the size setting, devices, FIFOs, and what a read allocates.

Every client (each command, the app's preview, its file picker) reads through
``gtmcompass.io.reading.read_file``: regular files only unless a path named on the command
line is a stream, the type checked on the opened descriptor, reads sized by what is there.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Self

import pytest

from gtmcompass.io import reading
from gtmcompass.io.files import expand, load_all, load_path, load_path_bytes
from gtmcompass.vocab import settings
from gtmcompass.vocab.exits import ExitCode
from tests.conftest import PROFILES
from tests.hardening.conftest import count
from tests.test_profile_files import MINIMAL

ROOT = Path(__file__).resolve().parents[2]
GOOD = PROFILES / "medical-partners.toml"
HAS_FIFO = hasattr(os, "mkfifo")
# How long a FIFO reader may block before the test writes to it itself to end the wait, and
# fails saying so; a reader that checks the type first never waits at all.
FIFO_RESCUE_S = 30


def gtmcompass(*args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gtmcompass", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, cwd=ROOT, check=False,
                          **kw)


# -- GTMCOMPASS_MAX_FILE_MB ------------------------------------------------------------------

@pytest.mark.parametrize("value", ["abc", "nan", "inf", "-inf", "1e30", "100000", "-1", "0",
                                   " ", "1e309", "0x10"])
def test_a_bad_size_setting_is_one_line_and_exit_2_for_every_command_and_the_app(value):
    """Before: abc/nan a traceback, 1e30 OverflowError, 100000 MemoryError, -1 'at most
    -1,048,576'. Now one line naming the setting and its bounds, exit 2, nothing read."""
    if not value.strip():
        pytest.skip("empty means the default")
    expected = (f"error: GTMCOMPASS_MAX_FILE_MB: expected a number of megabytes above 0 and "
                f"at most 16,384, got {value!r}\n")
    for args in (["validate", str(GOOD)], ["score", str(GOOD)], ["rank", str(GOOD)],
                 ["report", str(GOOD)], [str(GOOD)]):  # the last opens the app
        proc = gtmcompass(*args, env={"GTMCOMPASS_MAX_FILE_MB": value},
                          stdin=subprocess.DEVNULL)
        count("inputs tried")
        assert (proc.returncode, proc.stderr, proc.stdout) == (ExitCode.USAGE, expected, ""), args


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_size_setting_means_the_default(monkeypatch, value):
    monkeypatch.setenv("GTMCOMPASS_MAX_FILE_MB", value)
    assert settings.max_file_bytes() == 256 * 1024 * 1024
    settings.check()


# Peak memory of a child process, from /proc (ru_maxrss would include the test runner's own
# peak, which a forked child inherits across exec).
PEAK_KB = ("print(next(int(line.split()[1]) for line in open('/proc/self/status') "
           "if line.startswith('VmHWM')))\n")
HAS_PROC = Path("/proc/self/status").exists()


@pytest.mark.skipif(not HAS_PROC, reason="no /proc to read peak memory from")
def test_the_largest_allowed_cap_reads_a_small_file_without_allocating_the_cap():
    """GTMCOMPASS_MAX_FILE_MB=16384 on a 679-byte file: before, read(cap + 1) asked for 16 GiB
    (MemoryError at 100000). The child's peak memory stays that of any small command."""
    code = ("from gtmcompass.io.files import load_path\n"
            f"[entry] = load_path({str(GOOD)!r})\n"
            "assert entry.ok, entry.errors\n" + PEAK_KB)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "GTMCOMPASS_MAX_FILE_MB": "16384"}, check=False)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert int(proc.stdout) < 200_000  # pydantic loaded: about 35 MB


class Recorder:
    """A binary stream that records how many bytes each read asked for."""

    def __init__(self, data: bytes) -> None:
        self.stream = io.BytesIO(data)
        self.asked: list[int] = []

    def read(self, n: int = -1) -> bytes:
        self.asked.append(n)
        return self.stream.read(n)


def test_standard_input_is_read_in_chunks_never_by_the_cap(monkeypatch):
    monkeypatch.setenv("GTMCOMPASS_MAX_FILE_MB", "16384")
    recorder = Recorder(MINIMAL * 3000)  # 640 KB

    class Stdin:
        buffer = recorder

    monkeypatch.setattr(sys, "stdin", Stdin())
    data, error = load_path_bytes("-")
    assert error is None and data == MINIMAL * 3000
    assert 0 < max(recorder.asked) <= reading.READ_CHUNK


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 4097, 3 * reading.READ_CHUNK + 5])
def test_a_capped_read_returns_everything_up_to_the_cap_and_refuses_past_it(size):
    limit = 4096 if size < reading.READ_CHUNK else 3 * reading.READ_CHUNK + 5
    recorder = Recorder(b"x" * size)
    if size > limit:
        with pytest.raises(reading.FileTooLarge, match="more than 4,096 bytes"):
            reading.read_capped(recorder.read, limit)
    else:
        assert reading.read_capped(recorder.read, limit) == b"x" * size
    # Never asked for more than the cap allows plus one byte, nor more than a chunk.
    assert max(recorder.asked) <= min(limit + 1, reading.READ_CHUNK)


# -- devices ---------------------------------------------------------------------------------

@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_the_app_preview_refuses_an_endless_device_within_a_memory_limit(device):
    """Before: preview_values read /dev/zero without bound, MemoryError (1.9 GB after 18 s).
    Under a 1 GB address-space limit it now answers None at once."""
    code = ("import resource\n"
            "resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))\n"
            "from pathlib import Path\n"
            "from gtmcompass.tui.app import preview_values\n"
            f"print(preview_values(Path({device!r})))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    count("inputs tried")
    assert (proc.returncode, proc.stdout) == (0, "None\n"), proc.stderr[-500:]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_not_a_profile_for_the_app_and_is_capped_on_the_command_line(monkeypatch):
    monkeypatch.setenv("GTMCOMPASS_MAX_FILE_MB", str(8192 / 1024 / 1024))
    [entry] = load_path("/dev/zero")  # the app's loader
    assert str(entry.errors[0]) == "/dev/zero: is a character device; expected a regular file"
    proc = gtmcompass("validate", "/dev/zero", env={"GTMCOMPASS_MAX_FILE_MB": "0.01"})
    assert proc.returncode == ExitCode.REJECTED
    assert proc.stderr == "error: /dev/zero: file is more than 10,485 bytes; expected at most 10,485\n"


# -- FIFOs -----------------------------------------------------------------------------------

class Rescue:
    """Ends a read blocked on ``fifo`` after FIFO_RESCUE_S by writing nothing to it, and
    remembers that it had to: the reader under test should never have waited."""

    def __init__(self, fifo: Path) -> None:
        self.fifo = fifo
        self.done = threading.Event()
        self.rescued = False
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        if not self.done.wait(FIFO_RESCUE_S):
            self.rescued = True
            fd = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.thread.join()
        assert not self.rescued, f"the reader waited {FIFO_RESCUE_S} s for a writer to {self.fifo}"


@pytest.mark.skipif(not HAS_FIFO, reason="no FIFOs here")
def test_a_file_swapped_for_a_fifo_after_the_folder_scan_is_refused_without_waiting(tmp_path):
    """Before: the scan checked is_file, the read then opened the FIFO and waited for ever."""
    (tmp_path / "a.toml").write_bytes(MINIMAL)
    (tmp_path / "b.toml").write_bytes(MINIMAL)
    names = list(expand([str(tmp_path)]))
    (tmp_path / "a.toml").unlink()
    os.mkfifo(tmp_path / "a.toml")
    with Rescue(tmp_path / "a.toml"):
        # streams=True is what the command line passes: only paths named on it may be streams.
        entries = load_all(names, streams=True)
    count("inputs tried", 2)
    assert str(entries[0].errors[0]) == (
        f"{tmp_path / 'a.toml'}: is a named pipe (FIFO); expected a regular file")
    assert entries[1].ok


@pytest.mark.skipif(not HAS_FIFO, reason="no FIFOs here")
def test_score_of_a_folder_whose_file_became_a_fifo_reports_it(tmp_path):
    """The sliced batch reader of ``score`` reads through the same checks."""
    from gtmcompass.scoring.batch import score_files
    from gtmcompass.scoring.engine import Engine

    (tmp_path / "a.toml").write_bytes(MINIMAL)
    names = list(expand([str(tmp_path)]))
    (tmp_path / "a.toml").unlink()
    os.mkfifo(tmp_path / "a.toml")
    with Rescue(tmp_path / "a.toml"):
        [result] = score_files(Engine(), names, streams=True)
    assert result["error"] == "is a named pipe (FIFO); expected a regular file"


@pytest.mark.skipif(not HAS_FIFO, reason="no FIFOs here")
def test_the_app_preview_of_a_fifo_answers_at_once(tmp_path):
    from gtmcompass.tui.app import preview_values

    fifo = tmp_path / "p.toml"
    os.mkfifo(fifo)
    with Rescue(fifo):
        assert preview_values(fifo) is None


@pytest.mark.skipif(not HAS_FIFO, reason="no FIFOs here")
async def test_a_fifo_opened_in_the_app_is_an_error_dialog_and_keys_still_work(tmp_path,
                                                                               monkeypatch):
    """Before: the app's open read the FIFO on its event loop; Esc, F1, Ctrl+Q did nothing."""
    from tests.hardening.test_app_abuse import SIZE, Watched, back_to_editor, ready

    monkeypatch.chdir(tmp_path)
    fifo = tmp_path / "p.toml"
    os.mkfifo(fifo)
    app = Watched()
    with Rescue(fifo):
        async with app.run_test(size=SIZE) as pilot:
            await ready(app, pilot)
            app.run_worker(app.open_path(fifo), group="dialog")
            for _ in range(200):
                if type(app.screen).__name__ == "ErrorScreen":
                    break
                await pilot.pause(0.05)
            else:
                raise AssertionError("waited 10 s for the error dialog about the FIFO")
            text = str(app.screen.query_one("#error-text").render())
            assert "is a named pipe (FIFO); expected a regular file" in text
            await back_to_editor(app, pilot)
            assert app.path is None and app.worker_errors == []


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
async def test_the_app_started_on_a_device_says_it_is_not_a_file(tmp_path, monkeypatch):
    """Before: ``gtmcompass /dev/zero`` read until MemoryError, with a traceback."""
    from tests.hardening.test_app_abuse import SIZE, Watched, back_to_editor, ready

    monkeypatch.chdir(tmp_path)
    app = Watched("/dev/zero")
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert type(app.screen).__name__ == "ErrorScreen"
        text = str(app.screen.query_one("#error-text").render())
        assert "/dev/zero: is a character device; expected a regular file" in text
        await back_to_editor(app, pilot)
        assert app.path is None and app.worker_errors == []
