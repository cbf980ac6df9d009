"""Every guard on untrusted text is linear in the text: checked against a linear reference.

Each input family is built at two sizes, N and 8N. The guard's work is measured as a multiple
of a reference pass that is linear by construction (one regex match per character of the same
text); a linear guard keeps that multiple, a quadratic one multiplies it by eight. Before the
fix, ``tomlguard.too_deep_line`` on ``"`` followed by 40,000 ``\\"`` took 27 s, against 0.5 s
at a tenth of the size. Timings are the best of several runs, relative to the reference run
in between, so a busy machine slows both alike; no absolute time is asserted.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest

from gtmcompass.io import batchread, tomlguard
from gtmcompass.io.files import entries_from_bytes
from tests.hardening.conftest import count
from tests.test_profile_files import MINIMAL

SMALL = 10_000
GROWTH = 8
# A linear guard's multiple of the reference stays within noise of itself; a quadratic one
# grows by GROWTH (8). Half-way between, in the ratio's logarithm: sqrt(8), about 2.8.
ALLOWED = GROWTH ** 0.5
REPEATS = 5
# One match per character: linear in the text's length whatever its lines. A match per line
# cost each of a short profile's 20 lines more than its 1,250 characters of notes, so that
# reference grew 2.5x for 7.4x the text and a linear read looked 3x worse than linear.
_REFERENCE = re.compile(r".", re.S)


def reference(text: str) -> None:
    for _ in _REFERENCE.finditer(text):
        pass


# Each timing covers at least this long, calling ``fn`` as often as that takes: the
# reference pass over a 2.5 KB text takes microseconds, where one timer tick or one cache miss
# moved a single-call ratio by the 8x this test looks for (a linear read measured 3.0x).
MIN_BATCH_S = 0.005


def best(fn: Callable[[str], object], text: str) -> float:
    """The least time per call of ``fn(text)``, over REPEATS batches of at least MIN_BATCH_S."""
    calls, elapsed = 0, 0.0
    start = time.perf_counter()
    while elapsed < MIN_BATCH_S:  # how many calls make a batch
        fn(text)
        calls += 1
        elapsed = time.perf_counter() - start
    runs = [elapsed / calls]
    for _ in range(REPEATS - 1):
        start = time.perf_counter()
        for _ in range(calls):
            fn(text)
        runs.append((time.perf_counter() - start) / calls)
    return min(runs)


def multiple(fn: Callable[[str], object], text: str) -> float:
    """The guard's work on ``text`` as a multiple of the linear reference's on the same text."""
    return best(fn, text) / max(best(reference, text), 1e-9)


FAMILIES: dict[str, Callable[[int], str]] = {
    # The report's two: an unterminated run of escaped quotes, and a valid profile's notes.
    "escaped quotes": lambda n: '"' + '\\"' * n,
    "escaped quotes, then a line of dots": lambda n: '"' + '\\"' * n + "\n" + "." * 70,
    "notes of escaped quotes": lambda n: 'notes = "' + '\\"' * n + '"\nx = "' + "." * 70 + '"',
    "bare quotes and dots": lambda n: '"' * n + "." * 70,
    "bare apostrophes and dots": lambda n: "'" * n + "." * 70,
    "triple quotes": lambda n: '"""' * (n // 3) + "\n" + "." * 70,
    "a comment of quotes": lambda n: "# " + '"' * n + "\n" + "." * 70,
    "chains of 63 parts": lambda n: ("a" + ".a" * 62 + " ") * (n // 128),
    "quoted chains of 63 parts": lambda n: ('"a"' + '."a"' * 62 + "\n") * (n // 256),
    "spaces after a key": lambda n: "a" + " " * n + ". b" + ".c" * 70,
    "backslashes in a string": lambda n: '"' + "\\" * n + "\n" + "." * 70,
}


@pytest.mark.parametrize("family", FAMILIES)
def test_the_dotted_key_guard_is_linear(family):
    build = FAMILIES[family]
    small, large = build(SMALL), build(SMALL * GROWTH)
    count("inputs tried", 2)
    growth = multiple(tomlguard.too_deep_line, large) / multiple(tomlguard.too_deep_line, small)
    assert growth < ALLOWED, f"{family}: work grew {growth:.1f} times faster than the text"


@pytest.mark.parametrize("family", ["notes of escaped quotes", "escaped quotes",
                                    "bare quotes and dots"])
def test_parsing_through_the_guards_is_linear(family):
    """tomlguard.loads: the guard, then tomllib, on the same families."""

    def parse(text: str) -> None:
        try:
            tomlguard.loads(text)
        except tomlguard.TomlRefused:
            pass

    build = FAMILIES[family]
    small, large = build(SMALL), build(SMALL * GROWTH)
    count("inputs tried", 2)
    growth = multiple(parse, large) / multiple(parse, small)
    assert growth < ALLOWED, f"{family}: work grew {growth:.1f} times faster than the text"


def test_reading_a_profile_with_long_notes_is_linear():
    """The report's valid profile: notes of 20,000 quotes took 6.6 s to validate."""

    def read(text: str) -> None:
        [entry] = entries_from_bytes(text.encode(), "n.toml")
        assert entry.ok, entry.errors

    def profile(n: int) -> str:
        return 'notes = "' + '\\"' * n + '"\n' + MINIMAL.decode()

    small, large = profile(SMALL // 8), profile(SMALL)  # the notes' cap is 20,000 characters
    count("inputs tried", 2)
    growth = multiple(read, large) / multiple(read, small)
    assert growth < ALLOWED, f"work grew {growth:.1f} times faster than the text"


@pytest.mark.parametrize("text, line", [
    ("a" + ".a" * 64 + " = 1", 1),
    ('x = 1\n"a"' + '."a"' * 64 + " = 1", 2),
    ("a" + " . a" * 64 + " = 1", 1),
    ('s = "unclosed\n' + "a" + ".a" * 64 + " = 1", 2),
    ('s = """\n' + "a" + ".a" * 64 + '\n"""', None),
    ("# " + "a" + ".a" * 64, None),
    ("s = 'v" + ".1" * 70 + "'", None),
    ("a" + ".a" * 63 + " = 1", None),
])
def test_the_guard_still_finds_long_dotted_keys_and_only_outside_strings(text, line):
    assert tomlguard.too_deep_line(text) == line


BATCH_FAMILIES: dict[str, Callable[[int], bytes]] = {
    "headers in multi-line strings": lambda n: (
        b'[[profile]]\nnotes = """\n' + b"[[profile]]\n" * (n // 12) + b'"""\n'),
    "open quotes and headers": lambda n: (b'[[profile]]\nx = "\\"\\"\n' * (n // 20)),
    "an inline batch on one line, every table bad": lambda n: (
        b"profile = [" + b"{a = 1, a = 2}, " * (n // 16) + b"]\n"),
    "an inline batch of nested brackets": lambda n: (
        b"profile = [" + b"{q = [[[]]]}, " * (n // 14) + b"]\n"),
}


def read_batch_file(data: bytes) -> None:
    for _ in batchread.file_entries(data, "b.toml"):
        pass


@pytest.mark.parametrize("family", BATCH_FAMILIES)
def test_cutting_a_batch_file_into_tables_is_linear(family):
    build = BATCH_FAMILIES[family]
    small, large = build(SMALL), build(SMALL * GROWTH)
    count("inputs tried", 2)

    def work(data: bytes) -> float:
        return best(read_batch_file, data) / max(best(reference, data.decode()), 1e-9)

    growth = work(large) / work(small)
    assert growth < ALLOWED, f"{family}: work grew {growth:.1f} times faster than the file"
