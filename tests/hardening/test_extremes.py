"""Every command is total over the ranges it accepts: profiles at the ends of the field table's
ranges, and exchange rates at the ends of ``CNY_PER_USD_RANGE``, give a report, a ranking, a
flip search and an action plan with finite numbers, never an exception.

Before the ranges had upper bounds, valid profiles crashed ``report`` while ``score`` worked:
a burn of 2e307 with no cash, a burn of 5e-324, a headcount of 2**63-1 with no commercial
staff, and ``--cny-per-usd 5e-324``. Values past the bounds are refused like any out-of-range
value, with the whole range in the message.
"""

from __future__ import annotations

import json
import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gtmcompass.cli import main
from gtmcompass.decide.actions import action_plan
from gtmcompass.decide.flips import find_flips
from gtmcompass.model.profile import Profile, to_document
from gtmcompass.render.report import report_text
from gtmcompass.scoring.engine import Engine
from gtmcompass.vocab.schema import FIELDS, MONEY_MAX, PEOPLE_MAX
from gtmcompass.vocab.terms import CNY_PER_USD_RANGE
from tests.hardening.test_properties import extreme_documents

LOW_RATE, HIGH_RATE = CNY_PER_USD_RANGE
ENGINES = {rate: Engine(cny_per_usd=rate) for rate in (LOW_RATE, 7.2, HIGH_RATE)}
extremes = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def no_bad_number(text: str, name: str) -> None:
    """No infinity or NaN printed anywhere but inside the profile's own name."""
    text = text.replace(name, "")
    assert not re.search(r"\b(inf|nan|Infinity|NaN)\b", text, re.IGNORECASE), text[:2000]


@extremes
@given(extreme_documents().map(Profile.model_validate), st.sampled_from(sorted(ENGINES)))
def test_every_decision_tool_is_total_at_the_extremes(profile, rate):
    engine = ENGINES[rate]
    for fmt in ("markdown", "html"):
        no_bad_number(report_text(engine, profile, fmt, "en", "x.toml"), profile.name)
    flips = find_flips(engine, profile)
    for flip in flips.all_flips():
        assert math.isfinite(flip.cost)
        assert all(math.isfinite(s) for s in flip.scores.values())
    plan = action_plan(engine, profile)
    assert plan.score_after >= plan.score_before
    assert math.isfinite(plan.score_after)
    for item in plan.items:
        assert math.isfinite(item.gain)


def edited(tmp_path, **changes) -> str:
    """The example profile with some values replaced, written to a file."""
    import tomli_w

    from tests.conftest import PROFILES
    from gtmcompass.io.files import load_profile

    doc = to_document(load_profile(PROFILES / "medical-partners.toml"))
    for path, value in changes.items():
        section, key = path.split("__")
        doc[section][key] = value
    target = tmp_path / "edge.toml"
    target.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return str(target)


@pytest.mark.parametrize("changes", [
    {"funding__monthly_burn": MONEY_MAX, "funding__cash": 0.0},
    {"funding__monthly_burn": 5e-324},
    {"team__headcount": PEOPLE_MAX, "team__commercial_headcount": 0},
    {"funding__raised": MONEY_MAX, "funding__cash": MONEY_MAX, "market__largest_deal": MONEY_MAX},
], ids=["huge-burn-no-cash", "tiny-burn", "largest-team", "largest-money"])
@pytest.mark.parametrize("rate", [str(LOW_RATE), "7.2", f"{HIGH_RATE:g}"])
def test_report_and_rank_at_the_ends_of_the_ranges(tmp_path, capsys, changes, rate):
    path = edited(tmp_path, **changes)
    for argv in (["report", path, "--format", "markdown"], ["report", path, "--format", "html"],
                 ["rank", path, "--format", "json"], ["score", path, "--format", "json"]):
        assert main([*argv, "--cny-per-usd", rate]) == 0, argv
        out, err = capsys.readouterr()
        assert err == "" and out
        no_bad_number(out, "Medical Partner Models")
    json.loads(out)  # the last command's output, score's JSON, parses


@pytest.mark.parametrize(("path", "value"), [
    ("funding__monthly_burn", 2e307), ("funding__cash", MONEY_MAX * 1.5),
    ("team__headcount", 2**63 - 1), ("market__arpu_monthly", 1e300),
])
def test_past_the_bounds_is_refused_with_the_range(tmp_path, capsys, path, value):
    file = edited(tmp_path, **{path: value})
    assert main(["report", file]) == 1
    out, err = capsys.readouterr()
    key = path.replace("__", ".")
    spec = FIELDS[key]
    [line] = err.strip().splitlines()
    assert out == ""
    assert f"{key}: expected a number from {spec.minimum:,.15g} to {spec.maximum:,.15g}" in line


@pytest.mark.parametrize("rate", ["5e-324", "0.001", "1001", "1e308"])
def test_rates_outside_the_range_are_usage_errors(capsys, rate):
    from tests.conftest import PROFILES

    assert main(["report", str(PROFILES / "game-team-companion.toml"),
                 "--cny-per-usd", rate]) == 2
    _, err = capsys.readouterr()
    assert "expected yuan per dollar from 0.01 to 1000" in err


def test_the_engine_refuses_a_rate_outside_the_range():
    for rate in (5e-324, 1e4, float("nan")):
        with pytest.raises(ValueError, match="cny_per_usd"):
            Engine(cny_per_usd=rate)
