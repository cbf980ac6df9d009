"""The contract's vocabularies and the current year, with nothing heavier than ``typing``.

``profile.py`` builds its pydantic models on these; the terminal app builds its choice
widgets from them before its first frame, when importing pydantic (about 110 ms) would
make the first screen visibly slower.
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal, get_args

Currency = Literal["CNY", "USD"]
Level = Literal["none", "some", "strong"]
Differentiation = Literal["low", "medium", "high"]
Offering = Literal["model", "application", "compute", "data"]
Region = Literal["china", "overseas", "global"]
Vertical = Literal[
    "finance", "government", "energy", "healthcare", "education", "manufacturing", "legal",
    "retail", "office", "media", "gaming", "companionship", "creative", "general",
]
Qualification = Literal["mlps3", "iso27001", "xinchuang", "genai_filing", "soc2", "gdpr"]

# Yuan per dollar that ``--cny-per-usd`` (and the engine) accepts. The rate has stayed between
# about 1.5 (1980) and 8.7 (1994); a hundredfold margin either way keeps every converted amount
# finite (at most MONEY_MAX x 1,000), where 5e-324 once overflowed the decision tools.
CNY_PER_USD_RANGE = (0.01, 1000.0)

# Vocabularies in a fixed order: the engine encodes categories as indices into these.
CURRENCIES: tuple[str, ...] = get_args(Currency)
LEVELS: tuple[str, ...] = get_args(Level)
DIFFERENTIATIONS: tuple[str, ...] = get_args(Differentiation)
OFFERINGS: tuple[str, ...] = get_args(Offering)
REGIONS: tuple[str, ...] = get_args(Region)
VERTICALS: tuple[str, ...] = get_args(Vertical)
QUALIFICATIONS: tuple[str, ...] = get_args(Qualification)


PLAYS: tuple[str, ...] = ("b_private", "b_api", "c_domestic", "c_overseas")
SIDES: tuple[str, ...] = ("to_b", "to_c")
LANGS: tuple[str, ...] = ("en", "zh")
# What ``rank --by`` accepts: the best play's score, one play's, or one side's.
BEST = "best"
RANK_BY: tuple[str, ...] = (BEST, *PLAYS, *SIDES)
BOOL: tuple[str, ...] = ("false", "true")

# Categorical features and their vocabularies (codes are indices into these tuples).
CATEGORIES: dict[str, tuple[str, ...]] = {
    "team.research_led": BOOL,
    "team.enterprise_sales_experience": LEVELS,
    "team.consumer_product_experience": LEVELS,
    "sector.vertical": VERTICALS,
    "sector.offering": OFFERINGS,
    "sector.differentiation": DIFFERENTIATIONS,
    "cloud.experience": LEVELS,
    "cloud.compute_delivery": BOOL,
    "can_bundle_compute": BOOL,
    "market.target_region": REGIONS,
    # Known only after scoring; flags may test them.
    "side": SIDES,
    "play": PLAYS,
}

# Numeric features; money ones are in millions of CNY.
NUMERIC: tuple[str, ...] = (
    "funding.raised", "funding.cash", "funding.monthly_burn", "runway_months",
    "team.headcount", "team.commercial_headcount", "commercial_share", "company_age_years",
    "cloud.private_deployments", "market.monthly_active_users", "market.d30_retention",
    "market.paying_ratio", "market.arpu_monthly", "market.cac", "market.enterprise_customers",
    "market.largest_deal", "ltv_cac", "market.annual_revenue", "revenue_cover",
)
# Numeric features that may be unknown (NaN): rules on them must say what to assume.
NULLABLE: frozenset[str] = frozenset({
    "market.d30_retention", "market.paying_ratio", "market.arpu_monthly", "market.cac", "ltv_cac",
    "market.annual_revenue", "revenue_cover",
})
# The qualification set: rules count members of it, flags test membership.
SET_FEATURE = "compliance.qualifications"


def current_year() -> int:
    return _dt.date.today().year
