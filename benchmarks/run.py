"""Every gtmcompass benchmark of issue 6 in one run, as ratios against references run alongside.

    .venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/run.py [--quick]

Machines are shared and noisy, so each measurement is set against a reference measured in
the same run, the two alternating (reference, subject, subject, reference, ...) so that both
see the same load, and medians of several repeats are compared:

1. Batch scoring of 10 ... 100,000 generated profiles (``make_batch.py``): wall time and peak
   memory (the child's own ``ru_maxrss``) of ``gtmcompass score FILE --format json``, against
   a Python process that only parses the same file with ``tomllib``. Target: at most 2x the
   parse from 10,000 profiles up; under 1 GB at 100,000.
2. Confidence (Monte Carlo over weights), in samples per second: the engine's vectorised
   sampling against a per-sample Python loop over the same weight draws, and against
   pyrepo-mcda's SMAA procedure run with the same draws. Target: at least 20x the library.
   Also: scoring plus confidence of one profile in process, under 1 ms (issue 2).
3. App start-up: first screen of ``gtmcompass PROFILE`` against a minimal Textual app, both
   under a pseudo-terminal (``bench_app.startup``). Target: at most 1.3x.
4. Live update: from a field edit to recomputed scores, contributions and confidence
   (``bench_app`` types into the running app headless). Target: one frame, 16 ms.
5. Flip search for one profile (``bench_flips``). Target: 50 ms.

Writes ``benchmarks/results/latest.json`` and ``latest.md``, and puts the table into
README.md between ``<!-- bench:start -->`` and ``<!-- bench:end -->`` (``--no-readme`` not).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
sys.path.insert(0, str(HERE))

from make_batch import batch_file  # noqa: E402

SIZES = (10, 100, 1_000, 10_000, 100_000)
PARSE_ONLY = "import sys, tomllib\nwith open(sys.argv[1], 'rb') as f:\n    tomllib.load(f)\n"
PROFILE = "profiles/medical-partners.toml"
MB = 1024 * 1024

# -- helpers ---------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values)


# Children are started through this small launcher, which times the child from spawn to exit
# and reads its peak memory. Linux's ru_maxrss for a child counts the peak RSS of the process
# that forked it (the old address space at exec), so children forked by this script after it
# had generated the 100,000-profile file reported 687 MB when the scorer used 370 MB.
LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ,
                     file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def run_child(argv: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident bytes of one child process (its output discarded)."""
    done = subprocess.run([sys.executable, "-c", LAUNCHER, *argv], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    seconds, peak_kib, status = done.stdout.split()
    if status != "0":
        raise SystemExit(f"{' '.join(argv)} exited {status}: {done.stderr[-500:]}")
    return float(seconds), int(peak_kib) * 1024  # Linux reports KiB


def paired(reference: Callable[[], float], subject: Callable[[], float],
           repeats: int) -> tuple[list[float], list[float]]:
    """Alternate reference and subject (ABBA order), so drifting load hits both alike."""
    ref, sub = [], []
    for i in range(repeats):
        if i % 2 == 0:
            ref.append(reference())
            sub.append(subject())
        else:
            sub.append(subject())
            ref.append(reference())
    return ref, sub


def timed(fn: Callable[[], object], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def gtmcompass_cmd() -> list[str]:
    script = Path(sys.executable).with_name("gtmcompass")
    return [str(script)] if script.exists() else [sys.executable, "-m", "gtmcompass"]


# -- 1. batch scoring ------------------------------------------------------------------------


def make_batch(n: int) -> Path:
    """The batch file of n profiles, generated in a child: building 100,000 profiles here
    would leave this process 600 MB larger, and every child it forks later (the app start-up
    runs) would pay for copying that address space."""
    out = subprocess.run([sys.executable, str(HERE / "make_batch.py"), str(n)], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def bench_batch(sizes: tuple[int, ...], repeats: int) -> list[dict]:
    rows = []
    for n in sizes:
        path = make_batch(n)
        score_argv = [*gtmcompass_cmd(), "score", str(path), "--format", "json"]
        parse_argv = [sys.executable, "-c", PARSE_ONLY, str(path)]
        run_child(score_argv)  # warm the file cache and write .pyc files, unmeasured
        reps = max(3, repeats // 2) if n >= 100_000 else repeats
        mem = {"score": 0, "parse": 0}

        def measure(argv: list[str], key: str) -> float:
            seconds, peak = run_child(argv)
            mem[key] = max(mem[key], peak)
            return seconds

        parse_s, score_s = paired(lambda: measure(parse_argv, "parse"),
                                  lambda: measure(score_argv, "score"), reps)
        row = {
            "profiles": n, "file_mb": round(path.stat().st_size / MB, 2), "repeats": reps,
            "score_s": round(median(score_s), 4), "parse_s": round(median(parse_s), 4),
            "ratio": round(median(score_s) / median(parse_s), 3),
            "score_us_per_profile": round(median(score_s) / n * 1e6, 1),
            "score_peak_mb": round(mem["score"] / MB, 1),
            "parse_peak_mb": round(mem["parse"] / MB, 1),
        }
        rows.append(row)
        print(f"  {n:>7,} profiles: score {row['score_s']:.3f} s, parse {row['parse_s']:.3f} s, "
              f"ratio {row['ratio']:.2f}, peak {row['score_peak_mb']:.0f} MB "
              f"(parse {row['parse_peak_mb']:.0f} MB)", flush=True)
    return rows


# -- 2. confidence ---------------------------------------------------------------------------


def _earned_and_play(n: int):
    from gtmcompass.io.files import load_path
    from gtmcompass.scoring.engine import Engine

    engine = Engine()
    profiles = [e.profile for e in load_path(batch_file(1_000))][:n]
    out = engine.score(profiles)
    values = out.values
    return engine, engine.earned(values), out.play, out.confidence


def loop_confidence(engine, earned, play, samples: int):
    """The straightforward way: one sample at a time, numpy for the four dot products."""
    import numpy as np

    draws = engine.draws  # (4, K, m) float32, the engine's own draws
    conf = np.empty(len(earned))
    for i, e in enumerate(earned.astype(np.float32)):
        wins = 0
        for k in range(samples):
            scores = (e * draws[:, k, :]).sum(axis=1)
            wins += int(scores.argmax() == play[i])
        conf[i] = wins / samples
    return conf


def pyrepo_confidence(engine, earned, play, samples: int):
    """pyrepo-mcda's SMAA procedure with its SAW (weighted sum) as the method.

    pyrepo-mcda ships SMAA as ``VIKOR_SMAA``, whose per-sample step is VIKOR's compromise
    ranking, not the weighted sum gtmcompass scores with, so it does not compute the same
    thing. This is that class's loop (score the alternatives under one weight vector, rank
    them with ``rank_preferences``, add one to each alternative's rank-acceptability count)
    with the library's ``SAW`` as the scoring step. Alternatives are the four plays;
    criteria are the 4 x m (play, criterion) pairs, each play's earned shares in its own
    block; a weight vector is the four plays' draws side by side, over 4 x 100 so it sums
    to one. The weighted sum is then each play's sampled score / 400, so the first-rank
    acceptability of the recommended play is the confidence.
    """
    import numpy as np
    from pyrepo_mcda.additions import rank_preferences
    from pyrepo_mcda.mcda_methods import SAW

    n_plays, _, m = engine.draws.shape
    saw = SAW(normalization_method=lambda matrix, types: matrix)  # shares are already 0..1
    types = np.ones(n_plays * m)
    weights = engine.draws.astype(np.float64).transpose(1, 0, 2).reshape(samples, -1) / 400.0
    conf = np.empty(len(earned))
    for i, e in enumerate(earned):
        matrix = np.zeros((n_plays, n_plays * m))
        for p in range(n_plays):
            matrix[p, p * m:(p + 1) * m] = e[p]
        acceptability = np.zeros((n_plays, n_plays))
        for k in range(samples):
            rank = rank_preferences(saw(matrix, weights[k], types), reverse=True)
            for alt, r in enumerate(rank):
                acceptability[alt, int(r) - 1] += 1
        conf[i] = acceptability[play[i], 0] / samples
    return conf


def bench_confidence(repeats: int) -> dict:
    import numpy as np

    engine, earned, play, conf = _earned_and_play(1_000)
    samples = engine.samples
    # Sizes chosen so each timing takes 0.1-1 s on a 2-core machine.
    n_engine, n_loop, n_lib = 1_000, 10, 4
    engine_s = median(timed(lambda: engine.confidence(earned[:n_engine], play[:n_engine]),
                            repeats))
    loop_s = median(timed(lambda: loop_confidence(engine, earned[:n_loop], play[:n_loop],
                                                  samples), max(3, repeats // 2)))
    row: dict = {
        "samples_per_profile": samples,
        "engine_samples_per_s": round(n_engine * samples / engine_s),
        "loop_samples_per_s": round(n_loop * samples / loop_s),
    }
    row["engine_vs_loop"] = round(row["engine_samples_per_s"] / row["loop_samples_per_s"], 1)
    loop_conf = loop_confidence(engine, earned[:n_loop], play[:n_loop], samples)
    row["loop_agrees"] = f"{int((loop_conf == conf[:n_loop]).sum())}/{n_loop}"
    try:
        lib_s = median(timed(lambda: pyrepo_confidence(engine, earned[:n_lib], play[:n_lib],
                                                       samples), max(3, repeats // 2)))
    except ImportError as exc:
        row["library"] = f"not available ({exc.name} not installed: pip install -e '.[bench]')"
    else:
        from importlib.metadata import version

        import pyrepo_mcda  # noqa: F401  (only its version is read)

        lib_conf = pyrepo_confidence(engine, earned[:n_lib], play[:n_lib], samples)
        row["library"] = f"pyrepo-mcda {version('pyrepo-mcda')}"
        row["library_samples_per_s"] = round(n_lib * samples / lib_s)
        row["engine_vs_library"] = round(row["engine_samples_per_s"]
                                         / row["library_samples_per_s"], 1)
        row["library_agrees"] = f"{int(np.isclose(lib_conf, conf[:n_lib]).sum())}/{n_lib}"
    print(f"  engine {row['engine_samples_per_s']:,} samples/s, loop "
          f"{row['loop_samples_per_s']:,}/s (x{row['engine_vs_loop']}), library "
          f"{row.get('library_samples_per_s', 'n/a')}/s (x{row.get('engine_vs_library', 'n/a')})",
          flush=True)
    return row


def bench_single(repeats: int) -> dict:
    """Scoring plus confidence of one profile, in process (issue 2: under 1 ms)."""
    from gtmcompass.io.files import load_profile
    from gtmcompass.scoring.engine import Engine

    engine = Engine()
    profile = load_profile(ROOT / PROFILE)
    engine.score([profile])
    runs = 200
    per_call = [t / runs for t in timed(lambda: [engine.score([profile]) for _ in range(runs)],
                                         repeats)]
    row = {"score_with_confidence_ms": round(median(per_call) * 1e3, 3)}
    print(f"  one profile: {row['score_with_confidence_ms']:.3f} ms", flush=True)
    return row


# -- 3-5. the app and flip search (their own modules, called from here) ----------------------


def _module(name: str):
    try:
        return importlib.import_module(name), None
    except ImportError as exc:
        return None, f"not available ({name}.py: {exc})"


def bench_startup(runs: int) -> dict:
    module, why = _module("bench_app")
    if module is None:
        return {"error": why}
    try:
        return module.startup(runs, PROFILE)
    except (Exception, SystemExit) as exc:  # a broken app must not lose the other results
        return {"error": f"failed: {exc}"}


def bench_live(edits: int) -> dict:
    module, why = _module("bench_app")
    if module is None:
        return {"error": why}
    try:
        return asyncio.run(module._edits(edits, PROFILE))
    except (Exception, SystemExit) as exc:
        return {"error": f"failed: {exc}"}


def bench_flip_search(repeats: int) -> dict:
    """``find_flips`` on every example profile (bench_flips.py's setup and timer), against
    scoring the same profile once: the ratio says how many scorings one search costs."""
    module, why = _module("bench_flips")
    if module is None:
        return {"error": why}
    try:
        engine = module.Engine()
        runs = max(20, 4 * repeats)
        per_profile = {}
        score_ms = []
        for path in sorted((ROOT / "profiles").glob("*.toml")):
            profile = module.load_profile(path)
            per_profile[profile.name] = round(median(
                module._times(lambda p=profile: module.find_flips(engine, p), runs)), 2)
            score_ms.append(median(module._times(lambda p=profile: engine.score([p]), runs)))
    except (Exception, SystemExit) as exc:  # a broken tool must not lose the other results
        return {"error": f"failed: {exc}"}
    worst = max(per_profile, key=per_profile.get)
    row = {"profiles": len(per_profile), "runs": runs, "median_ms_by_profile": per_profile,
           "worst_profile": worst, "median_ms": per_profile[worst],
           "score_one_ms": round(median(score_ms), 3)}
    row["ratio"] = round(row["median_ms"] / row["score_one_ms"])
    print(f"  flip search, worst of {len(per_profile)} profiles: {row['median_ms']:.1f} ms "
          f"({worst}), {row['ratio']}x one scoring", flush=True)
    return row


# -- report ----------------------------------------------------------------------------------


def _fmt_s(seconds: float) -> str:
    return f"{seconds * 1e3:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _fmt_us(us: float) -> str:
    return f"{us / 1e3:.1f} ms" if us >= 1000 else f"{us:.0f} µs"


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**missed**")


def markdown(report: dict) -> str:
    env = report["environment"]
    lines = [
        f"Measured {env['date']} on {env['cpus']} CPUs (shared; load average "
        f"{env['load_before']} at start), Python {env['python']}, numpy {env['numpy']}; "
        "medians of alternating repeats, each ratio against a reference run alongside.",
        "",
        "**1. Batch scoring** (`gtmcompass score FILE --format json` against a process that "
        "only parses FILE with `tomllib`):",
        "",
        "| profiles | file | score | parse only | ratio | per profile | peak memory "
        "(score / parse) | target |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in report["batch"]:
        target = ""
        if r["profiles"] >= 10_000:
            ok = r["ratio"] <= 2.0 and (r["profiles"] < 100_000 or r["score_peak_mb"] < 1024)
            target = ("≤ 2x" + (", < 1 GB" if r["profiles"] >= 100_000 else "")
                      + f": {_verdict(ok)}")
        lines.append(
            f"| {r['profiles']:,} | {r['file_mb']:.1f} MB | {_fmt_s(r['score_s'])} | "
            f"{_fmt_s(r['parse_s'])} | **{r['ratio']:.2f}x** | {_fmt_us(r['score_us_per_profile'])} | "
            f"{r['score_peak_mb']:.0f} / {r['parse_peak_mb']:.0f} MB | {target} |")
    c, one = report["confidence"], report["single"]
    lines += [
        "",
        "**2-5. Confidence, one profile, the app, flip search:**",
        "",
        "| measurement | gtmcompass | reference | ratio | target |",
        "|---|---:|---:|---:|---|",
        f"| confidence, samples/s | {c['engine_samples_per_s']:,} | per-sample Python loop, "
        f"same draws (same confidence for {c['loop_agrees']} profiles) "
        f"{c['loop_samples_per_s']:,} | {c['engine_vs_loop']:.0f}x | |",
    ]
    if "library_samples_per_s" in c:
        lines.append(
            f"| confidence, samples/s | {c['engine_samples_per_s']:,} | {c['library']} SMAA "
            f"loop with its SAW, same draws (same confidence for {c['library_agrees']}) "
            f"{c['library_samples_per_s']:,} | **{c['engine_vs_library']:.0f}x** | ≥ 20x: "
            f"{_verdict(c['engine_vs_library'] >= 20)} |")
    else:
        lines.append(f"| confidence against a library | | {c['library']} | | ≥ 20x: n/a |")
    lines.append(
        f"| one profile, score + confidence, in process | {one['score_with_confidence_ms']:.2f} ms"
        f" | | | < 1 ms: {_verdict(one['score_with_confidence_ms'] < 1)} |")
    s = report["startup"]
    if "error" in s:
        lines.append(f"| app start-up, first screen | {s['error']} | | | ≤ 1.3x: n/a |")
    else:
        lines.append(
            f"| app start-up, first screen | {s['gtmcompass_first_frame_ms']['median']:.0f} ms | "
            f"minimal Textual app {s['minimal_first_frame_ms']['median']:.0f} ms | "
            f"**{s['first_frame_ratio']:.2f}x** | ≤ 1.3x: {_verdict(s['first_frame_ratio'] <= 1.3)} |")
    live = report["live"]
    if "error" in live:
        lines.append(f"| live update, edit → results | {live['error']} | | | ≤ 16 ms: n/a |")
    else:
        e = live["edit_to_results_ms"]
        lines.append(
            f"| live update, edit → scores, contributions, confidence | {e['median']:.1f} ms "
            f"(p95 {e['p95']:.1f}) | one frame 16 ms | {e['median'] / 16:.2f} frames | "
            f"≤ 16 ms: {_verdict(e['median'] <= 16)} |")
    f = report["flips"]
    if "error" in f:
        lines.append(f"| flip search, one profile | {f['error']} | | | ≤ 50 ms: n/a |")
    else:
        ms = f["median_ms"]
        lines.append(
            f"| flip search, one profile (worst of the {f['profiles']} examples) | {ms:.1f} ms | "
            f"scoring that profile once {f['score_one_ms']:.2f} ms | {f['ratio']}x | "
            f"≤ 50 ms: {_verdict(ms <= 50)} |")
    return "\n".join(lines) + "\n"


def update_readme(table: str) -> None:
    text = README.read_text("utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"README.md has no {START} ... {END} block to replace")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{table}{END}{tail}", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="skip 100,000 profiles and halve the repeats (about 1 minute)")
    parser.add_argument("--repeats", type=int, default=7, help="repeats of each timing")
    parser.add_argument("--no-readme", action="store_true", help="leave README.md alone")
    args = parser.parse_args(argv)
    repeats = max(3, args.repeats // 2) if args.quick else args.repeats
    sizes = tuple(n for n in SIZES if not (args.quick and n >= 100_000))

    import numpy

    report: dict = {"environment": {
        "date": dt.date.today().isoformat(), "python": platform.python_version(),
        "numpy": numpy.__version__, "cpus": os.cpu_count(),
        "load_before": round(os.getloadavg()[0], 2), "quick": args.quick, "repeats": repeats,
    }}
    print("1. batch scoring", flush=True)
    report["batch"] = bench_batch(sizes, repeats)
    print("2. confidence", flush=True)
    report["confidence"] = bench_confidence(repeats)
    report["single"] = bench_single(repeats)
    print("3. app start-up", flush=True)
    report["startup"] = bench_startup(5 if args.quick else 11)
    print("4. live update", flush=True)
    report["live"] = bench_live(60 if args.quick else 200)
    print("5. flip search", flush=True)
    report["flips"] = bench_flip_search(repeats)
    report["environment"]["load_after"] = round(os.getloadavg()[0], 2)

    table = markdown(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n",
                                         "utf-8")
    (RESULTS / "latest.md").write_text(table, "utf-8")
    if not args.no_readme:
        update_readme(table)
    print()
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
