"""Hypothesis strategies for valid profile documents and profiles, shared by the test suite."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from gtmcompass.model.profile import (
    DIFFERENTIATIONS,
    LEVELS,
    OFFERINGS,
    QUALIFICATIONS,
    REGIONS,
    VERTICALS,
    Profile,
    current_year,
)

# Zero is what a template holds and what "enough to judge" tests, so it is drawn often.
money = st.one_of(st.just(0.0),
                  st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False))
share = st.floats(min_value=0, max_value=1, allow_nan=False)
unit_money = st.floats(min_value=0, max_value=1e4, allow_nan=False, allow_infinity=False)
counts = st.one_of(st.just(0), st.integers(min_value=0, max_value=10_000))


def _optional(strategy):
    return st.one_of(st.none(), strategy)


@st.composite
def profile_documents(draw) -> dict:
    """A valid profile as the dict a TOML file would parse to (unknowns left out)."""
    headcount = draw(st.integers(min_value=1, max_value=20_000))
    market = {
        "target_region": draw(st.sampled_from(REGIONS)),
        "monthly_active_users": draw(st.integers(min_value=0, max_value=10**9)),
        "enterprise_customers": draw(counts),
        "largest_deal": draw(money),
    }
    for key, strategy in (("d30_retention", share), ("paying_ratio", share),
                          ("arpu_monthly", unit_money), ("cac", unit_money),
                          ("annual_revenue", money)):
        value = draw(_optional(strategy))
        if value is not None:
            market[key] = value
    founded = draw(st.integers(min_value=1990, max_value=current_year()))
    doc = {
        "schema_version": 1,
        "name": draw(st.text(min_size=1, max_size=120).filter(lambda s: "\x00" not in s)),
        "currency": draw(st.sampled_from(["CNY", "USD"])),
        "notes": draw(st.text(max_size=200)),
        "funding": {"raised": draw(money), "cash": draw(money), "monthly_burn": draw(money)},
        "team": {
            "headcount": headcount,
            "founded_year": founded,
            "commercial_headcount": draw(st.integers(min_value=0, max_value=headcount)),
            "research_led": draw(st.booleans()),
            "enterprise_sales_experience": draw(st.sampled_from(LEVELS)),
            "consumer_product_experience": draw(st.sampled_from(LEVELS)),
        },
        "sector": {
            "vertical": draw(st.sampled_from(VERTICALS)),
            "offering": draw(st.sampled_from(OFFERINGS)),
            "differentiation": draw(st.sampled_from(DIFFERENTIATIONS)),
        },
        "cloud": {
            "experience": draw(st.sampled_from(LEVELS)),
            "private_deployments": draw(counts),
            "compute_delivery": draw(st.booleans()),
        },
        "compliance": {
            "qualifications": draw(st.lists(st.sampled_from(QUALIFICATIONS), unique=True)),
        },
        "market": market,
    }
    if draw(st.booleans()):
        doc["as_of"] = draw(st.dates(min_value=dt.date(founded, 1, 1),
                                     max_value=dt.date.today()))
    return doc


def profiles():
    return profile_documents().map(Profile.model_validate)
