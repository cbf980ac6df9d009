"""The profile's fields, one table: key path, type, vocabulary, unit, range, group, default.

Everything that lists the contract's fields is built from ``GROUPS``: the app's form
(``tui.form_fields``), the engine's raw columns (``scoring.features.RAW_COLUMNS``), the decision
tools' sets of numeric, integer and boolean fields (``decide.playbook``) and the test
strategies. Which fields flip search may change, and how, is data of its own
(``data/levers.toml``, read by ``decide.playbook``). The ranges here are the contract's
(``shared/profile-format.md``); ``model.profile`` enforces them with pydantic.

No numpy or pydantic: the app builds its first screen from this before the core loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gtmcompass.vocab import terms

Kind = Literal["text", "notes", "float", "int", "date", "choice", "bool", "multi"]
# How a number field's unit is named: money in millions, money per user, or a 0..1 share.
Unit = Literal["", "money", "each", "share"]


@dataclass(frozen=True)
class FieldSpec:
    path: str  # key path in the file: "funding.cash", or "name" at the top level
    kind: Kind
    choices: tuple[str, ...] = ()
    vocab: str = ""  # i18n prefix for choice labels: "level" -> "level.none"
    unit: Unit = ""
    required: bool = False
    default: object = None  # the contract's default, shown as a hint when the box is empty
    minimum: float | None = None  # the contract's range for numbers, both ends included
    maximum: float | None = None

    @property
    def section(self) -> str | None:
        return self.path.split(".")[0] if "." in self.path else None

    @property
    def key(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def widget_id(self) -> str:
        return "f-" + self.path.replace(".", "-")

    @property
    def optional_unknown(self) -> bool:
        """Left out means unknown (not zero): the optional market figures."""
        return not self.required and self.default is None and self.kind == "float"

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "float")


# Upper bounds beyond any real company, so that every figure derived from a profile stays
# finite in every tool: a burn of 2e307 with no cash overflowed the action plan, and a
# headcount of 2**63-1 overflowed its hiring step. Money is in millions: 1e9 million (10**15)
# is about nine times the world's yearly output (about 1.1e8 million dollars in 2024).
MONEY_MAX = 1e9
# People on a team: ten million, five times the largest employer's staff (about 2.1 million).
PEOPLE_MAX = 10_000_000
# Users, customers and deployments: ten billion, more than the world's 8.1 billion people.
COUNT_MAX = 10_000_000_000


def _f(path: str, kind: Kind, **kw: object) -> FieldSpec:
    if kind in ("int", "float") and "minimum" not in kw:
        kw["minimum"] = 0  # counts and money are never negative
    if kw.get("unit") == "share":
        kw["maximum"] = 1
    elif kw.get("unit") in ("money", "each"):
        kw["maximum"] = MONEY_MAX
    elif kind == "int" and "maximum" not in kw:
        kw["maximum"] = COUNT_MAX
    return FieldSpec(path, kind, **kw)  # type: ignore[arg-type]


# (group id, fields) in the order of the contract's file. Name and currency head the form
# as "company"; notes, free text of any length, closes it.
GROUPS: tuple[tuple[str, tuple[FieldSpec, ...]], ...] = (
    ("company", (
        _f("name", "text", required=True),
        _f("currency", "choice", choices=terms.CURRENCIES, vocab="currency", default="USD"),
        # The day the profile describes; empty: the day it is scored.
        _f("as_of", "date"),
    )),
    ("funding", (
        _f("funding.raised", "float", unit="money", required=True),
        _f("funding.cash", "float", unit="money", required=True),
        _f("funding.monthly_burn", "float", unit="money", required=True),
    )),
    ("team", (
        _f("team.headcount", "int", required=True, minimum=1, maximum=PEOPLE_MAX),
        _f("team.founded_year", "int", required=True, minimum=1000, maximum=9999),
        _f("team.commercial_headcount", "int", required=True, maximum=PEOPLE_MAX),
        _f("team.research_led", "bool", default=False),
        _f("team.enterprise_sales_experience", "choice", choices=terms.LEVELS, vocab="level",
           default="none"),
        _f("team.consumer_product_experience", "choice", choices=terms.LEVELS, vocab="level",
           default="none"),
    )),
    ("sector", (
        _f("sector.vertical", "choice", choices=terms.VERTICALS, vocab="vertical", required=True),
        _f("sector.offering", "choice", choices=terms.OFFERINGS, vocab="offering", default="model"),
        _f("sector.differentiation", "choice", choices=terms.DIFFERENTIATIONS, vocab="differentiation",
           default="medium"),
    )),
    ("cloud", (
        _f("cloud.experience", "choice", choices=terms.LEVELS, vocab="level", required=True),
        _f("cloud.private_deployments", "int", default=0),
        _f("cloud.compute_delivery", "bool", default=False),
    )),
    ("compliance", (
        _f("compliance.qualifications", "multi", choices=terms.QUALIFICATIONS, vocab="qualification",
           default=()),
    )),
    ("market", (
        _f("market.target_region", "choice", choices=terms.REGIONS, vocab="region", required=True),
        _f("market.monthly_active_users", "int", default=0),
        _f("market.d30_retention", "float", unit="share"),
        _f("market.paying_ratio", "float", unit="share"),
        _f("market.arpu_monthly", "float", unit="each"),
        _f("market.cac", "float", unit="each"),
        _f("market.enterprise_customers", "int", default=0),
        _f("market.largest_deal", "float", unit="money", default=0.0),
        _f("market.annual_revenue", "float", unit="money"),
    )),
    ("notes", (
        _f("notes", "notes", default=""),
    )),
)

FIELDS: dict[str, FieldSpec] = {spec.path: spec for _, group in GROUPS for spec in group}
# Sections the contract requires even when every key in them is left out.
REQUIRED_SECTIONS = ("funding", "team", "sector", "cloud", "market")


def paths(*kinds: Kind) -> tuple[str, ...]:
    """The key paths of the fields of these kinds, in the file's order."""
    return tuple(path for path, spec in FIELDS.items() if spec.kind in kinds)
