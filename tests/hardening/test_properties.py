"""Properties of valid profiles: saving and loading changes nothing, scores are finite and in
range for any valid value (the extremes included), a result depends on nothing but its own
profile, and the same input gives the same bytes in any process."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import warnings

import numpy as np
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from gtmcompass.io.files import Entry, entries_from_bytes, load_profile, save_profile
from gtmcompass.model.profile import (
    DIFFERENTIATIONS,
    LEVELS,
    NOTES_MAX_CHARS,
    OFFERINGS,
    QUALIFICATIONS,
    REGIONS,
    VERTICALS,
    Profile,
    current_year,
    to_document,
)
from gtmcompass.scoring.engine import Engine
from gtmcompass.vocab.schema import COUNT_MAX, MONEY_MAX, PEOPLE_MAX
from gtmcompass.scoring.results import score_entries
from tests.conftest import PROFILES, ROOT
from tests.hardening.conftest import count
from tests.hardening.util import fuzz
from tests.strategies import profile_documents

ENGINE = Engine()

# Any text TOML can hold: every code point but the surrogates, controls and NUL included.
any_text = st.text(st.characters(exclude_categories=("Cs",)))
names = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=120)
# Money and counts anywhere in the field table's ranges, both ends and the tiniest non-zero
# amount (5e-324 once divided by zero in the plan) drawn often.
huge_money = st.one_of(st.sampled_from([0.0, 5e-324, MONEY_MAX]),
                       st.floats(min_value=0, max_value=MONEY_MAX, allow_nan=False))
huge_count = st.one_of(st.sampled_from([0, COUNT_MAX]),
                       st.integers(min_value=0, max_value=COUNT_MAX))
share = st.floats(min_value=0, max_value=1, allow_nan=False)


@st.composite
def extreme_documents(draw) -> dict:
    """Valid profiles anywhere in the contract's ranges, ends included."""
    headcount = draw(st.one_of(st.sampled_from([1, PEOPLE_MAX]),
                               st.integers(min_value=1, max_value=PEOPLE_MAX)))
    market = {
        "target_region": draw(st.sampled_from(REGIONS)),
        "monthly_active_users": draw(huge_count),
        "enterprise_customers": draw(huge_count),
        "largest_deal": draw(huge_money),
    }
    for key, strategy in (("d30_retention", share), ("paying_ratio", share),
                          ("arpu_monthly", huge_money), ("cac", huge_money)):
        value = draw(st.one_of(st.none(), strategy))
        if value is not None:
            market[key] = value
    return {
        "schema_version": 1,
        "name": draw(names),
        "currency": draw(st.sampled_from(["CNY", "USD"])),
        "notes": draw(st.text(st.characters(exclude_categories=("Cs",)), max_size=300)),
        "funding": {"raised": draw(huge_money), "cash": draw(huge_money),
                    "monthly_burn": draw(huge_money)},
        "team": {
            "headcount": headcount,
            "founded_year": draw(st.integers(min_value=1000, max_value=current_year())),
            "commercial_headcount": draw(st.integers(min_value=0, max_value=headcount)),
            "research_led": draw(st.booleans()),
            "enterprise_sales_experience": draw(st.sampled_from(LEVELS)),
            "consumer_product_experience": draw(st.sampled_from(LEVELS)),
        },
        "sector": {"vertical": draw(st.sampled_from(VERTICALS)),
                   "offering": draw(st.sampled_from(OFFERINGS)),
                   "differentiation": draw(st.sampled_from(DIFFERENTIATIONS))},
        "cloud": {"experience": draw(st.sampled_from(LEVELS)),
                  "private_deployments": draw(huge_count),
                  "compute_delivery": draw(st.booleans())},
        "compliance": {"qualifications": draw(st.lists(st.sampled_from(QUALIFICATIONS),
                                                        unique=True))},
        "market": market,
    }


any_profile = st.one_of(profile_documents(), extreme_documents()).map(Profile.model_validate)


# -- save and load --------------------------------------------------------------------------

@fuzz
@given(any_profile, names, any_text.map(lambda s: s[:NOTES_MAX_CHARS]))
def test_save_then_load_is_identity_for_any_name_and_notes(tmp_path_factory, profile, name, notes):
    profile = profile.model_copy(update={"name": name, "notes": notes})
    path = tmp_path_factory.mktemp("rt") / "p.toml"
    count("inputs tried")
    save_profile(profile, path)
    loaded = load_profile(path)
    assert loaded == profile
    assert to_document(loaded) == to_document(profile)
    save_profile(loaded, path)  # and a second round trip writes the same bytes
    assert path.read_text(encoding="utf-8") == tomli_w.dumps(to_document(profile))


def test_the_longest_notes_round_trip(tmp_path):
    profile = load_profile(PROFILES / "tender-veteran.toml")
    notes = ("行\n\t\"'\\" * NOTES_MAX_CHARS)[:NOTES_MAX_CHARS]
    profile = profile.model_copy(update={"notes": notes, "name": "名" * 120})
    save_profile(profile, tmp_path / "p.toml")
    assert load_profile(tmp_path / "p.toml") == profile


@fuzz
@given(st.lists(any_profile, min_size=1, max_size=8))
def test_batch_files_round_trip_in_order(profiles):
    count("inputs tried")
    data = tomli_w.dumps({"profile": [to_document(p) for p in profiles]}).encode()
    entries = entries_from_bytes(data, "b.toml")
    assert [e.source for e in entries] == [f"b.toml#{i}" for i in range(1, len(profiles) + 1)]
    assert [e.profile for e in entries] == profiles


# -- scores -------------------------------------------------------------------------------

@fuzz
@given(st.lists(any_profile, min_size=1, max_size=6))
def test_scores_are_finite_and_in_range_for_any_valid_profile(profiles):
    count("inputs tried", len(profiles))
    with warnings.catch_warnings():
        # numpy's overflow warnings reach the user's stderr; 1.7e308 USD once raised one.
        warnings.simplefilter("error", RuntimeWarning)
        batch = ENGINE.score(profiles)
    assert np.all(np.isfinite(batch.scores)) and np.all(np.isfinite(batch.points))
    assert np.all((batch.scores >= 0) & (batch.scores <= 100))
    assert np.all((batch.confidence >= 0) & (batch.confidence <= 1))
    assert np.allclose(batch.win_share.sum(axis=1), 1.0)
    results = score_entries(ENGINE, [Entry(f"p{i}", p) for i, p in enumerate(profiles)])
    # Strict JSON: NaN or Infinity anywhere would make this raise.
    json.loads(json.dumps(results, allow_nan=False))


def result_without_source(result: dict) -> dict:
    return {k: v for k, v in result.items() if k != "source"}


@settings(max_examples=25, deadline=None)
@given(st.lists(any_profile, min_size=2, max_size=5), st.randoms(use_true_random=False),
       st.integers(0, 2))
def test_results_never_depend_on_order_or_company(profiles, rnd, pad_chunks):
    """Alone, shuffled, or among 2,048+ other profiles (the engine's slice size, so the batch
    is split across engine calls): every published result is the same."""
    count("inputs tried", len(profiles))
    alone = [result_without_source(score_entries(ENGINE, [Entry("x", p)])[0]) for p in profiles]
    order = list(range(len(profiles)))
    rnd.shuffle(order)
    filler = [load_profile(PROFILES / "compute-bidder.toml")] * (2047 * pad_chunks + 3)
    crowd = filler[: len(filler) // 2] + [profiles[i] for i in order] + filler[len(filler) // 2:]
    results = score_entries(ENGINE, [Entry("x", p) for p in crowd])
    start = len(filler) // 2
    for k, i in enumerate(order):
        assert result_without_source(results[start + k]) == alone[i]


def test_the_same_input_gives_the_same_bytes_in_other_processes(tmp_path):
    """Two fresh interpreters with different hash seeds print identical JSON, table and CSV."""
    rng = random.Random(5)
    docs = [to_document(load_profile(path)) for path in sorted(PROFILES.glob("*.toml"))]
    batch = [dict(d, name=f"{d['name']} {i}") for i, d in enumerate(rng.choices(docs, k=300))]
    (tmp_path / "batch.toml").write_text(tomli_w.dumps({"profile": batch}))
    outputs = []
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = []
        for fmt in ("json", "csv", "table"):
            proc = subprocess.run(
                [sys.executable, "-m", "gtmcompass", "score", str(PROFILES), str(tmp_path),
                 "--format", fmt], capture_output=True, cwd=ROOT, env=env, check=False)
            assert proc.returncode == 0, proc.stderr
            run.append(proc.stdout)
        outputs.append(run)
    assert outputs[0] == outputs[1]
    results = json.loads(outputs[0][0])
    count("inputs tried", 2 * len(results))
    assert len(results) == len(docs) + 300
