"""Memory of every batch command grows by a few KB a profile, not by the parsed file.

Each command runs in a child process on a generated batch of N and of 4N profiles; the peak
memory it reports (VmHWM, from /proc) is compared between the two, so start-up and the
working set of one slice cancel out and what is left is the cost of one more profile. For
100,000 profiles, before: ``rank`` 1.34 GB, ``validate`` 1.18 GB, ``score`` of the inline
spelling 1.32 GB, each about 11.7 KB a profile more here; after: 460, 150 and 440 MB, and
5.1, under 1 and 4.6 KB a profile more here (a slice's freed objects leave more behind at
these sizes than at 100,000, where the whole peak is 4.4 KB a profile).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hardening.conftest import count

ROOT = Path(__file__).resolve().parents[2]
SMALL = 3_000
GROWTH = 4
PER_PROFILE_BYTES = 6_000

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(),
                                reason="no /proc to read peak memory from")

CHILD = """
import sys
from gtmcompass.cli import main
sys.stdout = open(__import__("os").devnull, "w")
status = main(sys.argv[1:])
peak = next(int(line.split()[1]) for line in open("/proc/self/status")
            if line.startswith("VmHWM"))
print(status, peak, file=sys.stderr)
"""


def batch_file(folder: Path, n: int, inline: bool) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from make_batch import batch_text
    finally:
        sys.path.pop(0)
    text = batch_text(n)
    if inline:
        # The same profiles as ``profile = [{...}, ...]``, one inline table a line.
        import tomllib

        tables = tomllib.loads(text)["profile"]
        text = "profile = [\n" + ",\n".join(map(inline_table, tables)) + "\n]\n"
    path = folder / f"{'inline' if inline else 'batch'}-{n}.toml"
    path.write_text(text, "utf-8")
    return path


def inline_table(value: object) -> str:
    import json

    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {inline_table(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(map(inline_table, value)) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def peak_kb(*args: str) -> int:
    proc = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True,
                          text=True, cwd=ROOT, env=os.environ, check=False)
    status, peak = proc.stderr.split()[-2:]
    assert status == "0", proc.stderr[-1000:]
    return int(peak)


@pytest.mark.parametrize("command, inline", [
    ("score", False), ("validate", False), ("rank", False), ("score", True),
])
def test_peak_memory_grows_by_a_few_kb_a_profile(tmp_path, command, inline):
    small = batch_file(tmp_path, SMALL, inline)
    large = batch_file(tmp_path, SMALL * GROWTH, inline)
    fmt = [] if command == "validate" else ["--format", "json"]
    count("inputs tried", SMALL * (1 + GROWTH))
    grown = peak_kb(command, str(large), *fmt) - peak_kb(command, str(small), *fmt)
    per_profile = grown * 1024 / (SMALL * (GROWTH - 1))
    assert per_profile < PER_PROFILE_BYTES, (
        f"{command}: {per_profile:,.0f} bytes of peak memory per profile")
