"""Helpers for the web server tests: start ``gtmcompass serve`` on a free port, find its
tab processes, and wait for things with a timeout that names what was awaited."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from gtmcompass.io.files import load_profile, save_profile

ROOT = Path(__file__).resolve().parents[2]
URL = re.compile(r"http://\S+/")
# Safety nets for a stuck server or browser on a busy machine, not speed limits.
WAIT_SECONDS = 60.0


def wait_for(what: str, done: Callable[[], object], timeout: float = WAIT_SECONDS) -> object:
    """Poll ``done()`` until it is true; raise naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = done()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc), zombies left out."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, so split after its ")".
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return found


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A profiles folder holding one profile saved without comments (so a save from the
    browser asks nothing), beside a file outside it that no session may read."""
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    save_profile(load_profile(ROOT / "profiles" / "medical-partners.toml"),
                 profiles / "medical-partners.toml")
    (tmp_path / "secret.toml").write_text('name = "secret"\n')
    return profiles


class Served:
    def __init__(self, process: subprocess.Popen, url: str, first_line: str) -> None:
        self.process, self.url, self.first_line = process, url, first_line

    @property
    def port(self) -> int:
        return int(self.url.rstrip("/").rsplit(":", 1)[1])

    def sessions(self) -> list[int]:
        return children(self.process.pid)


@contextmanager
def serving(*args: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    """``gtmcompass serve --port 0 ARGS``; yields once it says where to open it, stops it
    with SIGINT (as Ctrl-C) after."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gtmcompass", "serve", "--port", "0", *args],
        stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, **(env or {})},
        # A process group of its own, as a shell gives a command: Ctrl-C reaches the group.
        start_new_session=True)
    try:
        assert process.stderr is not None
        lines = []
        # The line saying where to open it comes first, after any warning; at most a few.
        while len(lines) < 5 and not (lines and URL.search(lines[-1])):
            lines.append(process.stderr.readline())
        match = URL.search(lines[-1])
        assert match, f"the server did not say where to open it: {lines!r}"
        yield Served(process, match.group(0), "".join(lines))
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(WAIT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                raise
