"""The startup profile: the contract of ``shared/profile-format.md`` as pydantic models.

Every key, range and default here is fixed by the contract (schema version 1). The models
are strict: a boolean is never a number, a float is never an integer, and NaN or infinity
is never a value. Optional market figures default to ``None`` which means *unknown*, not
zero; the engine treats unknown inputs with documented priors.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from gtmcompass.vocab.terms import (  # noqa: F401  re-exported: the vocabularies live there
    CURRENCIES,
    DIFFERENTIATIONS,
    LEVELS,
    OFFERINGS,
    QUALIFICATIONS,
    REGIONS,
    VERTICALS,
    Currency,
    Differentiation,
    Level,
    Offering,
    Qualification,
    Region,
    Vertical,
    current_year,
)

from gtmcompass.vocab.schema import COUNT_MAX, MONEY_MAX, PEOPLE_MAX

SCHEMA_VERSION = 1

# Free text is capped so that a hostile file cannot make every later step slow.
NOTES_MAX_CHARS = 20_000

# TOML integers are 64-bit: a larger number is refused as such before any range is checked.
INT64_MAX = 2**63 - 1

# The ranges are the field table's (``vocab.schema``), where the upper bounds are explained.
Money = Annotated[float, Field(ge=0, le=MONEY_MAX)]
Share = Annotated[float, Field(ge=0, le=1)]
Count = Annotated[int, Field(ge=0, le=COUNT_MAX)]
People = Annotated[int, Field(ge=0, le=PEOPLE_MAX)]


class _Section(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, frozen=True)


class Funding(_Section):
    raised: Money
    cash: Money
    monthly_burn: Money


class Team(_Section):
    headcount: Annotated[int, Field(ge=1, le=PEOPLE_MAX)]
    founded_year: Annotated[int, Field(ge=1000, le=9999)]
    commercial_headcount: People
    research_led: bool = False
    enterprise_sales_experience: Level = "none"
    consumer_product_experience: Level = "none"

    @field_validator("founded_year")
    @classmethod
    def _not_in_future(cls, year: int) -> int:
        this_year = current_year()
        if year > this_year:
            raise ValueError(f"a year not in the future (at most {this_year})")
        return year

    @field_validator("commercial_headcount")
    @classmethod
    def _commercial_within_headcount(cls, value: int, info: ValidationInfo) -> int:
        headcount = info.data.get("headcount")
        if headcount is not None and value > headcount:
            raise ValueError(f"a number from 0 to headcount ({headcount})")
        return value


class Sector(_Section):
    vertical: Vertical
    offering: Offering = "model"
    differentiation: Differentiation = "medium"


class Cloud(_Section):
    experience: Level
    private_deployments: Count = 0
    compute_delivery: bool = False


class Compliance(_Section):
    qualifications: tuple[Qualification, ...] = ()

    @field_validator("qualifications", mode="before")
    @classmethod
    def _list_to_tuple(cls, value: object) -> object:
        # TOML gives a list; the frozen model keeps a tuple so profiles stay hashable.
        return tuple(value) if isinstance(value, list) else value

    @field_validator("qualifications")
    @classmethod
    def _no_duplicates(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        seen = {q for q in value if value.count(q) > 1}
        if seen:
            raise ValueError(f"each qualification at most once ({', '.join(sorted(seen))} repeated)")
        return value


class Market(_Section):
    target_region: Region
    monthly_active_users: Count = 0
    d30_retention: Share | None = None
    paying_ratio: Share | None = None
    arpu_monthly: Money | None = None
    cac: Money | None = None
    enterprise_customers: Count = 0
    largest_deal: Money = 0.0
    # Revenue of the last 12 months, millions; None is unknown, which is not zero.
    annual_revenue: Money | None = None


class Profile(_Section):
    schema_version: int
    name: Annotated[str, Field(min_length=1, max_length=120)]
    currency: Currency = "USD"
    notes: Annotated[str, Field(max_length=NOTES_MAX_CHARS)] = ""
    funding: Funding
    team: Team
    sector: Sector
    cloud: Cloud
    compliance: Compliance = Compliance()
    market: Market
    # The day the profile describes; None means "today, when scored". Company age and every
    # date-dependent rule count from it, so a case from 2024 scores as it stood in 2024.
    # Declared after team so its check can see team.founded_year; TOML writes it at the top.
    as_of: dt.date | None = None

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, version: int) -> int:
        if version > SCHEMA_VERSION:
            says = version if version <= INT64_MAX else "a number beyond 64 bits"
            raise ValueError(
                f"schema_version {SCHEMA_VERSION} (this file says {says}, "
                "written by a newer gtmcompass; upgrade to read it)"
            )
        if version < 1:
            raise ValueError(f"schema_version {SCHEMA_VERSION}")
        return version

    @field_validator("as_of", mode="before")
    @classmethod
    def _a_date_not_a_time(cls, value: object) -> object:
        # TOML's datetime is a date subclass; a profile describes a day, not an instant.
        if isinstance(value, dt.datetime):
            raise ValueError("a TOML date (YYYY-MM-DD), not a date and time")
        return value

    @field_validator("as_of")
    @classmethod
    def _as_of_in_the_company_life(cls, day: dt.date | None,
                                   info: ValidationInfo) -> dt.date | None:
        if day is None:
            return day
        today = dt.date.today()
        if day > today:
            raise ValueError(f"a date not in the future (at most {today.isoformat()})")
        team = info.data.get("team")
        if team is not None and day.year < team.founded_year:
            raise ValueError(f"a date on or after 1 January {team.founded_year} "
                             "(team.founded_year)")
        return day


# The contract's keys, section by section: used for did-you-mean hints and templates.
SECTIONS: dict[str, type[_Section]] = {
    "funding": Funding,
    "team": Team,
    "sector": Sector,
    "cloud": Cloud,
    "compliance": Compliance,
    "market": Market,
}


def known_keys(section: str | None) -> tuple[str, ...]:
    """Keys allowed at the top level (``None``) or inside one section."""
    model = Profile if section is None else SECTIONS.get(section)
    return tuple(model.model_fields) if model else ()


def to_document(profile: Profile) -> dict:
    """The profile as a TOML-ready mapping: contract order, unknown values left out."""
    doc = profile.model_dump(mode="python", exclude_none=True)
    doc["compliance"]["qualifications"] = list(profile.compliance.qualifications)
    return doc
