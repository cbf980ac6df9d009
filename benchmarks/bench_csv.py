"""A spreadsheet scores no slower than the same batch in TOML (issue 13).

    .venv/bin/python benchmarks/bench_csv.py [N] [--repeats R]

Makes the batch file of N generated profiles (``make_batch.py``, default 10,000), converts it
with ``gtmcompass convert`` to a ``.csv`` of the same profiles, and times
``gtmcompass score FILE --format json`` on each, alternating (ABBA, as ``run.py`` does) so
both see the same load; medians of R runs (default 7) are compared. Target: the CSV's time
at most the TOML's (ratio <= 1). Writes ``benchmarks/results/csv.json``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import (  # noqa: E402
    MB, RESULTS, ROOT, gtmcompass_cmd, make_batch, median, paired, run_child)


def bench_csv(n: int, repeats: int) -> dict:
    toml = make_batch(n)
    sheet = toml.with_suffix(".csv")
    subprocess.run([*gtmcompass_cmd(), "convert", str(toml), str(sheet), "--force"], cwd=ROOT,
                   capture_output=True, check=True)
    toml_argv = [*gtmcompass_cmd(), "score", str(toml), "--format", "json"]
    csv_argv = [*gtmcompass_cmd(), "score", str(sheet), "--format", "json"]
    run_child(toml_argv)  # warm the file cache and the .pyc files, unmeasured
    run_child(csv_argv)
    toml_s, csv_s = paired(lambda: run_child(toml_argv)[0], lambda: run_child(csv_argv)[0],
                           repeats)
    ratio = median(csv_s) / median(toml_s)
    return {
        "profiles": n, "repeats": repeats,
        "toml_mb": round(toml.stat().st_size / MB, 2),
        "csv_mb": round(sheet.stat().st_size / MB, 2),
        "toml_s": round(median(toml_s), 4), "csv_s": round(median(csv_s), 4),
        "ratio": round(ratio, 3), "target": "csv_s <= toml_s", "met": ratio <= 1.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profiles", type=int, nargs="?", default=10_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    row = bench_csv(args.profiles, args.repeats)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "csv.json").write_text(json.dumps(row, indent=1) + "\n", encoding="utf-8")
    print(f"{row['profiles']:,} profiles: TOML {row['toml_s']:.3f} s ({row['toml_mb']} MB), "
          f"CSV {row['csv_s']:.3f} s ({row['csv_mb']} MB), ratio {row['ratio']:.3f} "
          f"({'met' if row['met'] else 'NOT met'}: at most 1)")
    return 0 if row["met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
