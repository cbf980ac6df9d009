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
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from gtmcompass.model.profile import Profile
from gtmcompass.vocab.schema import FIELDS, FieldSpec, paths
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

_OFFER = {v: i for i, v in enumerate(OFFERINGS)}
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
# Built from the field table (``vocab.schema``): every number, choice, switch and set in the
# file's order, the currency as a flag first and the day last.
RAW_COLUMNS: tuple[str, ...] = (
    "currency_is_usd",
    *(path for path in paths("float", "int", "bool", "choice", "multi") if path != "currency"),
    "as_of",
)
_C = {name: i for i, name in enumerate(RAW_COLUMNS)}
# Columns that hold a vocabulary index or a switch: features keep them as integer codes.
_CODED = tuple(path for path in paths("bool", "choice") if path != "currency")
QUALIFICATION_BIT: dict[str, int] = dict(_QUAL_BIT)
ANNUAL_REVENUE = RAW_COLUMNS.index("market.annual_revenue")
AS_OF = RAW_COLUMNS.index("as_of")


def _column_encoder(spec: FieldSpec) -> Callable[[tuple], list | tuple]:
    """How one field's values, a column of the batch, become numbers."""
    if spec.kind == "multi":
        return lambda values: [sum(_QUAL_BIT[q] for q in held) for held in values]
    if spec.kind == "choice":
        index = {v: i for i, v in enumerate(spec.choices)}
        return lambda values: list(map(index.__getitem__, values))
    if spec.optional_unknown:
        return lambda values: [_NAN if v is None else v for v in values] if None in values \
            else values
    return lambda values: values  # numbers and switches as they are


# The profile's own fields in ``RAW_COLUMNS`` order between the currency flag and the day.
_READ = operator.attrgetter(*RAW_COLUMNS[1:-1])
_ENCODE = tuple(_column_encoder(FIELDS[path]) for path in RAW_COLUMNS[1:-1])


def raw_rows(profiles: Sequence[Profile]) -> np.ndarray:
    """(n, len(RAW_COLUMNS)) floats; unknown optional figures are NaN."""
    out = np.empty((len(profiles), len(RAW_COLUMNS)))
    if not profiles:
        return out
    out[:, 0] = [p.currency == "USD" for p in profiles]
    # One C-level fetch of every field per profile, then the batch turned into columns.
    for j, (values, encode) in enumerate(zip(zip(*map(_READ, profiles)), _ENCODE), start=1):
        out[:, j] = encode(values)
    out[:, -1] = [_NAN if p.as_of is None else p.as_of.toordinal() - _EPOCH_ORDINAL
                  for p in profiles]
    return out


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
    col = {name: raw[:, i] for name, i in _C.items()}
    days = col["as_of"]
    year = days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        to_cny = np.where(col["currency_is_usd"] > 0, cny_per_usd, 1.0)
        raised, cash, burn = (np.minimum(col[f"funding.{key}"] * to_cny, VALUE_CAP)
                              for key in ("raised", "cash", "monthly_burn"))
        # Inside errstate like the others: 1.7e308 USD overflowed to inf here and numpy printed
        # a RuntimeWarning on the user's stderr before VALUE_CAP brought it back.
        largest_deal = np.minimum(col["market.largest_deal"] * to_cny, VALUE_CAP)
        runway = np.where(burn > 0, cash / np.where(burn > 0, burn, 1.0), RUNWAY_CAP_MONTHS)
        runway = np.minimum(runway, RUNWAY_CAP_MONTHS)
        headcount, commercial = col["team.headcount"], col["team.commercial_headcount"]
        retention, paying = col["market.d30_retention"], col["market.paying_ratio"]
        assumed = assumed or {}
        filled_retention = np.where(
            np.isnan(retention), assumed.get("market.d30_retention", _NAN), retention)
        filled_paying = np.where(np.isnan(paying), assumed.get("market.paying_ratio", _NAN), paying)
        lifetime = 1.0 + filled_retention / (1.0 - SURVIVOR_RETENTION)
        revenue = np.minimum(col["market.arpu_monthly"], VALUE_CAP) * filled_paying * lifetime
        cac = np.minimum(col["market.cac"], VALUE_CAP)
        # Free acquisition (cac 0) is the best ratio there is, unless users bring no revenue.
        free = np.where(revenue > 0, LTV_CAC_CAP, 0.0)
        ratio = np.where(cac > 0, revenue / np.where(cac > 0, cac, 1.0), free)
        known = ~np.isnan(revenue) & ~np.isnan(cac)
        ltv_cac = np.where(known, np.minimum(ratio, LTV_CAC_CAP), _NAN)
        # Revenue against a year of burn (A2, B6: burning with little revenue); NaN when the
        # revenue is unknown, the cap when nothing is burnt.
        annual_revenue = np.minimum(col["market.annual_revenue"] * to_cny, VALUE_CAP)
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
        "company_age_years": np.maximum(year - col["team.founded_year"], 0.0),
        "cloud.private_deployments": col["cloud.private_deployments"],
        "market.monthly_active_users": col["market.monthly_active_users"],
        "market.d30_retention": retention,
        "market.paying_ratio": paying,
        "market.arpu_monthly": col["market.arpu_monthly"],
        "market.cac": col["market.cac"],
        "market.enterprise_customers": col["market.enterprise_customers"],
        "market.largest_deal": largest_deal,
        "ltv_cac": ltv_cac,
        "market.annual_revenue": annual_revenue,
        "revenue_cover": revenue_cover,
        "as_of": days,
    }
    codes = {path: col[path].astype(np.int64) for path in _CODED}
    codes["can_bundle_compute"] = (codes["cloud.compute_delivery"]
                                   | (codes["sector.offering"] == _OFFER["compute"])
                                   ).astype(np.int64)
    return Features(numeric, codes, col["compliance.qualifications"].astype(np.int64))
