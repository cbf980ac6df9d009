"""Profile fields as levers: candidate values, how big a change is, its words, and applying it.

Flip search and the action plan both speak in :class:`Change` objects: a field, its old and
new value, how the new value applies (``set`` exactly, ``add`` a qualification, or
``at_least``/``at_most`` so moves stack without undoing each other) and the change's size,
normalised as ``data/levers.toml`` describes. :func:`apply_changes` turns changes into a new,
validated :class:`~gtmcompass.model.profile.Profile`, so every reported change can be re-scored.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from gtmcompass.decide.playbook import (
    BOOLEAN_FIELDS,
    INTEGER_FIELDS,
    NUMERIC_FIELDS,
    QUALIFICATIONS_FIELD,
    Lever,
    load_levers,
    qualification_label,
    value_label,
)
from gtmcompass.model.catalogue import Criterion
from gtmcompass.vocab.i18n import field as field_text
from gtmcompass.vocab.i18n import tr
from gtmcompass.model.profile import QUALIFICATIONS, Profile, current_year
from gtmcompass.scoring.features import CATEGORIES, QUALIFICATION_BIT, RAW_COLUMNS
from gtmcompass.vocab.schema import FIELDS, PEOPLE_MAX

# Nice numbers per decade: a flip reads "cash up from 90 M to 150 M", never "to 143.27 M".
NICE_MANTISSAS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)
# Counts are searched one by one up to ten, then in nice steps: "12 more", "25 more".
FINE_STEPS = 10

# Which profile fields each engine feature is computed from (see ``features.from_raw``).
# Two fields interact when a criterion reads a feature both feed; a test checks this map
# against ``from_raw`` by changing each raw column alone.
FEATURE_SOURCES: dict[str, frozenset[str]] = {
    "funding.raised": frozenset({"funding.raised"}),
    "funding.cash": frozenset({"funding.cash"}),
    "funding.monthly_burn": frozenset({"funding.monthly_burn"}),
    "runway_months": frozenset({"funding.cash", "funding.monthly_burn"}),
    "team.headcount": frozenset({"team.headcount"}),
    "team.commercial_headcount": frozenset({"team.commercial_headcount"}),
    "commercial_share": frozenset({"team.headcount", "team.commercial_headcount"}),
    "company_age_years": frozenset({"team.founded_year"}),
    "cloud.private_deployments": frozenset({"cloud.private_deployments"}),
    "market.monthly_active_users": frozenset({"market.monthly_active_users"}),
    "market.d30_retention": frozenset({"market.d30_retention"}),
    "market.paying_ratio": frozenset({"market.paying_ratio"}),
    "market.arpu_monthly": frozenset({"market.arpu_monthly"}),
    "market.cac": frozenset({"market.cac"}),
    "market.enterprise_customers": frozenset({"market.enterprise_customers"}),
    "market.largest_deal": frozenset({"market.largest_deal"}),
    "ltv_cac": frozenset({"market.arpu_monthly", "market.paying_ratio", "market.d30_retention",
                          "market.cac"}),
    "team.research_led": frozenset({"team.research_led"}),
    "team.enterprise_sales_experience": frozenset({"team.enterprise_sales_experience"}),
    "team.consumer_product_experience": frozenset({"team.consumer_product_experience"}),
    "sector.vertical": frozenset({"sector.vertical"}),
    "sector.offering": frozenset({"sector.offering"}),
    "sector.differentiation": frozenset({"sector.differentiation"}),
    "cloud.experience": frozenset({"cloud.experience"}),
    "cloud.compute_delivery": frozenset({"cloud.compute_delivery"}),
    "can_bundle_compute": frozenset({"cloud.compute_delivery", "sector.offering"}),
    "market.target_region": frozenset({"market.target_region"}),
    "market.annual_revenue": frozenset({"market.annual_revenue"}),
    "revenue_cover": frozenset({"market.annual_revenue", "funding.monthly_burn"}),
}

_COLUMN = {name: i for i, name in enumerate(RAW_COLUMNS)}
_HEADCOUNT = _COLUMN["team.headcount"]
_COMMERCIAL = "team.commercial_headcount"
_FOUNDED = "team.founded_year"


def qualification_key(qualification: str) -> str:
    """The lever key of adding one qualification: each is searched as its own field."""
    return f"{QUALIFICATIONS_FIELD}:{qualification}"


def criterion_keys(criterion: Criterion) -> frozenset[str]:
    """The lever keys whose change can move this criterion's value."""
    rule = criterion.rule
    if rule.kind == "constant":
        return frozenset()
    if rule.kind == "count":
        return frozenset(qualification_key(q) for q in rule.members)
    return FEATURE_SOURCES[rule.input]


def nice_values(lo: float, hi: float) -> np.ndarray:
    """Every nice number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k) from lo to hi."""
    out = []
    for k in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1):
        for m in NICE_MANTISSAS:
            v = round(m * 10.0 ** k, 12)
            if lo <= v <= hi:
                out.append(v)
    return np.array(sorted(set(out)))


def nice_steps(limit: float) -> list[int]:
    """Integer steps 1..10, then nice ones, up to ``limit``."""
    steps = list(range(1, min(FINE_STEPS, int(limit)) + 1))
    if limit > FINE_STEPS:
        steps += [int(v) for v in nice_values(FINE_STEPS + 1, limit) if float(v).is_integer()]
    return steps


def get_value(profile: Profile, field: str) -> Any:
    section, key = field.split(".")
    return getattr(getattr(profile, section), key)


def _vocab(field: str) -> tuple[str, ...]:
    return CATEGORIES[field]


def _money_scale(lever: Lever, currency: str, cny_per_usd: float) -> float:
    """Lever bounds are in CNY; a USD profile's values are divided by the rate."""
    if (lever.money or lever.money_units) and currency == "USD":
        return 1.0 / cny_per_usd
    return 1.0


def change_distance(lever: Lever, old: Any, new: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """Normalised size of moving ``old`` to each of ``new`` (see ``data/levers.toml``)."""
    new = np.asarray(new, dtype=float)
    if lever.distance == "switch":
        return np.ones_like(new)
    if lever.distance == "steps":
        vocab = _vocab(lever.field)
        return np.abs(new - vocab.index(old)) / (len(vocab) - 1)
    base = 0.0 if old is None else float(old)
    if lever.distance == "linear":
        return np.abs(new - base) / lever.ref
    unit = lever.unit * scale
    return np.abs(np.log1p(new / unit) - np.log1p(base / unit)) / math.log1p(lever.ref / unit)


@dataclass(frozen=True)
class Change:
    """One change to one profile field.

    ``op`` is ``set`` (the field becomes ``new``), ``add`` (``new`` is a qualification to
    add), ``at_least`` or ``at_most`` (raise or lower to ``new`` unless already past it).
    ``kind`` is the lever's: ``lever``, ``structural`` or ``fixed``; ``distance`` the change's
    normalised size. ``currency`` is the profile's, for putting money in words.
    """

    field: str
    old: Any
    new: Any
    kind: str = "lever"
    distance: float = 0.0
    op: str = "set"
    currency: str = "USD"

    @property
    def key(self) -> str:
        return qualification_key(self.new) if self.op == "add" else self.field

    def describe(self, lang: str = "en") -> str:
        return describe_change(self, lang)

    def to_dict(self, lang: str = "en") -> dict:
        old = list(self.old) if isinstance(self.old, tuple) else self.old
        return {"field": self.field, "op": self.op, "old": old, "new": self.new,
                "kind": self.kind, "distance": round(self.distance, 4),
                "text": self.describe(lang)}


@dataclass
class Candidates:
    """One lever's candidate changes for one profile, as raw-column values for the engine."""

    key: str
    lever: Lever
    changes: list[Change]
    column: int
    raw: np.ndarray  # the column's new value per candidate
    distance: np.ndarray
    headcount: np.ndarray | None = None  # new team.headcount where hiring raises it

    def __len__(self) -> int:
        return len(self.changes)


def _numeric_candidates(lever: Lever, old: Any, scale: float,
                        latest_year: int | None = None) -> np.ndarray:
    field = lever.field
    if lever.grid == "delta":
        old_i = int(old)
        down_limit = lever.ref if field == _FOUNDED else old_i
        values = [old_i + d for d in nice_steps(lever.ref)]
        if lever.direction != "up" or not lever.movable:
            values += [old_i - d for d in nice_steps(down_limit) if old_i - d >= 0]
        if field == _FOUNDED:
            # A company is founded no later than the day it is scored for (its as_of).
            values = [v for v in values if 1000 <= v <= (latest_year or current_year())]
        return np.array(sorted(values), dtype=float)
    values = _nice_grid(lever.lo * scale, lever.hi * scale, lever.zero)
    if lever.share:
        values = values[values <= 1.0]
    if field in INTEGER_FIELDS:
        values = np.unique(np.round(values))
    if old is not None:
        values = values[values != float(old)]
        values = values[[lever.allows(float(old), float(v)) for v in values]] if len(values) else values
    return values[_in_range(field, values)]


def _in_range(field: str, values: np.ndarray) -> np.ndarray:
    """Which values the contract's range for ``field`` holds: a change no file could hold is
    no change a founder can make (a cash target of 3e9 million once failed validation)."""
    spec = FIELDS[field]
    low = -np.inf if spec.minimum is None else spec.minimum
    high = np.inf if spec.maximum is None else spec.maximum
    return (values >= low) & (values <= high)


def _within(field: str, value: float) -> float:
    """``value`` brought into the contract's range for ``field``."""
    spec = FIELDS[field]
    if spec.maximum is not None:
        value = min(value, spec.maximum)
    if spec.minimum is not None:
        value = max(value, spec.minimum)
    return value


@functools.lru_cache(maxsize=256)
def _nice_grid(lo: float, hi: float, zero: bool) -> np.ndarray:
    grid = nice_values(lo, hi)
    grid = np.concatenate([[0.0], grid]) if zero else grid
    grid.setflags(write=False)
    return grid


def candidates_for(profile: Profile, lever: Lever, cny_per_usd: float) -> list[Candidates]:
    """Every candidate change of one lever for ``profile`` (one entry per qualification)."""
    field = lever.field
    old = get_value(profile, field)
    column = _COLUMN[field]
    kind, currency = lever.kind, profile.currency
    if field == QUALIFICATIONS_FIELD:
        held = set(old)
        bits = sum(QUALIFICATION_BIT[q] for q in held)
        out = []
        for q in QUALIFICATIONS:
            if q in held:
                continue
            change = Change(field, old, q, kind, 1.0, "add", currency)
            out.append(Candidates(qualification_key(q), lever, [change], column,
                                  np.array([float(bits | QUALIFICATION_BIT[q])]), np.ones(1)))
        return out
    if field in NUMERIC_FIELDS:
        scale = _money_scale(lever, currency, cny_per_usd)
        latest = profile.as_of.year if profile.as_of is not None else None
        values = _numeric_candidates(lever, old, scale, latest)
        raw = values
        distance = change_distance(lever, old, values, scale)
        typed = [int(v) if field in INTEGER_FIELDS else float(v) for v in values]
    elif field in BOOLEAN_FIELDS:
        typed = [not old] if lever.allows(float(old), float(not old)) else []
        raw = np.array([float(v) for v in typed])
        distance = np.ones(len(typed))
    else:
        vocab = _vocab(field)
        here = vocab.index(old)
        # Levels ordered none < some < strong move only the lever's way.
        typed = [v for i, v in enumerate(vocab) if v != old
                 and (lever.distance != "steps" or lever.allows(here, i))]
        raw = np.array([float(vocab.index(v)) for v in typed])
        distance = change_distance(lever, old, raw)
    changes = [Change(field, old, v, kind, float(d), "set", currency)
               for v, d in zip(typed, distance)]
    headcount = None
    if field == _COMMERCIAL:
        # Hiring commercial staff adds to the headcount; letting them go leaves it (they move).
        headcount = profile.team.headcount + np.maximum(raw - old, 0.0)
        fits = headcount <= PEOPLE_MAX
        changes = [ch for ch, keep in zip(changes, fits) if keep]
        raw, distance, headcount = raw[fits], np.asarray(distance)[fits], headcount[fits]
    return [Candidates(field, lever, changes, column, np.asarray(raw, dtype=float),
                       np.asarray(distance, dtype=float), headcount)]


def all_candidates(profile: Profile, cny_per_usd: float, keys: Iterable[str] | None = None,
                   ) -> list[Candidates]:
    """Candidates for every lever (or only those whose key is in ``keys``)."""
    wanted = None if keys is None else set(keys)
    out = []
    for lever in load_levers().lever:
        for cand in candidates_for(profile, lever, cny_per_usd):
            if len(cand) and (wanted is None or cand.key in wanted):
                out.append(cand)
    return out


# -- applying changes -------------------------------------------------------------------


def _order(field: str, value: Any) -> float:
    """A comparable number for at_least/at_most on numbers and ordered levels."""
    if field in NUMERIC_FIELDS:
        return float(value)
    return float(_vocab(field).index(value))


def _typed(field: str, value: Any) -> Any:
    if field in INTEGER_FIELDS:
        return int(value)
    if field in NUMERIC_FIELDS:
        return float(value)
    return value


def apply_changes(profile: Profile, changes: Sequence[Change]) -> Profile:
    """A new, validated profile with ``changes`` applied in order (the input is unchanged).

    Raises pydantic's ValidationError if the result is not a valid profile, so a change can
    never produce a profile that a file could not hold.
    """
    doc = profile.model_dump(mode="python")
    for ch in changes:
        section, key = ch.field.split(".")
        current = doc[section][key]
        if ch.op == "add":
            held = tuple(doc[section][key])
            doc[section][key] = held if ch.new in held else (*held, ch.new)
            continue
        if ch.op == "set" or current is None:
            new = ch.new
        elif ch.op == "at_least":
            new = ch.new if _order(ch.field, ch.new) > _order(ch.field, current) else current
        elif ch.op == "at_most":
            new = ch.new if _order(ch.field, ch.new) < _order(ch.field, current) else current
        else:
            raise ValueError(f"unknown change op {ch.op!r}")
        if ch.field in NUMERIC_FIELDS:
            new = _within(ch.field, float(new))
        new = _typed(ch.field, new)
        if ch.field == _COMMERCIAL and current is not None and new > current:
            team = doc["team"]
            team["headcount"] = min(PEOPLE_MAX, team["headcount"] + new - current)
            new = min(new, team["headcount"])
        doc[section][key] = new
    return Profile.model_validate(doc)


# -- words --------------------------------------------------------------------------------


def _number(value: float, decimals: int = 3) -> str:
    text = f"{value:,.{decimals}f}".rstrip("0").rstrip(".")
    return text or "0"


def _money_en(v: float, currency: str) -> str:
    return f"{_number(v)} M {currency}"


def _money_zh(v: float, currency: str) -> str:
    # Chinese counts money in 万 (10^4) and 亿 (10^8); profiles hold millions.
    unit = tr(f"value.currency.{currency}", "zh")
    return f"{_number(v / 100)}亿{unit}" if v >= 100 else f"{_number(v * 100)}万{unit}"


def _users_en(v: float) -> str:
    if v >= 1e6:
        return f"{_number(v / 1e6, 2)} M"
    return f"{_number(v / 1e3, 1)} k" if v >= 1e3 else _number(v)


def _users_zh(v: float) -> str:
    if v >= 1e8:
        return f"{_number(v / 1e8, 2)}亿"
    return f"{_number(v / 1e4, 1)}万" if v >= 1e4 else _number(v)


# How each language writes large amounts: its own units, so one function per language.
_MONEY = {"en": _money_en, "zh": _money_zh}
_USERS = {"en": _users_en, "zh": _users_zh}


def format_value(lever: Lever, value: Any, currency: str, lang: str = "en") -> str:
    """A field value in words: money with its unit, shares as percentages, users in M or 万."""
    if value is None:
        return tr("value.unknown", lang)
    field = lever.field
    if field not in NUMERIC_FIELDS:
        return value_label(str(value), lang)
    v = float(value)
    if lever.share:
        return tr("value.percent", lang, n=_number(v * 100, 2))
    if lever.money:
        text = _MONEY[lang](v, currency)
        if lever.per_month:
            text += tr("value.per_month", lang)
        return text
    if lever.money_units:
        return tr("value.money_units", lang, n=_number(v, 2),
                  unit=tr(f"value.currency.{currency}", lang))
    if lever.users:
        return _USERS[lang](v)
    return _number(v)


def describe_change(change: Change, lang: str = "en") -> str:
    """One change as a phrase that completes "With ..." (en) or "若..." (zh)."""
    lever = load_levers().by_field(change.field)
    field, old, new = change.field, change.old, change.new
    label = field_text(lever, lang)
    if change.op == "add":
        return tr("change.obtained", lang, name=qualification_label(new, lang))
    if field in BOOLEAN_FIELDS:
        return lever.text("true" if new else "false", lang)
    if field not in NUMERIC_FIELDS:
        o, n = value_label(old, lang), value_label(new, lang)
        key = "change.steps" if lever.distance == "steps" else "change.category"
        return tr(key, lang, label=label, old=o, new=n)
    if lever.grid == "delta" and old is not None:
        step = int(new) - int(old)
        return lever.count_text(step, lang).format(n=abs(step), new=int(new))
    o = format_value(lever, old, change.currency, lang)
    n = format_value(lever, new, change.currency, lang)
    if old is None:
        return tr("change.from_unknown", lang, label=label, new=n)
    key = "change.up" if float(new) > float(old) else "change.down"
    return tr(key, lang, label=label, old=o, new=n)


def join_phrases(phrases: Sequence[str], lang: str = "en") -> str:
    """"a, b and c" in English, "a，且b，且c" in Chinese."""
    if len(phrases) <= 2:
        return tr("join.pair", lang).join(phrases)
    return tr("join.list", lang).join(phrases[:-1]) + tr("join.pair", lang) + phrases[-1]
