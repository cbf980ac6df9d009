"""What a profile file held when the app last read or wrote it, so a save can tell whether
another program changed it in between."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

# A comment starts at "#" outside a string. The check is per line and skips quoted parts;
# a "#" inside a multi-line string can read as a comment, which only means one needless
# notice that comments are not kept.
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')


def has_comments(text: str) -> bool:
    return any("#" in _QUOTED.sub("", line) for line in text.splitlines())


@dataclass(frozen=True)
class DiskState:
    """A file as read: its modification time and size (cheap to compare) and the SHA-256 of
    its bytes (a program that rewrites a file within the clock's resolution, or restores its
    time, changes the hash all the same)."""

    mtime_ns: int
    size: int
    sha256: str
    comments: bool

    def same_content(self, other: DiskState) -> bool:
        # A touched file (new time, same bytes) holds nothing a save would lose.
        return self.size == other.size and self.sha256 == other.sha256


def read_state(path: Path) -> DiskState | None:
    """The file's state now, or None if it cannot be read (gone, unreadable, over the cap)."""
    from gtmcompass.io.files import load_path_bytes

    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    data, _error = load_path_bytes(path)
    if data is None:
        return None
    return DiskState(info.st_mtime_ns, len(data), hashlib.sha256(data).hexdigest(),
                     has_comments(data.decode("utf-8", "replace")))
