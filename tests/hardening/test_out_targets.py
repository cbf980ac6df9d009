"""What `--out` and the app's saves do with what is already at the path.

A regular file is replaced atomically and keeps its mode and owner; a symbolic link is
followed and survives; a device, a FIFO and `-` are written through; a read-only file and a
file with other hard links are refused on one line, untouched. Every command with `--out`
(score, report, rank) and ``save_profile`` (the app's save) go through the same writer.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gtmcompass.cli import main
from gtmcompass.io.files import load_profile
from gtmcompass.io.writes import SaveError, atomic_write_text, save_profile
from gtmcompass.vocab.exits import ExitCode
from tests.conftest import PROFILES
from tests.hardening.conftest import count

P = str(PROFILES / "medical-partners.toml")
# One command line per command that takes --out; each prints the same text to stdout.
COMMANDS = {
    "score": ["score", P, "--format", "json"],
    "rank": ["rank", str(PROFILES), "--format", "csv"],
    "report": ["report", P, "--format", "html"],
}
# Linux's default pipe capacity: output up to this size fits in a FIFO before anyone reads.
PIPE_CAPACITY = 65536
ROOT_ONLY = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                               reason="only root may give a file to another owner")


def stdout_of(capsys, argv: list[str]) -> str:
    assert main(argv) == ExitCode.OK
    out, err = capsys.readouterr()
    assert err == ""
    return out


def out_to(capsys, argv: list[str], target: Path | str) -> tuple[int, str, str]:
    code = main([*argv, "--out", str(target)])
    out, err = capsys.readouterr()
    count("inputs tried")
    return code, out, err


def assert_refused(code: int, out: str, err: str, target: Path, reason: str) -> None:
    assert code == ExitCode.USAGE
    assert out == ""
    assert err == f"error: {target}: could not save: {reason}\n"


def no_temps(*folders: Path) -> None:
    for folder in folders:
        assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("command", COMMANDS)
def test_a_symlink_is_followed_and_survives(capsys, tmp_path, command):
    expected = stdout_of(capsys, COMMANDS[command])
    (tmp_path / "real").mkdir()
    (tmp_path / "links").mkdir()
    real = tmp_path / "real" / "out.txt"
    real.write_text("old")
    link = tmp_path / "links" / "out.txt"
    link.symlink_to("../real/out.txt")
    dangling = tmp_path / "links" / "new.txt"
    dangling.symlink_to("../real/new.txt")

    for target, written in ((link, real), (dangling, tmp_path / "real" / "new.txt")):
        code, out, err = out_to(capsys, COMMANDS[command], target)
        assert (code, out, err) == (ExitCode.OK, "", "")
        assert target.is_symlink()
        assert written.read_text(encoding="utf-8") == expected
    assert os.readlink(link) == "../real/out.txt"
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["new.txt", "out.txt"]
    assert sorted(p.name for p in (tmp_path / "links").iterdir()) == ["new.txt", "out.txt"]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_fifo_with_a_reader_gets_the_bytes_and_stays_a_fifo(capsys, tmp_path, command):
    expected = stdout_of(capsys, COMMANDS[command]).encode()
    assert len(expected) < PIPE_CAPACITY, "the output must fit the pipe before it is read"
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    # Opened first, without blocking, so a reader exists when the command opens the FIFO.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        code, out, err = out_to(capsys, COMMANDS[command], fifo)
        chunks = []
        while chunk := os.read(reader, PIPE_CAPACITY):
            chunks.append(chunk)
    finally:
        os.close(reader)
    assert (code, out, err) == (ExitCode.OK, "", "")
    assert b"".join(chunks) == expected
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert os.listdir(tmp_path) == ["out.fifo"]


def test_a_fifo_nobody_reads_is_refused_at_once(capsys, tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    code, out, err = out_to(capsys, COMMANDS["score"], fifo)
    assert_refused(code, out, err, fifo,
                   "it is a FIFO that no process is reading; start the reader first")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def mknod_or_skip(path: Path, major: int, minor: int) -> None:
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(major, minor))
    except (PermissionError, AttributeError) as exc:
        pytest.skip(f"cannot make a character device here: {exc}")
    try:
        os.close(os.open(path, os.O_WRONLY))
    except OSError as exc:  # a container may allow mknod but forbid opening devices
        path.unlink()
        pytest.skip(f"cannot open a character device here: {exc}")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_character_device_is_written_through(capsys, tmp_path, command):
    null = tmp_path / "null"
    mknod_or_skip(null, 1, 3)  # Linux's /dev/null
    code, out, err = out_to(capsys, COMMANDS[command], null)
    assert (code, out, err) == (ExitCode.OK, "", "")
    info = os.lstat(null)
    assert stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(1, 3)
    assert os.listdir(tmp_path) == ["null"]


def test_a_device_that_refuses_the_bytes_is_one_line(capsys, tmp_path):
    full = tmp_path / "full"
    mknod_or_skip(full, 1, 7)  # Linux's /dev/full: every write fails with ENOSPC
    code, out, err = out_to(capsys, COMMANDS["score"], full)
    assert_refused(code, out, err, full, os.strerror(errno.ENOSPC))
    assert stat.S_ISCHR(os.lstat(full).st_mode)


def test_the_process_stdout_named_by_a_symlink_is_written_through(tmp_path):
    """`--out /dev/stdout` with stdout a pipe: the bytes go down the pipe, the link stays."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc/self/fd (Linux), where /dev/stdout points")
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    read_end, write_end = os.pipe()
    saved = os.dup(1)
    try:
        os.dup2(write_end, 1)
        atomic_write_text(link, "through the pipe\n")
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        assert pipe.read() == b"through the pipe\n"
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"


@pytest.mark.parametrize("command", COMMANDS)
def test_dash_is_standard_output(capsys, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    expected = stdout_of(capsys, COMMANDS[command])
    code, out, err = out_to(capsys, COMMANDS[command], "-")
    assert (code, out, err) == (ExitCode.OK, expected, "")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_a_read_only_file_is_refused_and_unchanged(capsys, tmp_path, command):
    target = tmp_path / "out.txt"
    target.write_text("keep me")
    os.chmod(target, 0o444)
    code, out, err = out_to(capsys, COMMANDS[command], target)
    assert_refused(code, out, err, target,
                   "the file is read-only (mode 0444); make it writable to save over it")
    assert target.read_text() == "keep me"
    assert stat.S_IMODE(target.stat().st_mode) == 0o444
    no_temps(tmp_path)


def test_the_apps_save_refuses_a_read_only_profile(tmp_path):
    profile = load_profile(P)
    target = tmp_path / "p.toml"
    target.write_text("keep me")
    os.chmod(target, 0o400)
    with pytest.raises(SaveError) as info:
        save_profile(profile, target)
    assert str(info.value) == (f"{target}: could not save: the file is read-only (mode 0400); "
                               "make it writable to save over it")
    assert target.read_text() == "keep me"
    os.chmod(target, 0o600)  # any write bit is enough
    save_profile(profile, target)
    assert load_profile(target) == profile


@ROOT_ONLY
@pytest.mark.parametrize("command", COMMANDS)
def test_a_replaced_file_keeps_its_mode_and_owner(capsys, tmp_path, command):
    expected = stdout_of(capsys, COMMANDS[command])
    target = tmp_path / "out.txt"
    target.write_text("old")
    os.chown(target, 1234, 2345)
    os.chmod(target, 0o2640)  # set-group-ID survives the chown that precedes the chmod
    code, out, err = out_to(capsys, COMMANDS[command], target)
    assert (code, out, err) == (ExitCode.OK, "", "")
    info = target.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 2345, 0o2640)
    assert target.read_text(encoding="utf-8") == expected


@ROOT_ONLY
def test_the_apps_save_keeps_mode_and_owner_through_a_symlink(tmp_path):
    profile = load_profile(P)
    real = tmp_path / "shared.toml"
    real.write_text("old")
    os.chown(real, 1234, 2345)
    os.chmod(real, 0o660)
    link = tmp_path / "mine.toml"
    link.symlink_to(real.name)
    save_profile(profile, link)
    info = real.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 2345, 0o660)
    assert link.is_symlink() and load_profile(link) == profile


@pytest.mark.parametrize("command", COMMANDS)
def test_a_file_with_other_hard_links_is_refused(capsys, tmp_path, command):
    """A rename would leave the other names on the old bytes: refused, as documented."""
    target = tmp_path / "out.txt"
    target.write_text("shared")
    other = tmp_path / "other-name.txt"
    os.link(target, other)
    code, out, err = out_to(capsys, COMMANDS[command], target)
    assert_refused(code, out, err, target, "the file has 2 hard links, and replacing it "
                   "would cut the others off; save under another name")
    assert target.read_text() == other.read_text() == "shared"
    assert os.stat(target).st_nlink == 2 and os.path.samefile(target, other)
    no_temps(tmp_path)
    other.unlink()  # once it is the only name, it is replaced like any file
    assert out_to(capsys, COMMANDS[command], target)[0] == ExitCode.OK
    assert target.read_text(encoding="utf-8") != "shared"


@settings(max_examples=60, deadline=None)
@given(hops=st.integers(0, 4), exists=st.booleans(),
       text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_chain_of_links_ends_in_the_text_and_stays(tmp_path_factory, hops, exists, text):
    """Through 0-4 symbolic links, to a file that exists or not: the last one holds the text,
    every link still points where it did, and nothing else appears in the folder."""
    folder = tmp_path_factory.mktemp("chain")
    end = folder / "end.txt"
    if exists:
        end.write_text("old")
    names = ["end.txt"]
    for i in range(hops):
        (folder / f"link{i}").symlink_to(names[-1])
        names.append(f"link{i}")
    atomic_write_text(folder / names[-1], text)
    count("inputs tried")
    assert end.read_bytes() == text.encode("utf-8")
    for i in range(hops):
        assert os.readlink(folder / f"link{i}") == names[i]
    assert sorted(os.listdir(folder)) == sorted(names)


# -- the app's save, through Ctrl+S ---------------------------------------------------------

async def until(pilot, what: str, ready, tries: int = 300) -> None:
    for _ in range(tries):
        if ready():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"waited {tries} pauses for {what}; on {pilot.app.screen!r}")


async def edit_name_and_save(app, pilot, name: str) -> None:
    from tests.tui.conftest import type_into

    await type_into(app, pilot, "name", name)
    await until(pilot, "the edit to mark the profile unsaved", lambda: app.dirty)
    await pilot.press("ctrl+s")


async def test_the_app_saves_through_a_symlink_and_keeps_it(tmp_path):
    from tests.tui.conftest import running

    real = tmp_path / "profiles" / "medical.toml"
    real.parent.mkdir()
    real.write_bytes(Path(P).read_bytes())
    os.chmod(real, 0o640)
    link = tmp_path / "current.toml"
    link.symlink_to("profiles/medical.toml")
    async with running(link) as (app, pilot):
        await edit_name_and_save(app, pilot, "Through the link")
        await until(pilot, "the save to finish", lambda: not app.dirty)
        assert app.path == link
    assert link.is_symlink() and os.readlink(link) == "profiles/medical.toml"
    assert load_profile(real).name == "Through the link"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["current.toml", "profiles"]
    assert os.listdir(real.parent) == ["medical.toml"]


async def test_the_app_says_why_a_read_only_profile_was_not_saved(tmp_path):
    from textual.widgets import Static

    from gtmcompass.tui.screens.dialogs import ErrorScreen
    from tests.tui.conftest import running

    target = tmp_path / "medical.toml"
    target.write_bytes(Path(P).read_bytes())
    os.chmod(target, 0o444)
    async with running(target) as (app, pilot):
        await edit_name_and_save(app, pilot, "Not saved")
        await until(pilot, "the error screen", lambda: isinstance(app.screen, ErrorScreen))
        text = str(app.screen.query_one("#error-text", Static).render())
        assert (f"{target}: could not save: the file is read-only (mode 0444); make it "
                "writable to save over it") in " ".join(text.split())
        assert app.dirty  # the edit is still there to save elsewhere
    assert target.read_bytes() == Path(P).read_bytes()


NOBODY = 65534  # the conventional unprivileged user and group


@ROOT_ONLY
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork to drop privileges in a child")
def test_a_user_who_may_not_write_the_file_is_refused_even_in_a_writable_folder():
    """Root's 0644 file in a folder anyone may write: a rename would succeed and give the
    file away, so the save is refused as ``>`` refuses it. Run as an unprivileged child."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        os.chmod(folder, 0o777)  # writable by everyone and not sticky: a rename would work
        theirs = folder / "theirs.txt"
        theirs.write_text("root's")
        os.chmod(theirs, 0o644)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: become nobody, try the save, report, never return
            outcome = "no outcome"
            try:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
                try:
                    atomic_write_text(theirs, "nobody's")
                    outcome = "saved"
                except SaveError as exc:
                    outcome = str(exc)
            finally:
                os.write(write_end, outcome.encode())
                os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            outcome = pipe.read().decode()
        os.waitpid(pid, 0)
        count("inputs tried")
        assert outcome == f"{theirs}: could not save: {os.strerror(errno.EACCES)}"
        assert theirs.read_text() == "root's" and theirs.stat().st_uid == 0
        assert os.listdir(folder) == ["theirs.txt"]
