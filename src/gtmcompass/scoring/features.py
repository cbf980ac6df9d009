"""From profiles to columns: one numpy array per feature, the only place profiles are unpacked.

Rules in the catalogue name these features. Money is converted to millions of CNY (the
articles' own unit) at one documented rate, so a CNY profile and its USD twin get the same
columns. Unknown optional figures are NaN, never zero.

Derived features, with the reason for each formula:

- ``runway_months`` = cash / monthly_burn; a profitable company (burn 0) counts as
  ``RUNWAY_CAP_MONTHS``, so no rule ever sees infinity.
- ``company_age_years`` = as-of year - founded_year (tenders gate on years since founding, B15).
- ``commercial_share`` = commercial_headcount / headcount.
- ``can_bundle_compute`` = 1 when the company can put compute into a project, either as a
  capability (``cloud.compute_delivery``) or because compute is what it sells (B14).
- ``ltv_cac`` = lifetime revenue per acquired user / cac, where lifetime revenue is
  ``arpu_monthly * paying_ratio * lifetime`` and ``lifetime = 1 + d30_retention / (1 - 0.8)``
  months: every acquired user is active in the first month, the share still active at day 30
  goes on, and those survivors then keep 80 % a month (``SURVIVOR_RETENTION``, a typical
  figure for subscription apps; the articles give none). So D30 of 20 % means two months.
  ARPU and CAC are both in the profile's currency, so the ratio needs no exchange rate. An
  unknown retention or paying ratio takes the value the catalogue assumes for it (``assumed``,
  the rules' ``unknown_as``), so leaving a figure out never scores below stating zero; NaN
  when ARPU or CAC is unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gtmcompass.model.profile import Profile
from gtmcompass.vocab.terms import (  # noqa: F401  re-exported: the engine's column vocabulary
    BOOL,
    CATEGORIES,
    DIFFERENTIATIONS,
    LEVELS,
    NULLABLE,
    NUMERIC,
    OFFERINGS,
    PLAYS,
    QUALIFICATIONS,
    REGIONS,
    SET_FEATURE,
    SIDES,
    VERTICALS,
    current_year,
)

# Documented default; ``--cny-per-usd`` and the catalogue's settings override it. 7.2 is the
# 2024 average central parity rate, the year both articles describe.
DEFAULT_CNY_PER_USD = 7.2
RUNWAY_CAP_MONTHS = 120.0
SURVIVOR_RETENTION = 0.8
LTV_CAC_CAP = 100.0
# Keeps absurd-but-finite inputs (1e300 millions) finite through every product and ratio.
VALUE_CAP = 1e12

_LEVEL = {v: i for i, v in enumerate(LEVELS)}
_DIFF = {v: i for i, v in enumerate(DIFFERENTIATIONS)}
_OFFER = {v: i for i, v in enumerate(OFFERINGS)}
_REGION = {v: i for i, v in enumerate(REGIONS)}
_VERT = {v: i for i, v in enumerate(VERTICALS)}
_QUAL_BIT = {v: 1 << i for i, v in enumerate(QUALIFICATIONS)}
_NAN = float("nan")
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
# A company whose revenue pays for all its burn, or which burns nothing, covers it this many
# times at most: a cap like RUNWAY_CAP_MONTHS keeps rules away from infinity.
REVENUE_COVER_CAP = 10.0


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01: how the ``as_of`` column holds a date."""
    return day.toordinal() - _EPOCH_ORDINAL


def day_from_number(number: float) -> dt.date:
    return dt.date.fromordinal(int(number) + _EPOCH_ORDINAL)


def _opt(value: float | None) -> float:
    return _NAN if value is None else value


def _row(p: Profile) -> tuple:
    f, t, s, c, m = p.funding, p.team, p.sector, p.cloud, p.market
    return (
        p.currency == "USD", f.raised, f.cash, f.monthly_burn, t.headcount,
        t.commercial_headcount, t.founded_year, t.research_led,
        _LEVEL[t.enterprise_sales_experience], _LEVEL[t.consumer_product_experience],
        _VERT[s.vertical], _OFFER[s.offering], _DIFF[s.differentiation],
        _LEVEL[c.experience], c.private_deployments, c.compute_delivery,
        sum(_QUAL_BIT[q] for q in p.compliance.qualifications),
        _REGION[m.target_region], m.monthly_active_users, _opt(m.d30_retention),
        _opt(m.paying_ratio), _opt(m.arpu_monthly), _opt(m.cac), m.enterprise_customers,
        m.largest_deal, _opt(m.annual_revenue),
        _NAN if p.as_of is None else p.as_of.toordinal() - _EPOCH_ORDINAL,
    )


@dataclass
class Features:
    """Columns for a batch of profiles: numeric arrays, category codes, qualification bits."""

    numeric: dict[str, np.ndarray]
    codes: dict[str, np.ndarray]
    qualification_bits: np.ndarray

    def __len__(self) -> int:
        return len(self.qualification_bits)

    def has(self, qualification: str) -> np.ndarray:
        return (self.qualification_bits & _QUAL_BIT[qualification]) != 0

    def count_of(self, members: Sequence[str]) -> np.ndarray:
        return sum((self.has(q).astype(float) for q in members), np.zeros(len(self)))


# The raw columns ``raw_rows`` builds, in order: the profile's own fields as numbers
# (categories as vocabulary indices, qualifications as one bit each), before any unit
# conversion. Flip search (``gtmcompass.decide``) edits these columns and calls ``from_raw``,
# so a changed profile gets exactly the arithmetic a scored one does.
RAW_COLUMNS: tuple[str, ...] = (
    "currency_is_usd", "funding.raised", "funding.cash", "funding.monthly_burn",
    "team.headcount", "team.commercial_headcount", "team.founded_year", "team.research_led",
    "team.enterprise_sales_experience", "team.consumer_product_experience", "sector.vertical",
    "sector.offering", "sector.differentiation", "cloud.experience", "cloud.private_deployments",
    "cloud.compute_delivery", "compliance.qualifications", "market.target_region",
    "market.monthly_active_users", "market.d30_retention", "market.paying_ratio",
    "market.arpu_monthly", "market.cac", "market.enterprise_customers", "market.largest_deal",
    "market.annual_revenue", "as_of",
)
QUALIFICATION_BIT: dict[str, int] = dict(_QUAL_BIT)
ANNUAL_REVENUE = RAW_COLUMNS.index("market.annual_revenue")
AS_OF = RAW_COLUMNS.index("as_of")


def raw_rows(profiles: Sequence[Profile]) -> np.ndarray:
    """(n, len(RAW_COLUMNS)) floats; unknown optional figures are NaN."""
    n = len(profiles)
    return np.array([_row(p) for p in profiles], dtype=float).reshape(n, len(RAW_COLUMNS))


def extract(
    profiles: Sequence[Profile], cny_per_usd: float = DEFAULT_CNY_PER_USD,
    as_of: dt.date | None = None, assumed: dict[str, float] | None = None,
    *, override: bool = False,
) -> Features:
    """Columns for ``profiles``; the only per-profile Python step is reading the fields."""
    return from_raw(raw_rows(profiles), cny_per_usd, as_of, assumed, override=override)


def fill_as_of(raw: np.ndarray, as_of: dt.date | None = None, override: bool = False) -> None:
    """Give every row a day in place: its own ``as_of``, else ``as_of`` (default today).

    With ``override`` every row takes ``as_of`` (``--as-of`` for a whole batch).
    """
    column = raw[:, AS_OF]
    day = day_number(as_of or dt.date.today())
    if override:
        column[:] = day
    else:
        column[np.isnan(column)] = day


def from_raw(
    raw: np.ndarray, cny_per_usd: float = DEFAULT_CNY_PER_USD, as_of: dt.date | None = None,
    assumed: dict[str, float] | None = None, *, override: bool = False,
) -> Features:
    """Features from raw columns (``RAW_COLUMNS`` order), with no per-row Python step.

    Rows whose ``as_of`` is unknown take ``as_of`` (default today); ``override`` gives every
    row ``as_of``. The filled day is kept in ``numeric["as_of"]``, so a result says which day
    it was computed for.
    """
    raw = raw.copy()
    fill_as_of(raw, as_of, override)
    col = dict(enumerate(raw.T))
    days = col[AS_OF]
    year = days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        to_cny = np.where(col[0] > 0, cny_per_usd, 1.0)
        raised, cash, burn = (np.minimum(col[i] * to_cny, VALUE_CAP) for i in (1, 2, 3))
        # Inside errstate like the others: 1.7e308 USD overflowed to inf here and numpy printed
        # a RuntimeWarning on the user's stderr before VALUE_CAP brought it back.
        largest_deal = np.minimum(col[24] * to_cny, VALUE_CAP)
        runway = np.where(burn > 0, cash / np.where(burn > 0, burn, 1.0), RUNWAY_CAP_MONTHS)
        runway = np.minimum(runway, RUNWAY_CAP_MONTHS)
        headcount, commercial = col[4], col[5]
        retention, paying = col[19], col[20]
        assumed = assumed or {}
        filled_retention = np.where(
            np.isnan(retention), assumed.get("market.d30_retention", _NAN), retention)
        filled_paying = np.where(np.isnan(paying), assumed.get("market.paying_ratio", _NAN), paying)
        lifetime = 1.0 + filled_retention / (1.0 - SURVIVOR_RETENTION)
        revenue = np.minimum(col[21], VALUE_CAP) * filled_paying * lifetime
        cac = np.minimum(col[22], VALUE_CAP)
        # Free acquisition (cac 0) is the best ratio there is, unless users bring no revenue.
        free = np.where(revenue > 0, LTV_CAC_CAP, 0.0)
        ratio = np.where(cac > 0, revenue / np.where(cac > 0, cac, 1.0), free)
        known = ~np.isnan(revenue) & ~np.isnan(cac)
        ltv_cac = np.where(known, np.minimum(ratio, LTV_CAC_CAP), _NAN)
        # Revenue against a year of burn (A2, B6: burning with little revenue); NaN when the
        # revenue is unknown, the cap when nothing is burnt.
        annual_revenue = np.minimum(col[ANNUAL_REVENUE] * to_cny, VALUE_CAP)
        yearly_burn = 12.0 * burn
        cover = np.where(yearly_burn > 0, annual_revenue / np.where(yearly_burn > 0,
                                                                      yearly_burn, 1.0),
                         REVENUE_COVER_CAP)
        revenue_cover = np.where(np.isnan(annual_revenue), _NAN,
                                 np.minimum(cover, REVENUE_COVER_CAP))
    numeric = {
        "funding.raised": raised,
        "funding.cash": cash,
        "funding.monthly_burn": burn,
        "runway_months": runway,
        "team.headcount": headcount,
        "team.commercial_headcount": commercial,
        "commercial_share": commercial / headcount,
        "company_age_years": np.maximum(year - col[6], 0.0),
        "cloud.private_deployments": col[14],
        "market.monthly_active_users": col[18],
        "market.d30_retention": retention,
        "market.paying_ratio": paying,
        "market.arpu_monthly": col[21],
        "market.cac": col[22],
        "market.enterprise_customers": col[23],
        "market.largest_deal": largest_deal,
        "ltv_cac": ltv_cac,
        "market.annual_revenue": annual_revenue,
        "revenue_cover": revenue_cover,
        "as_of": days,
    }
    offering = col[11].astype(np.int64)
    compute = col[15].astype(np.int64)
    codes = {
        "team.research_led": col[7].astype(np.int64),
        "team.enterprise_sales_experience": col[8].astype(np.int64),
        "team.consumer_product_experience": col[9].astype(np.int64),
        "sector.vertical": col[10].astype(np.int64),
        "sector.offering": offering,
        "sector.differentiation": col[12].astype(np.int64),
        "cloud.experience": col[13].astype(np.int64),
        "cloud.compute_delivery": compute,
        "can_bundle_compute": (compute | (offering == _OFFER["compute"])).astype(np.int64),
        "market.target_region": col[17].astype(np.int64),
    }
    return Features(numeric, codes, col[16].astype(np.int64))
