"""Deterministic batch files of N valid profiles, for the benchmarks.

``python benchmarks/make_batch.py N [OUT]`` writes ``OUT`` (default
``benchmarks/results/tmp/batch-N.toml``). The same N always gives the same bytes: values come
from ``random.Random(SEED + N)``, so a benchmark run and a rerun score the very same file.

Each profile varies every field the engine reads, uses both currencies, and leaves out each
optional market figure about a third of the time (unknown is scored differently from zero,
so the benchmark exercises both paths). Notes are short text, as in real profiles; a profile
is about 700 bytes, so 100,000 of them make a 70 MB file.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import tomli_w

HERE = Path(__file__).resolve().parent
TMP = HERE / "results" / "tmp"
SEED = 20240805
# Fixed (not current_year()) so the files stay byte-identical across years; founded years are
# at most this, which is never in the future.
YEAR = 2024

LEVELS = ("none", "some", "strong")
VERTICALS = ("finance", "government", "energy", "healthcare", "education", "manufacturing",
             "legal", "retail", "office", "media", "gaming", "companionship", "creative", "general")
OFFERINGS = ("model", "application", "compute", "data")
DIFFERENTIATIONS = ("low", "medium", "high")
REGIONS = ("china", "overseas", "global")
QUALIFICATIONS = ("mlps3", "iso27001", "xinchuang", "genai_filing", "soc2", "gdpr")


def profile_document(rng: random.Random, i: int) -> dict:
    headcount = rng.randint(3, 2000)
    market: dict = {
        "target_region": rng.choice(REGIONS),
        "monthly_active_users": rng.choice((0, rng.randint(0, 50_000_000))),
        "enterprise_customers": rng.randint(0, 300),
        "largest_deal": round(rng.uniform(0, 60), 2),
    }
    for key, value in (("d30_retention", round(rng.uniform(0, 0.6), 3)),
                       ("paying_ratio", round(rng.uniform(0, 0.1), 4)),
                       ("arpu_monthly", round(rng.uniform(1, 200), 2)),
                       ("cac", round(rng.uniform(0, 120), 2))):
        if rng.random() > 1 / 3:
            market[key] = value
    return {
        "schema_version": 1,
        "name": f"Bench Startup {i:06d}",
        "currency": rng.choice(("CNY", "USD")),
        "notes": rng.choice(("", "Generated for benchmarks.", "研究团队，生成于基准测试。")),
        "funding": {"raised": round(rng.uniform(0, 3000), 1), "cash": round(rng.uniform(0, 900), 1),
                    "monthly_burn": round(rng.choice((0.0, rng.uniform(0, 60))), 2)},
        "team": {
            "headcount": headcount,
            "founded_year": rng.randint(2005, YEAR),
            "commercial_headcount": rng.randint(0, headcount),
            "research_led": rng.random() < 0.3,
            "enterprise_sales_experience": rng.choice(LEVELS),
            "consumer_product_experience": rng.choice(LEVELS),
        },
        "sector": {"vertical": rng.choice(VERTICALS), "offering": rng.choice(OFFERINGS),
                   "differentiation": rng.choice(DIFFERENTIATIONS)},
        "cloud": {"experience": rng.choice(LEVELS), "private_deployments": rng.randint(0, 40),
                  "compute_delivery": rng.random() < 0.25},
        "compliance": {"qualifications": rng.sample(QUALIFICATIONS, rng.randint(0, 4))},
        "market": market,
    }


def batch_text(n: int) -> str:
    rng = random.Random(SEED + n)
    return tomli_w.dumps({"profile": [profile_document(rng, i) for i in range(1, n + 1)]})


def batch_file(n: int, folder: Path = TMP) -> Path:
    """The batch file of ``n`` profiles, written once and reused while its bytes match."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"batch-{n}.toml"
    text = batch_text(n)
    if not path.exists() or path.read_text("utf-8") != text:
        path.write_text(text, "utf-8")
    return path


def main(argv: list[str]) -> int:
    if not argv or not argv[0].isdigit():
        print("usage: python benchmarks/make_batch.py N [OUT]", file=sys.stderr)
        return 2
    n = int(argv[0])
    if len(argv) > 1:
        Path(argv[1]).write_text(batch_text(n), "utf-8")
        print(argv[1])
    else:
        print(batch_file(n))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
