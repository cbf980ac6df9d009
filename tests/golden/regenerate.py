"""Rewrite the golden outputs in this folder from the current code.

``python tests/golden/regenerate.py`` scores ``profiles/`` and the seeded 1,000-profile batch
as JSON, and writes the Markdown and HTML report of every example profile in both languages.
``tests/test_golden.py`` compares the code's output with these files byte for byte, so a change
to what a user sees shows up as a diff to review, and is kept only by running this script.
The batch is scored as of ``BATCH_DAY``, so the files do not change with the calendar.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PROFILES = ROOT / "profiles"
BATCH_SIZE = 1000
LANGS = ("en", "zh")
# The day the seeded batch (whose profiles carry no as_of) is scored for: the company ages,
# and the as_of of every result, would otherwise change with the calendar.
BATCH_DAY = "2026-12-02"
FORMATS = {"markdown": "md", "html": "html"}


def batch_text() -> bytes:
    """The seeded batch, made by the benchmark's own generator (same N, same bytes)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_batch import batch_text as make

    return make(BATCH_SIZE).encode("utf-8")


def run(*args: str, stdin: bytes | None = None) -> bytes:
    done = subprocess.run([sys.executable, "-m", "gtmcompass", *args], cwd=ROOT, input=stdin,
                          capture_output=True, check=False)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"gtmcompass {' '.join(args)} exited {done.returncode}: "
                           f"{done.stderr.decode(errors='replace')}")
    return done.stdout


def report_names() -> list[tuple[str, Path, str, str]]:
    """(golden file name, profile, language, format) of every report kept."""
    return [(f"report-{profile.stem}-{lang}.{ext}", profile, lang, fmt)
            for profile in sorted(PROFILES.glob("*.toml"))
            for lang in LANGS for fmt, ext in FORMATS.items()]


def names() -> list[str]:
    return ["profiles.json", f"batch-{BATCH_SIZE}.json", *(n for n, *_ in report_names())]


def outputs() -> dict[str, bytes]:
    """Every golden file's name and the bytes the current code produces for it."""
    files = {
        "profiles.json": run("score", "profiles", "--format", "json"),
        f"batch-{BATCH_SIZE}.json": run("score", "-", "--format", "json", "--as-of", BATCH_DAY,
                                       stdin=batch_text()),
    }
    for name, profile, lang, fmt in report_names():
        files[name] = run("report", str(profile.relative_to(ROOT)), "--format", fmt,
                          "--lang", lang)
    return files


def main() -> None:
    files = outputs()
    for name, data in files.items():
        (HERE / name).write_bytes(data)
    print(f"wrote {len(files)} golden files to {HERE}")


if __name__ == "__main__":
    main()
