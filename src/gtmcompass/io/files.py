"""Reading and writing profile files: size and nesting caps, batch files, folders, atomic saves.

Files are untrusted: nothing in them is evaluated, a file larger than ``settings.max_file_bytes()`` is
refused before it is read, a structure nested deeper than ``MAX_DEPTH`` (dotted keys
included, before ``tomllib`` sees them) and a string or key longer than ``MAX_STRING_CHARS``
are refused before validation. Every failure becomes an :class:`~gtmcompass.model.problems.InputError`.

Unknown keys follow a policy: strict (the default and the contract's rule) makes each one an
error; lenient (``lenient=True``, ``--lenient``) drops them and records a warning naming the
key and the key probably meant, so a profile from a newer or sloppier tool still scores.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from gtmcompass.io import tomlguard
from gtmcompass.io.reading import (  # noqa: F401  re-exported: the one reader and checks
    FileTooLarge,
    NotAFile,
    ReadRefused,
    is_folder,
    is_regular,
    read_capped,
    read_file,
)
from gtmcompass.io.tomlguard import MAX_DEPTH, MAX_DOTTED_PARTS  # noqa: F401
from gtmcompass.model.problems import (
    MAX_ERRORS,
    InputError,
    did_you_mean,
    format_loc,
    from_validation_error,
    omitted,
    unknown_key_message,
)
from gtmcompass.model.profile import NOTES_MAX_CHARS, SECTIONS, Profile, known_keys

# Re-exported: the limits are tomlguard's, shared with the app's pydantic-free preview.
from gtmcompass.vocab.settings import max_file_bytes

# The longest string the contract allows is the notes; no string or key in a file may be
# longer, so a 200 MB string under an unknown key is refused with its key path instead of
# being carried into messages and warnings.
MAX_STRING_CHARS = NOTES_MAX_CHARS
STDIN = "-"
BATCH_KEY = "profile"
LENIENT_NOTE = "dropped (--lenient)"
EMPTY_FOLDER = "folder holds no .toml files; expected profiles"

@dataclass
class Entry:
    """One input to score: a profile that validated, or the reasons it did not.

    ``warnings`` lists what a lenient read dropped (unknown keys); they never stop scoring.
    """

    source: str
    profile: Profile | None = None
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.profile is not None


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
    limit = max_file_bytes()
    if len(data) > limit:
        return None, InputError(
            source, "", f"file is {len(data):,} bytes; expected at most {limit:,}"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, InputError(
            source, "", f"not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}); "
            "expected a UTF-8 TOML file"
        )
    try:
        doc = tomlguard.loads(text.removeprefix("\ufeff"))
    except tomlguard.TomlRefused as exc:
        return None, InputError(source, "", str(exc))
    # A batch file's [[profile]] tables are checked one by one (validate_document), so that one
    # bad profile is refused and the rest are still scored; everything else is checked here.
    if isinstance(doc.get(BATCH_KEY), list):
        problem = first_problem({k: v for k, v in doc.items() if k != BATCH_KEY})
    else:
        problem = first_problem(doc)
    if problem is not None:
        loc, message = problem
        return None, InputError(source, format_loc(loc), message)
    return doc, None


def first_problem(value: object, loc: tuple = (), level: int = 0) -> tuple[tuple, str] | None:
    """The first place ``value`` breaks a cap on untrusted input, as (key path, message).

    Caps: nesting deeper than MAX_DEPTH (levels counted as in ``_depth``), and a string or key
    longer than MAX_STRING_CHARS. A profile table is checked on its own, so in a batch file
    only the offending profile is refused.
    """
    if level > MAX_DEPTH:
        return loc, f"nested too deeply; expected at most {MAX_DEPTH} levels"
    kind = type(value)
    if kind is str:
        if len(value) > MAX_STRING_CHARS:
            return loc, (f"string of {len(value):,} characters; "
                         f"expected at most {MAX_STRING_CHARS:,}")
    elif kind is dict:
        if not value and level + 1 > MAX_DEPTH:
            return loc, f"nested too deeply; expected at most {MAX_DEPTH} levels"
        for key, item in value.items():
            if len(key) > MAX_STRING_CHARS:
                return loc + (key,), (f"key of {len(key):,} characters; "
                                      f"expected at most {MAX_STRING_CHARS:,}")
            found = first_problem(item, loc + (key,), level + 1)
            if found:
                return found
    elif kind is list:
        if not value and level + 1 > MAX_DEPTH:
            return loc, f"nested too deeply; expected at most {MAX_DEPTH} levels"
        for i, item in enumerate(value):
            found = first_problem(item, loc + (i,), level + 1)
            if found:
                return found
    return None


def drop_unknown_keys(doc: dict, source: str, prefix: tuple = ()) -> tuple[dict, list[InputError]]:
    """The document without keys the contract does not know, and one warning per key dropped.

    Sections that are not tables are kept as they are, for validation to report.
    """
    kept: dict = {}
    dropped: list[tuple] = []
    top = known_keys(None)
    for key, value in doc.items():
        if key not in top:
            dropped.append((key,))
            continue
        if key in SECTIONS and isinstance(value, dict):
            allowed = known_keys(key)
            unknown = [(key, inner) for inner in value if inner not in allowed]
            if unknown:
                dropped.extend(unknown)
                value = {k: v for k, v in value.items() if k in allowed}
        kept[key] = value
    warnings = [
        InputError(source, format_loc(prefix + loc),
                   f"{unknown_key_message(loc)}; {LENIENT_NOTE}")
        for loc in dropped[:MAX_ERRORS]
    ]
    return kept, warnings + omitted(source, len(dropped) - MAX_ERRORS)


def validate_document(
    doc: object, source: str, prefix: tuple = (), *, lenient: bool = False
) -> Entry:
    """Validate one parsed profile table; with ``lenient``, unknown keys are dropped first."""
    problem = first_problem(doc)
    if problem is not None:
        loc, message = problem
        return Entry(source, errors=[InputError(source, format_loc(prefix + loc), message)])
    warnings: list[InputError] = []
    if lenient and isinstance(doc, dict):
        doc, warnings = drop_unknown_keys(doc, source, prefix)
    try:
        return Entry(source, Profile.model_validate(doc), warnings=warnings)
    except ValidationError as exc:
        errors = from_validation_error(source, exc, prefix)
        return Entry(source, errors=errors, warnings=warnings)


def _batch_entries(doc: dict, source: str, lenient: bool = False) -> list[Entry]:
    stray = [k for k in doc if k != BATCH_KEY]
    tables = doc[BATCH_KEY]
    if stray and not lenient:
        key = stray[0]
        return [Entry(source, errors=[InputError(
            source, format_loc((key,)), "a batch file holds only [[profile]] tables; "
            f"move '{format_loc((key,))}' into a [[profile]] or the profile into its own file")])]
    if not isinstance(tables, list) or not tables:
        return [Entry(source, errors=[InputError(
            source, BATCH_KEY, "expected one or more [[profile]] tables")])]
    # Sources in a batch are numbered from 1, as a person counts the [[profile]] tables.
    entries = [
        validate_document(table, f"{source}#{i}", lenient=lenient)
        for i, table in enumerate(tables, start=1)
    ]
    if stray:
        # Lenient: keys beside the [[profile]] tables belong to no profile and are dropped.
        entries[0].warnings[:0] = [
            InputError(source, format_loc((key,)),
                       f"unknown key '{format_loc((key,))}' beside the [[profile]] tables; "
                       f"{LENIENT_NOTE}")
            for key in stray[:MAX_ERRORS]
        ] + omitted(source, len(stray) - MAX_ERRORS)
    return entries


def entries_from_bytes(data: bytes, source: str, *, lenient: bool = False) -> list[Entry]:
    """Every profile in one file's bytes: a single profile, or each of a batch file's."""
    doc, error = parse_bytes(data, source)
    if error is not None:
        return [Entry(source, errors=[error])]
    if BATCH_KEY in doc:
        return _batch_entries(doc, source, lenient)
    if not doc:
        return [Entry(source, errors=[InputError(source, "", "empty file; expected a profile")])]
    entry = validate_document(doc, source, lenient=lenient)
    if not entry.ok:
        # A misspelt [[profile]] array would otherwise read as a broken single profile.
        for key, value in doc.items():
            if isinstance(value, list) and did_you_mean(key, [BATCH_KEY]):
                entry.errors.insert(0, InputError(
                    source, key, f"unknown key '{key}'; did you mean '[[{BATCH_KEY}]]'?"))
                break
    return [entry]


def load_path_bytes(
    path: str | os.PathLike, *, streams: bool = False
) -> tuple[bytes | None, InputError | None]:
    """A file's bytes (``-`` reads standard input), or the reason they cannot be read.

    Every user file is read by ``reading.read_file``; ``streams`` also reads a FIFO or device
    (for paths named on the command line), otherwise only regular files are read.
    """
    source = str(path)
    if source == STDIN:
        if sys.stdin is None:
            return None, InputError("<stdin>", "", "no standard input to read")
        try:
            return read_capped(sys.stdin.buffer.read, max_file_bytes()), None
        except ReadRefused as exc:
            return None, InputError("<stdin>", "", str(exc))
        except OSError as exc:
            return None, InputError("<stdin>", "", f"cannot read: {_os_reason(exc)}")
    try:
        return read_file(path, streams=streams), None
    except ReadRefused as exc:
        return None, InputError(source, "", str(exc))
    except FileNotFoundError:
        return None, InputError(source, "", "no such file")
    except IsADirectoryError:
        return None, InputError(source, "", "is a folder; expected a file")
    except OSError as exc:
        return None, InputError(source, "", f"cannot read: {_os_reason(exc)}")
    except ValueError:
        # The operating system refuses such a name before looking (os.open raises ValueError).
        return None, InputError(source, "", "cannot read: the name holds a NUL character")


def load_path(
    path: str | os.PathLike, *, lenient: bool = False, streams: bool = False
) -> list[Entry]:
    """Entries from one file (or ``-`` for standard input); ``streams`` as in load_path_bytes.

    A batch file is read a ``[[profile]]`` table at a time (``batchread``), so a syntax error
    costs only the table it is in.
    """
    from gtmcompass.io.batchread import file_entries

    source = "<stdin>" if str(path) == STDIN else str(path)
    data, error = load_path_bytes(path, streams=streams)
    if error is not None:
        return [Entry(source, errors=[error])]
    return [entry for part in file_entries(data, source, lenient=lenient) for entry in part]


class FolderMember(str):
    """A file name found by scanning a folder, not named by the user: never read as a stream."""


def expand(paths: Iterable[str]) -> Iterator[str]:
    """Files named directly, ``-``, and every ``*.toml`` below a folder, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if raw != STDIN and is_folder(path):
            found = sorted(
                p for p in path.rglob("*.toml")
                if is_regular(p)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                yield raw  # reported as an error below: a folder with no profiles in it
            yield from (FolderMember(p) for p in found)
        else:
            yield raw


def load_all(
    paths: Iterable[str], *, lenient: bool = False, streams: bool = False
) -> list[Entry]:
    """Entries from files, batch files, folders and stdin in any mix, in the given order.

    ``streams``: a FIFO or device named in ``paths`` is read (never one found in a folder).
    All of them at once: ``batchread.iter_inputs`` gives the same a slice at a time.
    """
    from gtmcompass.io.batchread import iter_inputs

    return [entry for part in iter_inputs(paths, lenient=lenient, streams=streams)
            for entry in part]


def load_profile(path: str | os.PathLike) -> Profile:
    """Exactly one profile from a file, or ValueError with the first problem's line."""
    entries = load_path(path)
    if len(entries) != 1:
        raise ValueError(f"{path}: holds {len(entries)} profiles; expected one")
    entry = entries[0]
    if not entry.ok:
        raise ValueError(str(entry.errors[0]))
    return entry.profile


# The write side lives in writes.py; these names stay importable from here, and the reading
# side words an OSError as a save does (_os_reason).
from gtmcompass.io.writes import (  # noqa: F401
    STALE_TEMP_SECONDS,
    STEM_MAX_BYTES,
    STEM_MAX_CHARS,
    SaveError,
    _os_reason,
    atomic_write_text,
    dumps,
    remove_stale_temps,
    safe_file_stem,
    save_profile,
)
