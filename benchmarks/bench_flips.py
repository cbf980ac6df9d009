"""Flip search timing for one profile: all levers, single changes and pairs, in-process.

Run by hand (not a unit test):

    .venv/bin/python benchmarks/bench_flips.py [PROFILE.toml ...] [--repeat N]

For each profile (default: every file in profiles/) it runs ``find_flips`` once to warm up,
then N times (default 50), and prints the median, 90th percentile and best time, with how many
profiles the engine pass scored and how many independent pairs were combined without
re-scoring. The target is under 50 ms per profile, so the app can show flips live. Also times
the other decision tools once each for context.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from gtmcompass.decide.actions import action_plan
from gtmcompass.decide.flips import find_flips
from gtmcompass.decide.sensitivity import stability_intervals
from gtmcompass.io.files import load_profile
from gtmcompass.scoring.engine import Engine

TARGET_MS = 50.0


def _times(fn, repeat: int) -> list[float]:
    fn()  # warm-up: caches, first numpy calls
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000.0)
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profiles", nargs="*", help="profile files (default: profiles/*.toml)")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.profiles] or sorted((ROOT / "profiles").glob("*.toml"))
    engine = Engine()
    worst = 0.0
    print(f"{'profile':28s} {'median':>8s} {'p90':>8s} {'best':>8s} {'scored':>7s} "
          f"{'pairs':>7s}  (ms; target < {TARGET_MS:.0f})")
    for path in paths:
        profile = load_profile(path)
        times = _times(lambda p=profile: find_flips(engine, p), args.repeat)
        report = find_flips(engine, profile)
        median = statistics.median(times)
        p90 = times[int(0.9 * (len(times) - 1))]
        worst = max(worst, median)
        print(f"{profile.name[:28]:28s} {median:8.1f} {p90:8.1f} {times[0]:8.1f} "
              f"{report.evaluated:7d} {report.combined:7d}")
    profile = load_profile(paths[0])
    for name, fn in (("action_plan", lambda: action_plan(engine, profile)),
                     ("stability_intervals", lambda: stability_intervals(engine, profile))):
        print(f"{name} ({profile.name}): median "
              f"{statistics.median(_times(fn, max(5, args.repeat // 5))):.1f} ms")
    print(f"worst median flip search: {worst:.1f} ms "
          f"({'within' if worst < TARGET_MS else 'OVER'} the {TARGET_MS:.0f} ms target)")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
