"""``gtmcompass convert IN OUT``: a spreadsheet to a batch TOML file and back.

IN is read as every command reads it (a ``.csv`` file by ``csvread``, TOML single or batch
by ``batchread``); OUT's name says what to write: ``.csv`` a header of every key path and a
row per profile (``csvwrite``), ``.toml`` one ``[[profile]]`` table per profile. Both carry
every value the contract allows, so IN and OUT read back to equal profiles (the tests check
it for generated profiles); the one exception is a NUL character in a name or notes, which a
CSV file cannot hold and which is refused.

OUT is written atomically and only when every profile of IN was read: a conversion that
dropped the bad rows would look complete. IN is never overwritten, and an existing OUT only
with ``force``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from gtmcompass.io.csvread import is_csv
from gtmcompass.io.csvwrite import NotWritable, check_writable, profiles_csv
from gtmcompass.io.files import STDIN, InputError, SaveError, atomic_write_text, load_path
from gtmcompass.model.profile import Profile, to_document

SUFFIXES = (".csv", ".toml")
# Excel opens a UTF-8 CSV file as the system's code page unless it starts with a BOM: Chinese
# names would read as mojibake. Every reader here (and pandas, and LibreOffice) skips it.
BOM = "\ufeff"


class ConvertRefused(Exception):
    """A conversion not started: bad names, IN is OUT, OUT exists; one line, a usage error."""


@dataclass
class Converted:
    """What a conversion did: how many profiles were written, or the errors that stopped it."""

    written: int = 0
    errors: list[InputError] = field(default_factory=list)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        try:
            return Path(a).resolve() == Path(b).resolve()
        except (OSError, ValueError, RuntimeError):
            return False


def batch_toml(profiles: list[Profile]) -> str:
    """A batch file of ``profiles``: one ``[[profile]]`` table each, unknown values left out."""
    return tomli_w.dumps({"profile": [to_document(p) for p in profiles]})


def check_targets(source: str, target: str, *, force: bool = False) -> None:
    """ConvertRefused unless OUT names a format and may be written."""
    if Path(target).suffix.lower() not in SUFFIXES:
        raise ConvertRefused(f"{target}: expected a name ending in .csv or .toml (the format "
                             "to write)")
    if source != STDIN and _same_file(source, target):
        raise ConvertRefused(f"{target}: is the input file; expected another name (convert "
                             "never overwrites its input)")
    if os.path.lexists(target) and not force:
        raise ConvertRefused(f"{target}: exists; use --force to overwrite it")


def convert(source: str, target: str, *, force: bool = False, streams: bool = False) -> Converted:
    """Convert the profiles of ``source`` into ``target``; ConvertRefused, or SaveError when
    the write fails (OUT is then unchanged)."""
    check_targets(source, target, force=force)
    entries = load_path(source, streams=streams)
    errors = [error for entry in entries for error in entry.errors]
    if errors:
        return Converted(errors=errors)
    profiles = [entry.profile for entry in entries]
    if is_csv(target):
        for entry in entries:
            try:
                check_writable(entry.profile)
            except NotWritable as exc:
                errors.append(InputError(entry.source, "", str(exc)))
        if errors:
            return Converted(errors=errors)
        text = BOM + profiles_csv(profiles)
    else:
        text = batch_toml(profiles)
    atomic_write_text(target, text)
    return Converted(written=len(profiles))


__all__ = ["ConvertRefused", "Converted", "SaveError", "batch_toml", "check_targets", "convert"]
