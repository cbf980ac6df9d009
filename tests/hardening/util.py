"""Shared checks for the hardening tests: what a clean rejection looks like."""

from __future__ import annotations

import os
import unicodedata

from hypothesis import settings

from gtmcompass.io.files import Entry, entries_from_bytes
from tests.hardening.conftest import count

# Fuzz tests run this many examples each in the default suite (about a second apiece);
# GTMCOMPASS_FUZZ_EXAMPLES raises it for a deeper run, e.g. 5000.
FUZZ_EXAMPLES = int(os.environ.get("GTMCOMPASS_FUZZ_EXAMPLES", "300"))
fuzz = settings(max_examples=FUZZ_EXAMPLES, deadline=None)


def assert_clean(entries: list[Entry], source: str) -> None:
    """Every rejection is one printable line that starts with (a source within) ``source``."""
    assert entries, "an input must give at least one entry, even if only an error"
    for entry in entries:
        assert entry.source.startswith(source)
        assert entry.ok != bool(entry.errors)
        for problem in [*entry.errors, *entry.warnings]:
            line = str(problem)
            assert line.startswith(entry.source.split("#")[0])
            assert one_safe_line(line), repr(line)
            assert len(line) < 2_000, len(line)


def one_safe_line(text: str) -> bool:
    """No line break of any kind, no control character, no bidi override, no lone surrogate."""
    bidi = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
    return not any(
        unicodedata.category(ch) in ("Cc", "Zl", "Zp", "Cs") or ch in bidi for ch in text)


def load_bytes(data: bytes, source: str = "fuzz.toml", *, lenient: bool = False) -> list[Entry]:
    """The loader on ``data``, counted, with the clean-rejection checks applied."""
    count("inputs tried")
    entries = entries_from_bytes(data, source, lenient=lenient)
    assert_clean(entries, source)
    return entries
