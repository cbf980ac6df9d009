"""``gtmcompass serve`` in headless Chromium: how long a tab takes to show a result, and how
much memory each tab's app process holds.

    python benchmarks/bench_serve.py [--tabs N] [--file PROFILE]

Needs the web extra, Playwright and Debian's Chromium (as tests/web). One server is started
on a free port; N tabs are opened one after another in one browser and kept open. For each:

* **first bytes**: from ``page.goto`` to textual-serve's page marking ``body.-first-byte``
  (the first screen bytes from the app process);
* **first result**: from ``page.goto`` until the screen bytes hold the verdict line
  ("Go To-B", drawn once the core has loaded in a worker and scored the profile);
* **RSS**: the tab's app process's resident memory (``VmRSS``) once its result is drawn.

Prints the medians and every run as JSON, to be pasted into a note; times are wall-clock on
whatever machine runs it, so compare runs on the same machine only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.web import browser
from tests.web.conftest import rss_kib, serving, wait_for


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tabs", type=int, default=5)
    parser.add_argument("--file", default=str(ROOT / "profiles" / "medical-partners.toml"))
    args = parser.parse_args()
    if not browser.available():
        print(f"no Chromium at {browser.CHROMIUM}", file=sys.stderr)
        return 2
    file = Path(args.file).resolve()
    runs = []
    with serving(str(file)) as served, browser.chromium() as chromium:
        context = chromium.new_context(viewport=browser.VIEWPORT)
        for n in range(args.tabs):
            before = set(served.sessions())
            started = time.perf_counter()
            tab = browser.open_tab(context, served.url)
            first_bytes = time.perf_counter() - started
            tab.wait_drawn("Go To-B")
            first_result = time.perf_counter() - started
            pid = wait_for("the new tab's process",
                           lambda before=before: (set(served.sessions()) - before) or None).pop()
            runs.append({"tab": n + 1, "first_bytes_ms": round(first_bytes * 1000),
                         "first_result_ms": round(first_result * 1000),
                         "rss_mib": round(rss_kib(pid) / 1024, 1)})
        server_rss = round(rss_kib(served.process.pid) / 1024, 1)
        context.close()
    summary = {
        "tabs": args.tabs,
        "median_first_bytes_ms": statistics.median(r["first_bytes_ms"] for r in runs),
        "median_first_result_ms": statistics.median(r["first_result_ms"] for r in runs),
        "median_rss_mib_per_tab": statistics.median(r["rss_mib"] for r in runs),
        "server_rss_mib": server_rss,
        "runs": runs,
    }
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
