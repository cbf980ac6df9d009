"""The one reader of user files, for every command and the app: capped, typed, never blocking.

Only the standard library is imported, so the terminal app reads its first file with it before
pydantic is loaded. Rules, all checked on the opened descriptor (``os.fstat``), never on a path
looked at earlier, so a file swapped for a FIFO after a folder scan is still seen for what it is:

- the file is opened non-blocking: opening a FIFO otherwise waits for a writer, forever if
  there is none, and the app's keys (Esc, Ctrl+Q) waited with it;
- a folder is refused as a folder; a FIFO, device or socket is refused unless the caller asks
  for ``streams`` (the command line, for paths named on it: ``score <(gen)`` reads a pipe),
  and then it is opened and read as ``cat`` would, waiting for its writer;
- a regular file larger than the cap is refused from its size before any byte is read;
- reads are sized by what there is (the file's size, then ``READ_CHUNK``), never by the cap:
  ``read(cap + 1)`` allocated the whole cap up front, 100 GB for ``GTMCOMPASS_MAX_FILE_MB=100000``;
- a stream stops one chunk past the cap, so ``/dev/zero`` costs at most the cap.

Every refusal is a :class:`ReadRefused` (an OSError) whose message is one line.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from gtmcompass.io.confine import OUTSIDE, allowed
from gtmcompass.vocab.settings import max_file_bytes

# Bytes asked of the system per read after the first: a profile is about 1 KB and a
# 100,000-profile batch 77 MB; 1 MiB reads keep a stream's overshoot past the cap small.
READ_CHUNK = 1 << 20
# O_NONBLOCK does not exist on Windows, where opening a named pipe does not wait either.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_OPEN_FLAGS = (os.O_RDONLY | _NONBLOCK | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


class ReadRefused(OSError):
    """A file that is not read: too large, or not a regular file; the message is one line."""


class FileTooLarge(ReadRefused):
    """A file over the size limit (settings.max_file_bytes)."""


class NotAFile(ReadRefused):
    """A FIFO, device or socket where a regular file was expected."""


def kind_of(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def too_large(size: int, limit: int, *, more: bool = False) -> str:
    """The message for a file over the cap (``more``: a stream cut off after ``size`` bytes)."""
    return f"file is {'more than ' if more else ''}{size:,} bytes; expected at most {limit:,}"


def read_capped(read: Callable[[int], bytes], limit: int, first: int = READ_CHUNK) -> bytes:
    """Everything ``read`` gives until end of file, asking ``first`` bytes then READ_CHUNK;
    FileTooLarge as soon as more than ``limit`` bytes came."""
    parts: list[bytes] = []
    total = 0
    size = max(1, min(first, limit + 1))
    while True:
        chunk = read(size)
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
        if total > limit:
            raise FileTooLarge(too_large(limit, limit, more=True))
        size = min(READ_CHUNK, limit + 1 - total)
    # One read is the common case (a regular file asked for its size + 1): no copy.
    return parts[0] if len(parts) == 1 else b"".join(parts)


def read_file(
    path: str | os.PathLike, *, streams: bool = False, limit: int | None = None
) -> bytes:
    """The bytes of a user file, by the rules above; ``limit`` lowers the cap (never raises it).

    Raises ReadRefused (too large, not a regular file), IsADirectoryError, or the OSError
    or ValueError (a name holding NUL) of opening it.
    """
    limit = max_file_bytes() if limit is None else min(limit, max_file_bytes())
    if not allowed(path):  # a browser session reads only its profiles folder (confine.py)
        raise ReadRefused(OUTSIDE)
    # A stream named on purpose is opened as ``cat`` opens it: a FIFO waits for its writer
    # (non-blocking, a reader that came first would see end of file before the writer wrote).
    fd = os.open(path, _OPEN_FLAGS & ~_NONBLOCK if streams else _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder")
        if stat.S_ISREG(info.st_mode):
            if info.st_size > limit:
                raise FileTooLarge(too_large(info.st_size, limit))
            # Asking for one byte more than the size sees end of file in the same read.
            first = info.st_size + 1
        elif streams:
            first = READ_CHUNK
        else:
            raise NotAFile(f"is {kind_of(info.st_mode)}; expected a regular file")
        return read_capped(lambda n: os.read(fd, n), limit, first)
    finally:
        os.close(fd)


def is_folder(path: str | os.PathLike) -> bool:
    """``Path.is_dir`` that answers False instead of raising.

    ``Path("x" * 300).is_dir()`` raises OSError (ENAMETOOLONG), and a name holding NUL raises
    ValueError on some versions; either crashed a folder scan, the app's start-up and its save
    prompt before the file could be reported.
    """
    try:
        return Path(path).is_dir()
    except (OSError, ValueError):
        return False


def is_regular(path: str | os.PathLike) -> bool:
    """``Path.is_file`` that answers False instead of raising: a folder scan's filter only,
    since the file may be swapped before it is opened (``read_file`` checks again)."""
    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False
