"""Terminal-app speed: first screen against a minimal Textual app, and edit -> rescore.

    python benchmarks/bench_app.py [--runs N] [--edits N] [--file PROFILE] [--startup-only]

1. **Start-up.** Each app runs in a fresh interpreter under a pseudo-terminal of 120x40
   (``pty.fork``); the clock runs from just before the fork until the terminal output holds a
   marker that is only drawn on the first frame's content: the minimal app's label, and the
   profile's name in gtmcompass's name box. Runs alternate (minimal, gtmcompass, minimal, ...)
   so both see the same machine load; the medians are compared. The minimal app is what the
   issue names: Header, one Label, Footer. gtmcompass runs as the README's command does,
   ``gtmcompass profiles/medical-partners.toml``. The time until the scored result is drawn
   (its "Confidence" line, after the core loads in a worker) is reported too.
2. **Edit -> rescore, in process.** The app runs headless (``App.run_test``) at 120x40;
   digits are typed into the cash field one key at a time, each edit changing the profile.
   For each, the app records the time from the form's change event to the results panel
   having been updated with the new scores, contributions and confidence (validation on the
   main thread, scoring in a worker thread, the hand-back to the UI).
3. **Keypress -> result drawn, through a pseudo-terminal.** As a user types: from writing a
   key to the app's terminal until the new score is in what it draws (``keypress_latency``).
   Target: 50 ms median.

Prints a table and writes ``benchmarks/results/bench_app.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import os
import pty
import select
import signal
import statistics
import struct
import sys
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
COLS, ROWS = 120, 40
TIMEOUT_S = 30.0

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Label

class Minimal(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self):
        yield Header()
        yield Label("MINIMAL-FIRST-FRAME")
        yield Footer()

Minimal().run()
"""


def time_to_markers(argv: list[str], markers: list[bytes]) -> list[float | None]:
    """Seconds from fork until each marker first appears in the pty output."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: a 120x40 terminal, then the app
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        os.environ["TERM"] = "xterm-256color"
        os.environ.pop("TEXTUAL", None)
        # As on a user's machine, compiled bytecode is written and reused; a session that sets
        # PYTHONDONTWRITEBYTECODE would otherwise recompile gtmcompass (not Textual, whose
        # .pyc files came with its install) on every run, about 25 ms.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.chdir(ROOT)
        os.execv(argv[0], argv)
    found: list[float | None] = [None] * len(markers)
    buffer = b""
    try:
        while time.perf_counter() - start < TIMEOUT_S and None in found:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            buffer += chunk
            now = time.perf_counter() - start
            for i, marker in enumerate(markers):
                if found[i] is None and marker in buffer:
                    found[i] = now
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    return found


def startup(runs: int, profile: str) -> dict:
    minimal = [sys.executable, "-c", MINIMAL_APP]
    app = [sys.executable, "-m", "gtmcompass", profile]
    name = _profile_name(profile).encode()
    # One unmeasured run of each fills the OS file cache and writes .pyc files.
    time_to_markers(minimal, [b"MINIMAL-FIRST-FRAME"])
    time_to_markers(app, [name, b"Confidence"])
    minimal_s, first_s, result_s = [], [], []
    for _ in range(runs):
        (m,) = time_to_markers(minimal, [b"MINIMAL-FIRST-FRAME"])
        first, result = time_to_markers(app, [name, b"Confidence"])
        if m is None or first is None or result is None:
            raise SystemExit("a run did not draw its marker within the timeout")
        minimal_s.append(m)
        first_s.append(first)
        result_s.append(result)
    med_min = statistics.median(minimal_s)
    med_first = statistics.median(first_s)
    return {
        "runs": runs,
        "minimal_first_frame_ms": _summary(minimal_s),
        "gtmcompass_first_frame_ms": _summary(first_s),
        "gtmcompass_result_drawn_ms": _summary(result_s),
        "first_frame_ratio": round(med_first / med_min, 3),
        # Launch to the first scored result drawn, against the minimal app's first frame in
        # the same run: a busy machine slows both. On a quiet one the minimal app takes about
        # 390 ms here, so the 1.0 s target is a ratio of about 2.6.
        "result_ratio": round(statistics.median(result_s) / med_min, 3),
    }


def _expected_scores(profile: str, cash_values: list[float], raised: float) -> list[bytes]:
    """The Model API score text the results panel shows for each cash value."""
    sys.path.insert(0, str(ROOT / "src"))
    from gtmcompass.io.files import load_profile
    from gtmcompass.scoring.engine import Engine

    base = load_profile(ROOT / profile)
    engine = Engine()
    out = []
    for cash in cash_values:
        changed = base.model_copy(update={"funding": base.funding.model_copy(
            update={"cash": cash, "raised": raised})})
        out.append(f"{float(engine.score([changed]).scores[0][1]):.1f}".encode())
    return out


def keypress_latency(presses: int, profile: str) -> dict:
    """Through a pseudo-terminal: a key typed into the cash box until its new score is drawn.

    The app is started as a user would; after its first result, Tab moves to the cash box and
    the keys alternate between adding a digit and deleting it (500 -> 5001 -> 500 -> 5002 ...).
    Each key's clock runs from writing it to the terminal until the Model API score the
    engine gives the new cash appears in what the app draws next.
    """
    import tomllib

    cash = float(tomllib.loads((ROOT / profile).read_text("utf-8"))["funding"]["cash"])
    # A digit is added to Raised first, unmeasured, so the profile stays edited ("unsaved" in
    # the title) throughout, as while a founder types; then cash goes 500 -> 5001 -> 500 ...
    text = f"{cash:g}"
    states = []
    for i in range(presses):
        states.append(text + str(i % 9 + 1) if i % 2 == 0 else text)
    raised = float(tomllib.loads((ROOT / profile).read_text("utf-8"))["funding"]["raised"])
    wanted = _expected_scores(profile, [float(s) for s in states], float(f"{raised:g}1"))
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        os.environ["TERM"] = "xterm-256color"
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "gtmcompass", profile])

    def read_until(marker: bytes, since: float) -> float:
        buffer = b""
        while time.perf_counter() - since < TIMEOUT_S:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                buffer += os.read(fd, 1 << 16)
                if marker in buffer:
                    return time.perf_counter() - since
        raise SystemExit(f"timed out waiting for {marker!r}")

    latencies = []
    try:
        read_until(b"Confidence", time.perf_counter())
        time.sleep(0.5)  # the lazily mounted form groups
        # name -> currency -> as of -> raised: End, a digit; then cash, End.
        os.write(fd, b"\t\t\t\x1b[F1\t\x1b[F")
        time.sleep(0.5)
        previous = None
        for i, (state, score) in enumerate(zip(states, wanted)):
            key = state[-1].encode() if i % 2 == 0 else b"\x7f"
            if score == previous:
                # The same score as before is not a visible change: type it unmeasured.
                os.write(fd, key)
                time.sleep(0.2)
                continue
            start = time.perf_counter()
            os.write(fd, key)
            latencies.append(read_until(score, start))
            previous = score
            time.sleep(0.05)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    ms = sorted(s * 1000.0 for s in latencies)
    return {"presses": len(ms), "median_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1), "max_ms": round(ms[-1], 1)}


def _profile_name(profile: str) -> str:
    import tomllib

    return tomllib.loads((ROOT / profile).read_text("utf-8"))["name"]


def _summary(seconds: list[float]) -> dict:
    ms = sorted(s * 1000.0 for s in seconds)
    return {"median": round(statistics.median(ms), 1), "min": round(ms[0], 1),
            "max": round(ms[-1], 1)}


async def _edits(count: int, profile: str) -> dict:
    from gtmcompass.tui.app import CompassApp
    from gtmcompass.tui.form_fields import GROUPS

    app = CompassApp(ROOT / profile)
    engine_ms = []
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        await app.core_ready.wait()
        # Steady state: the core loaded, every lazily mounted group in place, a result shown.
        while app.result is None or len(app.form._groups) < len(GROUPS):
            await pilot.pause(0.01)
        await pilot.pause(0.2)
        cash = app.form.control("funding.cash")
        assert cash is not None
        cash.focus()
        await pilot.press("end")
        app.latencies.clear()
        for i in range(count):
            shown = app._shown_generation
            # Typing a digit then deleting it again: every key is a real change of value.
            await pilot.press(str(i % 9 + 1) if i % 2 == 0 else "backspace")
            while app._shown_generation == shown:
                await asyncio.sleep(0)
            engine_ms.append(app.result.elapsed_ms)
        latencies = list(app.latencies)
    latencies.sort()
    return {
        "edits": len(latencies),
        "edit_to_results_ms": {
            "median": round(statistics.median(latencies), 2),
            "p95": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
            "max": round(latencies[-1], 2),
        },
        "engine_score_ms_median": round(statistics.median(engine_ms), 2),
        "frame_budget_ms": 16.0,
    }


def _print_startup(s: dict) -> None:
    print(f"first frame, median of {s['runs']} runs at {COLS}x{ROWS}:")
    print(f"  minimal Textual app   {s['minimal_first_frame_ms']['median']:7.1f} ms")
    print(f"  gtmcompass            {s['gtmcompass_first_frame_ms']['median']:7.1f} ms"
          f"   ratio {s['first_frame_ratio']:.2f} (limit 1.30)")
    print(f"  gtmcompass result on screen {s['gtmcompass_result_drawn_ms']['median']:7.1f} ms"
          f"   ratio {s['result_ratio']:.2f} to the minimal app's first frame")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="start-up runs of each app")
    parser.add_argument("--edits", type=int, default=200, help="edits typed in process")
    parser.add_argument("--file", default="profiles/medical-partners.toml")
    parser.add_argument("--presses", type=int, default=40, help="keys typed through the pty")
    parser.add_argument("--startup-only", action="store_true",
                        help="measure start-up only (first frame and first result)")
    args = parser.parse_args()
    if args.startup_only:
        s = startup(args.runs, args.file)
        _print_startup(s)
        return
    out = {"startup": startup(args.runs, args.file),
           "rescore": asyncio.run(_edits(args.edits, args.file)),
           "keypress": keypress_latency(args.presses, args.file),
           "python": sys.version.split()[0], "cpus": os.cpu_count()}
    s, r = out["startup"], out["rescore"]
    _print_startup(s)
    e = r["edit_to_results_ms"]
    print(f"edit -> results updated, {r['edits']} edits: median {e['median']:.2f} ms, "
          f"p95 {e['p95']:.2f} ms, max {e['max']:.2f} ms (frame 16 ms); "
          f"engine alone {r['engine_score_ms_median']:.2f} ms")
    k = out["keypress"]
    print(f"keypress -> new result drawn, through a pty, {k['presses']} keys: median "
          f"{k['median_ms']:.1f} ms, p95 {k['p95_ms']:.1f} ms (target: median 50 ms)")
    target = HERE / "results" / "bench_app.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
