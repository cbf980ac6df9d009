"""Verdicts that can say "not yet": requirements, enough to judge, dates and regions.

Properties hold for every valid profile (hypothesis); the examples pin situations the
articles describe.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gtmcompass.io.files import Entry, load_profile
from gtmcompass.model.catalogue import load_catalogue, load_evidence
from gtmcompass.model.profile import Profile
from gtmcompass.model.template import template_text
from gtmcompass.scoring.engine import BLOCKED, GO, INSUFFICIENT, STATUSES, VERDICTS, Engine
from gtmcompass.scoring.results import score_entries
from gtmcompass.vocab.terms import PLAYS, REGIONS
from tests.strategies import profile_documents

ROOT = Path(__file__).resolve().parents[1]
PROFILES = ROOT / "profiles"
ENGINE = Engine(samples=64)
CATALOGUE = load_catalogue()
EXAMPLES = settings(max_examples=60, deadline=None)


def _profile(doc: dict) -> Profile:
    return Profile.model_validate(doc)


# -- a blank template is never judged ------------------------------------------------------

@EXAMPLES
@given(st.text(min_size=1, max_size=40).filter(lambda s: s.strip() and "\x00" not in s))
def test_a_template_left_at_its_zeros_is_never_go(name):
    doc = tomllib.loads(template_text(name))
    batch = ENGINE.score([_profile(doc)])
    assert VERDICTS[batch.verdict[0]] == "insufficient_data"
    assert batch.confidence[0] == 0.0
    missing = {CATALOGUE.sufficiency[j].id for j in np.flatnonzero(batch.missing[0])}
    assert "money" in missing


@EXAMPLES
@given(profile_documents())
def test_no_money_stated_is_never_judged(doc):
    doc["funding"] = {"raised": 0.0, "cash": 0.0, "monthly_burn": 0.0}
    doc["market"].pop("annual_revenue", None)
    batch = ENGINE.score([_profile(doc)])
    assert batch.verdict[0] == INSUFFICIENT


# -- improving a lever never blocks a play -------------------------------------------------

LEVEL_UP = {"none": "some", "some": "strong", "strong": "strong"}


def _improve(doc: dict, which: int, amount: float) -> dict:
    """``doc`` with one lever moved the way a founder would move it."""
    doc = json.loads(json.dumps(doc, default=str))
    if "as_of" in doc:
        doc["as_of"] = dt.date.fromisoformat(doc["as_of"])
    f, t, c, m = doc["funding"], doc["team"], doc["cloud"], doc["market"]
    moves = [
        lambda: f.update(cash=f["cash"] + amount),
        lambda: f.update(raised=f["raised"] + amount),
        lambda: f.update(monthly_burn=f["monthly_burn"] * 0.5),
        lambda: t.update(commercial_headcount=min(t["headcount"],
                                                  t["commercial_headcount"] + 1)),
        lambda: t.update(enterprise_sales_experience=LEVEL_UP[t["enterprise_sales_experience"]]),
        lambda: t.update(consumer_product_experience=LEVEL_UP[t["consumer_product_experience"]]),
        lambda: c.update(experience=LEVEL_UP[c["experience"]]),
        lambda: c.update(private_deployments=c["private_deployments"] + 1),
        lambda: m.update(enterprise_customers=m["enterprise_customers"] + 1),
        lambda: m.update(monthly_active_users=m["monthly_active_users"] + int(amount) + 1),
        lambda: m.update(annual_revenue=m.get("annual_revenue", 0.0) + amount),
        lambda: m.update(cac=m["cac"] * 0.5) if "cac" in m else None,
        lambda: m.update(arpu_monthly=m["arpu_monthly"] + amount) if "arpu_monthly" in m else None,
        lambda: m.update(d30_retention=min(1.0, m["d30_retention"] + 0.1))
        if "d30_retention" in m else None,
        lambda: m.update(paying_ratio=min(1.0, m["paying_ratio"] + 0.1))
        if "paying_ratio" in m else None,
        lambda: doc["compliance"]["qualifications"].append("mlps3")
        if "mlps3" not in doc["compliance"]["qualifications"] else None,
    ]
    moves[which % len(moves)]()
    return doc


@EXAMPLES
@given(profile_documents(), st.integers(min_value=0, max_value=15),
       st.floats(min_value=0.5, max_value=1000))
def test_improving_a_lever_never_blocks_a_play(doc, which, amount):
    before = ENGINE.score([_profile(doc)])
    after = ENGINE.score([_profile(_improve(doc, which, amount))])
    newly_blocked = (after.status[0] == BLOCKED) & (before.status[0] != BLOCKED)
    assert not newly_blocked.any()


# -- dates -----------------------------------------------------------------------------------

@EXAMPLES
@given(profile_documents(), st.dates(min_value=dt.date(2024, 1, 1),
                                     max_value=dt.date(2040, 12, 31)))
def test_a_result_with_as_of_does_not_depend_on_today(doc, other_today):
    doc.setdefault("as_of", dt.date(doc["team"]["founded_year"], 6, 1))
    profile = _profile(doc)
    today = ENGINE.score([profile])
    later = ENGINE.with_options(as_of=other_today).score([profile])
    for field in ("scores", "verdict", "status", "fails", "confidence", "flags", "as_of"):
        assert np.array_equal(getattr(today, field), getattr(later, field)), field


def test_company_age_counts_from_as_of():
    profile = load_profile(PROFILES / "tender-veteran.toml")
    young = profile.model_copy(update={"as_of": dt.date(profile.team.founded_year, 3, 1)})
    [a], [b] = ENGINE.features([profile]).numeric["company_age_years"], \
        ENGINE.features([young]).numeric["company_age_years"]
    assert a == profile.as_of.year - profile.team.founded_year and b == 0


def test_as_of_option_overrides_every_profile(tmp_path):
    done = subprocess.run([sys.executable, "-m", "gtmcompass", "score", str(PROFILES),
                           "--format", "json", "--as-of", "2025-03-01"],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    results = json.loads(done.stdout)
    assert {r["as_of"] for r in results} == {"2025-03-01"}


def test_a_profile_cannot_describe_a_day_before_its_founding_or_after_today(tmp_path):
    base = (PROFILES / "tender-veteran.toml").read_text("utf-8")
    founded = load_profile(PROFILES / "tender-veteran.toml").team.founded_year
    for day, expected in ((f"{founded - 1}-12-31", "on or after 1 January"),
                          ((dt.date.today() + dt.timedelta(days=1)).isoformat(), "future")):
        path = tmp_path / "p.toml"
        path.write_text(base.replace("as_of = 2024-08-15", f"as_of = {day}"), "utf-8")
        done = subprocess.run([sys.executable, "-m", "gtmcompass", "validate", str(path)],
                              capture_output=True, text=True, cwd=ROOT, check=False)
        assert done.returncode == 1
        assert done.stderr.count("\n") == 1 and "as_of" in done.stderr and expected in done.stderr


# -- regions ---------------------------------------------------------------------------------

REGIONAL = {j for j, c in enumerate(CATALOGUE.criterion)
            if c.regions or c.rule.input == "market.target_region"}


@EXAMPLES
@given(profile_documents(), st.sampled_from(REGIONS))
def test_changing_the_region_moves_only_regional_criteria(doc, region):
    moved = json.loads(json.dumps(doc, default=str))
    moved["market"]["target_region"] = region
    if "as_of" in moved:
        moved["as_of"] = doc["as_of"]
    a = ENGINE.score([_profile(doc)]).values[0]
    b = ENGINE.score([_profile(moved)]).values[0]
    changed = set(np.flatnonzero(a != b).tolist())
    assert changed <= REGIONAL


def test_the_price_war_is_charged_in_full_only_in_china():
    j = CATALOGUE.criterion_ids.index("api_price_floor")
    profile = load_profile(PROFILES / "api-price-war.toml")
    values = {}
    for region in REGIONS:
        market = profile.market.model_copy(update={"target_region": region})
        values[region] = ENGINE.score([profile.model_copy(update={"market": market})]).values[0, j]
    assert values["china"] == 1.0 and values["overseas"] == 0.5 and 0.5 < values["global"] < 1


# -- revenue ---------------------------------------------------------------------------------

def test_revenue_enters_the_score_and_the_flag():
    profile = load_profile(PROFILES / "domestic-chatbot.toml")
    j = CATALOGUE.criterion_ids.index("revenue_vs_burn")
    flag = CATALOGUE.flag_ids.index("burning_without_revenue")
    unknown = ENGINE.score([profile])
    none = ENGINE.score([profile.model_copy(update={"market": profile.market.model_copy(
        update={"annual_revenue": 0.0})})])
    plenty = ENGINE.score([profile.model_copy(update={"market": profile.market.model_copy(
        update={"annual_revenue": 12 * profile.funding.monthly_burn})})])
    # unknown is not zero: it scores between a stated zero and a covered burn
    assert none.values[0, j] < unknown.values[0, j] < plenty.values[0, j] == 1.0
    assert none.flags[0, flag] and not plenty.flags[0, flag] and not unknown.flags[0, flag]


# -- the contract's keys -----------------------------------------------------------------------

REQUIREMENT_IDS = set(CATALOGUE.requirement_ids)


@EXAMPLES
@given(st.lists(profile_documents(), min_size=1, max_size=4))
def test_json_keys_are_always_present_and_well_formed(docs):
    entries = [Entry(source=f"p{i}", profile=_profile(d)) for i, d in enumerate(docs)]
    for r in score_entries(ENGINE, entries):
        assert r["verdict"] in VERDICTS
        assert set(r["status"]) == set(PLAYS) and set(r["status"].values()) <= set(STATUSES)
        assert set(r["blockers"]) == set(PLAYS)
        for play in PLAYS:
            assert set(r["blockers"][play]) <= REQUIREMENT_IDS
            assert (r["status"][play] == "blocked") == bool(r["blockers"][play])
        dt.date.fromisoformat(r["as_of"])
        assert (r["verdict"] == "insufficient_data") == bool(r["missing"])
        if r["verdict"] == "not_yet":
            assert all(r["blockers"][p] for p in PLAYS)
        if r["verdict"] == "go":
            assert not r["blockers"][r["play"]]


def test_every_requirement_cites_facts_that_exist():
    facts = {f.id for f in load_evidence().fact}
    for r in CATALOGUE.requirement:
        assert r.evidence and set(r.evidence) <= facts, r.id
        assert r.rationale_en and r.rationale_zh and r.fix_en and r.fix_zh
    for s in CATALOGUE.sufficiency:
        assert set(s.evidence) <= facts


# -- the examples ------------------------------------------------------------------------------

def _verdict(name: str) -> tuple[str, str]:
    batch = ENGINE.score([load_profile(PROFILES / f"{name}.toml")])
    return VERDICTS[batch.verdict[0]], PLAYS[batch.play[0]]


def test_the_new_examples_say_what_their_situations_are():
    assert _verdict("paid-growth-chatbot")[0] == "not_yet"
    assert _verdict("campus-foundation-models")[0] == "not_yet"
    assert _verdict("funding-headline")[0] == "insufficient_data"


def test_a_young_professor_lab_is_not_told_to_bid_for_tenders():
    verdict, play = _verdict("professor-lab")
    assert verdict == "not_yet"
    batch = ENGINE.score([load_profile(PROFILES / "professor-lab.toml")])
    assert batch.status[0, PLAYS.index("b_private")] == BLOCKED


def test_a_company_losing_money_per_user_is_not_told_to_buy_more_at_home():
    verdict, play = _verdict("domestic-chatbot")
    assert play not in ("c_domestic", "c_overseas")
    assert verdict != "go" or play in ("b_private", "b_api")


def test_every_example_verdict_is_go_for_an_open_play():
    for path in sorted(PROFILES.glob("*.toml")):
        batch = ENGINE.score([load_profile(path)])
        if batch.verdict[0] == GO:
            assert batch.status[0, batch.play[0]] != BLOCKED, path.name


def test_as_of_before_a_companys_founding_is_refused_for_that_profile_alone():
    done = subprocess.run([sys.executable, "-m", "gtmcompass", "score",
                           str(PROFILES / "tender-veteran.toml"),
                           str(PROFILES / "funding-headline.toml"), "--format", "json",
                           "--as-of", "2022-06-01"],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    good, refused = json.loads(done.stdout)
    assert done.returncode == 1
    assert good["as_of"] == "2022-06-01" and "verdict" in good
    assert refused["error"].startswith("as_of: expected --as-of on or after 1 January 2024")
    assert done.stderr.count("\n") == 1
