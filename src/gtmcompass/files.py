"""Reading and writing profile files: size and nesting caps, batch files, folders, atomic saves.

Files are untrusted: nothing in them is evaluated, a file larger than ``MAX_FILE_BYTES`` is
refused before it is read, and a structure nested deeper than ``MAX_DEPTH`` is refused
before validation. Every failure becomes an :class:`~gtmcompass.errors.InputError`.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w
from pydantic import ValidationError

from gtmcompass.errors import InputError, did_you_mean, from_validation_error
from gtmcompass.profile import Profile, to_document

# 100,000 profiles of about 700 bytes each fit well below this; anything larger is not a
# profile collection but a mistake or an attack. Override with GTMCOMPASS_MAX_FILE_MB.
MAX_FILE_BYTES = int(float(os.environ.get("GTMCOMPASS_MAX_FILE_MB", "256")) * 1024 * 1024)
# A profile is three levels deep (file > section > array); eight leaves room for nothing else.
MAX_DEPTH = 8
STDIN = "-"
BATCH_KEY = "profile"


@dataclass
class Entry:
    """One input to score: a profile that validated, or the reasons it did not."""

    source: str
    profile: Profile | None = None
    errors: list[InputError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.profile is not None


class SaveError(Exception):
    """A save that did not happen; the file on disk and the profile in memory are unchanged."""


def _depth(value: object, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def parse_bytes(data: bytes, source: str) -> tuple[dict | None, InputError | None]:
    """Decode and parse TOML text, refusing what is too large, not UTF-8 or too deep."""
    if len(data) > MAX_FILE_BYTES:
        return None, InputError(
            source, "", f"file is {len(data):,} bytes; expected at most {MAX_FILE_BYTES:,}"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, InputError(
            source, "", f"not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}); "
            "expected a UTF-8 TOML file"
        )
    text = text.removeprefix("\ufeff")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, InputError(source, "", f"not valid TOML: {exc}")
    except RecursionError:
        return None, InputError(source, "", f"nested too deeply; expected at most {MAX_DEPTH} levels")
    if _depth(doc) > MAX_DEPTH:
        return None, InputError(source, "", f"nested too deeply; expected at most {MAX_DEPTH} levels")
    return doc, None


def validate_document(doc: object, source: str, prefix: tuple = ()) -> Entry:
    """Validate one parsed profile table."""
    try:
        return Entry(source, Profile.model_validate(doc))
    except ValidationError as exc:
        return Entry(source, errors=from_validation_error(source, exc, prefix))


def _batch_entries(doc: dict, source: str) -> list[Entry]:
    stray = [k for k in doc if k != BATCH_KEY]
    tables = doc[BATCH_KEY]
    if stray:
        key = stray[0]
        return [Entry(source, errors=[InputError(
            source, key, "a batch file holds only [[profile]] tables; "
            f"move '{key}' into a [[profile]] or the profile into its own file")])]
    if not isinstance(tables, list) or not tables:
        return [Entry(source, errors=[InputError(
            source, BATCH_KEY, "expected one or more [[profile]] tables")])]
    # Sources in a batch are numbered from 1, as a person counts the [[profile]] tables.
    return [
        validate_document(table, f"{source}#{i}") for i, table in enumerate(tables, start=1)
    ]


def entries_from_bytes(data: bytes, source: str) -> list[Entry]:
    """Every profile in one file's bytes: a single profile, or each of a batch file's."""
    doc, error = parse_bytes(data, source)
    if error is not None:
        return [Entry(source, errors=[error])]
    if BATCH_KEY in doc:
        return _batch_entries(doc, source)
    if not doc:
        return [Entry(source, errors=[InputError(source, "", "empty file; expected a profile")])]
    entry = validate_document(doc, source)
    if not entry.ok:
        # A misspelt [[profile]] array would otherwise read as a broken single profile.
        for key, value in doc.items():
            if isinstance(value, list) and did_you_mean(key, [BATCH_KEY]):
                entry.errors.insert(0, InputError(
                    source, key, f"unknown key '{key}'; did you mean '[[{BATCH_KEY}]]'?"))
    return [entry]


def read_file(path: Path) -> bytes:
    """The file's bytes, refusing oversized files before reading them."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise OSError(f"file is {size:,} bytes; expected at most {MAX_FILE_BYTES:,}")
    with path.open("rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)


def load_path_bytes(path: str | os.PathLike) -> tuple[bytes | None, InputError | None]:
    """A file's bytes (``-`` reads standard input), or the reason they cannot be read."""
    source = str(path)
    if source == STDIN:
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1), None
    try:
        return read_file(Path(path)), None
    except FileNotFoundError:
        return None, InputError(source, "", "no such file")
    except IsADirectoryError:
        return None, InputError(source, "", "is a folder; expected a file")
    except OSError as exc:
        return None, InputError(source, "", f"cannot read: {_os_reason(exc)}")


def load_path(path: str | os.PathLike) -> list[Entry]:
    """Entries from one file (or ``-`` for standard input)."""
    source = "<stdin>" if str(path) == STDIN else str(path)
    data, error = load_path_bytes(path)
    if error is not None:
        return [Entry(source, errors=[error])]
    return entries_from_bytes(data, source)


def expand(paths: Iterable[str]) -> Iterator[str]:
    """Files named directly, ``-``, and every ``*.toml`` below a folder, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if raw != STDIN and path.is_dir():
            found = sorted(
                p for p in path.rglob("*.toml")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                yield raw  # reported as an error below: a folder with no profiles in it
            yield from (str(p) for p in found)
        else:
            yield raw


def load_all(paths: Iterable[str]) -> list[Entry]:
    """Entries from files, batch files, folders and stdin in any mix, in the given order."""
    entries: list[Entry] = []
    for source in expand(paths):
        if source != STDIN and Path(source).is_dir():
            entries.append(Entry(source, errors=[InputError(
                source, "", "folder holds no .toml files; expected profiles")]))
            continue
        entries.extend(load_path(source))
    return entries


def load_profile(path: str | os.PathLike) -> Profile:
    """Exactly one profile from a file, or ValueError with the first problem's line."""
    entries = load_path(path)
    if len(entries) != 1:
        raise ValueError(f"{path}: holds {len(entries)} profiles; expected one")
    entry = entries[0]
    if not entry.ok:
        raise ValueError(str(entry.errors[0]))
    return entry.profile


def dumps(profile: Profile) -> str:
    return tomli_w.dumps(to_document(profile))


def _os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write a file so that a crash leaves the old file or the new one, never a mixture.

    The text goes to a temporary file in the same folder (same file system, so the rename
    is atomic), is flushed and fsynced, then replaces the target with ``os.replace``; the
    folder is fsynced so the rename itself survives a power cut.
    """
    target = Path(path)
    if target.is_dir():
        raise SaveError(f"{target}: is a folder; expected a file name to save to")
    folder = target.parent if str(target.parent) else Path(".")
    data = text.encode("utf-8")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_folder(folder)
    except OSError as exc:
        raise SaveError(f"{target}: could not save: {_os_reason(exc)}") from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


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


def safe_file_stem(name: str) -> str:
    """A file name made from a profile name that cannot leave the chosen folder.

    Path separators, ``..``, control characters and leading dots are removed; the result is
    never empty and at most 80 characters, so ``../../etc/passwd`` becomes ``etc-passwd``.
    """
    text = unicodedata.normalize("NFKC", name).strip().lower()
    text = _UNSAFE.sub("-", text).strip("-.")
    text = re.sub(r"-{2,}", "-", text)[:80].strip("-.")
    return text or "profile"
