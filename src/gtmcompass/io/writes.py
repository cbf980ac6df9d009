"""Putting bytes at a path safely: atomic saves, temporary files, safe file names.

Nothing here reads a profile; :mod:`gtmcompass.io.files` re-exports these names for callers
that import them from there.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import time
import unicodedata
from pathlib import Path

import tomli_w

from gtmcompass.io.confine import OUTSIDE, allowed
from gtmcompass.model.profile import Profile, to_document


class SaveError(Exception):
    """A save that did not happen; the file on disk and the profile in memory are unchanged."""


def _is_folder(path: Path) -> bool:
    # Path.is_dir raises OSError for a 300-character name and ValueError for one holding NUL.
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def dumps(profile: Profile) -> str:
    return tomli_w.dumps(to_document(profile))


def _os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


# A temporary file is named ".NAME.<random>.tmp" beside its target: hidden, so folder scans
# skip it, and tied to NAME, so a save can find the leftovers of earlier saves of the same
# file that were killed (SIGKILL, power cut) between creating and renaming it. A leftover
# older than an hour cannot belong to a save still running (a save takes milliseconds) and
# is removed by the next successful save of that file; a younger one is left alone, as it may
# be another process's save in progress.
STALE_TEMP_SECONDS = 3600
# File names are at most 255 bytes on common file systems; the temporary name adds 15 to NAME
# (".", ".", 8 hex digits, ".tmp"), so NAME is cut to this many bytes inside it.
_TEMP_NAME_BYTES = 200


def _temp_prefix(target: Path) -> str:
    name = target.name
    while len(os.fsencode(name)) > _TEMP_NAME_BYTES:
        name = name[:-1]
    return f".{name}."


def _is_temp_of(entry_name: str, prefix: str) -> bool:
    middle = entry_name[len(prefix):-len(".tmp")]
    return (entry_name.startswith(prefix) and entry_name.endswith(".tmp") and len(middle) == 8
            and all(c in "0123456789abcdef" for c in middle))


def remove_stale_temps(target: str | os.PathLike, older_than: float = STALE_TEMP_SECONDS) -> int:
    """Remove temporary files of killed saves of ``target`` older than ``older_than`` seconds."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    prefix = _temp_prefix(target)
    removed = 0
    now = time.time()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not _is_temp_of(entry.name, prefix):
                    continue
                try:
                    if now - entry.stat(follow_symlinks=False).st_mtime > older_than:
                        os.unlink(entry.path)
                        removed += 1
                except OSError:
                    pass  # gone already, or not ours to remove: the save itself succeeded
    except OSError:
        pass
    return removed


def _create_temp(folder: Path, prefix: str, mode: int) -> tuple[int, str]:
    while True:
        name = os.path.join(folder, f"{prefix}{secrets.token_hex(4)}.tmp")
        try:
            # 0o666 less the umask, like any new file; an existing target's mode is copied below.
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, mode), name
        except FileExistsError:
            continue


_O_BINARY = getattr(os, "O_BINARY", 0)
# A FIFO is opened without blocking, so one that nobody reads is an error (ENXIO) at once
# instead of a command or the app waiting forever; O_NOCTTY keeps a terminal named as the
# output from becoming the process's controlling terminal.
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_NOCTTY = getattr(os, "O_NOCTTY", 0)
# Any write bit (owner, group, other): a file with none is read-only for everyone, and a save
# refuses it as a shell's ``>`` does for a user other than root (root may write anything).
_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


def atomic_write_text(path: str | os.PathLike, text: str, errors: str = "strict") -> None:
    """Put ``text`` at ``path``; a crash leaves the old file or the new one, never a mixture.

    What is at the path decides how:

    * nothing, or a regular file: the text goes to a temporary file in the target's folder
      (same file system, so the rename is atomic), is flushed and fsynced, then replaces the
      target with ``os.replace``; the folder is fsynced so the rename survives a power cut.
      The new file keeps the old one's permissions and, where the process may set them, its
      owner and group.
    * a symbolic link: it is followed, and the file it points to is written as above (created
      if missing); the link itself stays.
    * a device, a FIFO or another non-regular file: written through, as ``>`` would: opened
      without creating or replacing anything. A FIFO nobody reads is refused at once.

    Refused, with the file untouched: a folder; a regular file with no write permission bit
    (``chmod 444``) or that this user may not write; a regular file with more than one hard
    link, which a rename would cut from its other names.

    Every failure is a one-line :class:`SaveError`, and the file on disk is then the old one,
    untouched. ``errors`` is the UTF-8 encoder's: "strict" refuses a lone surrogate,
    "backslashreplace" writes it as ``\\udce9``.
    """
    target = Path(path)
    real = target
    if not allowed(target):  # a browser session writes only its profiles folder (confine.py)
        raise SaveError(f"{target}: {OUTSIDE}")
    try:
        info = _stat_or_none(target)
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise SaveError(f"{target}: is a folder; expected a file name to save to")
        data = _encode(target, text, errors)
        if info is not None and not stat.S_ISREG(info.st_mode):
            if _write_through(target, data, info):
                return
            info = _stat_or_none(target)  # replaced by a regular file since the stat above
        # The rename must land on the file a symbolic link points to, not on the link.
        real = Path(os.path.realpath(target))
        if info is not None:
            _check_replaceable(target, real, info)
        _replace(real, data, info)
    except OSError as exc:
        raise SaveError(f"{target}: could not save: {_os_reason(exc)}") from None
    except ValueError:
        # os functions refuse a name holding NUL with ValueError, before touching the disk.
        raise SaveError(f"{target}: could not save: the name holds a NUL character") from None
    remove_stale_temps(real)


def _encode(target: Path, text: str, errors: str) -> bytes:
    try:
        return text.encode("utf-8", errors)
    except UnicodeEncodeError as exc:
        raise SaveError(f"{target}: could not save: U+{ord(text[exc.start]):04X} cannot be "
                        "written as UTF-8 (half a surrogate pair)") from None


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)  # follows symbolic links: what matters is what they point to
    except FileNotFoundError:
        return None


def _write_through(target: Path, data: bytes, before: os.stat_result) -> bool:
    """Write ``data`` into a device or FIFO; False if the path now holds a regular file."""
    try:
        fd = os.open(target, os.O_WRONLY | _O_NONBLOCK | _O_NOCTTY | _O_BINARY)
    except OSError as exc:
        if exc.errno == errno.ENXIO and stat.S_ISFIFO(before.st_mode):
            raise SaveError(f"{target}: could not save: it is a FIFO that no process is "
                            "reading; start the reader first") from None
        raise
    try:
        # Checked on the opened descriptor: the path may have changed since it was looked at.
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        if _O_NONBLOCK:
            os.set_blocking(fd, True)  # a slow reader is waited for, not cut off (EAGAIN)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    return True


def _check_replaceable(target: Path, real: Path, info: os.stat_result) -> None:
    if not info.st_mode & _WRITE_BITS:
        raise SaveError(f"{target}: could not save: the file is read-only (mode "
                        f"{stat.S_IMODE(info.st_mode):04o}); make it writable to save over it")
    # The effective user decides, as for the open itself (a set-user-ID process differs).
    if not os.access(real, os.W_OK, effective_ids=os.access in os.supports_effective_ids):
        # The operating system's own reason (permission denied, read-only file system): an
        # open for writing without O_TRUNC or O_CREAT changes nothing in the file.
        os.close(os.open(real, os.O_WRONLY | _O_NONBLOCK | _O_BINARY))
    if info.st_nlink > 1:
        raise SaveError(f"{target}: could not save: the file has {info.st_nlink} hard links, "
                        "and replacing it would cut the others off; save under another name")


def _replace(real: Path, data: bytes, info: os.stat_result | None) -> None:
    folder = real.parent
    fd, tmp_name = _create_temp(folder, _temp_prefix(real), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            if info is not None:
                _copy_owner_and_mode(handle.fileno(), info)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, real)
        tmp_name = None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    _fsync_folder(folder)


def _copy_owner_and_mode(fd: int, info: os.stat_result) -> None:
    # Owner first: chown clears the set-user-ID and set-group-ID bits that chmod then restores.
    if hasattr(os, "fchown"):
        try:
            os.fchown(fd, info.st_uid, info.st_gid)
        except OSError:
            # Only root may give a file away, and some file systems (FAT) own nothing; a user
            # may still keep the group, if it is one of theirs.
            try:
                os.fchown(fd, -1, info.st_gid)
            except OSError:
                pass
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(info.st_mode))


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # some platforms cannot open folders; the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save_profile(profile: Profile, path: str | os.PathLike) -> None:
    """Save atomically as TOML; unknown (None) values are left out of the file."""
    atomic_write_text(path, dumps(profile))


_UNSAFE = re.compile(r"[^\w.-]+")
# Stems stay within 80 characters and 200 bytes: 80 four-byte characters (CJK Extension B)
# would be 320 bytes, over the 255-byte file-name limit of ext4, APFS and NTFS.
STEM_MAX_CHARS = 80
STEM_MAX_BYTES = 200
# Names Windows reserves for devices in any folder and with any extension ("con.toml").
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                       *(f"lpt{i}" for i in range(1, 10))})


def safe_file_stem(name: str) -> str:
    """A file name made from a profile name that cannot leave the chosen folder.

    Path separators, ``..``, control characters and leading dots are removed; the result is
    never empty, at most 80 characters and 200 UTF-8 bytes, and never a Windows device name,
    so ``../../etc/passwd`` becomes ``etc-passwd`` and ``CON`` becomes ``con-profile``.
    """
    text = unicodedata.normalize("NFKC", name).strip().lower()
    text = _UNSAFE.sub("-", text).strip("-.")
    text = re.sub(r"-{2,}", "-", text)[:STEM_MAX_CHARS]
    while len(text.encode("utf-8", "surrogatepass")) > STEM_MAX_BYTES:
        text = text[:-1]
    text = text.strip("-.")
    if text.split(".")[0] in _RESERVED:
        text += "-profile"
    return text or "profile"
