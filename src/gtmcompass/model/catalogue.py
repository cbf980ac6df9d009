"""The criteria catalogue, red flags and evidence: TOML data shipped in the package, typed here.

``data/criteria.toml`` holds every criterion (its rule, weights and evidence), every red flag
(its conditions and evidence) and the explanation texts; ``data/evidence.toml`` holds the
facts they cite. Nothing about the judgement lives in code: the engine compiles these models.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from itertools import pairwise
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gtmcompass.model.profile import QUALIFICATIONS
from gtmcompass.vocab.terms import (
    CATEGORIES,
    NULLABLE,
    NUMERIC,
    PLAYS,
    REGIONS,
    SET_FEATURE,
)

FactId = Annotated[str, Field(pattern=r"^[AB]\d{1,2}$")]
Unit = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


class Lookup:
    """``catalogue.criterion_by_id(cid)``: the item of one list field with that id.

    One descriptor for every kind of item (criteria, flags, requirements, families, facts,
    articles), so a lookup is written once; ``_consistent`` checks the ids are unique.
    """

    def __init__(self, field: str) -> None:
        self.field = field

    def __get__(self, obj: object, owner: type | None = None):
        if obj is None:
            return self
        items = getattr(obj, self.field)
        return lambda item_id: next(i for i in items if i.id == item_id)


class Ids:
    """``catalogue.criterion_ids``: the ids of one list field, in the file's order."""

    def __init__(self, field: str) -> None:
        self.field = field

    def __get__(self, obj: object, owner: type | None = None):
        return self if obj is None else tuple(i.id for i in getattr(obj, self.field))


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False,
                              ignored_types=(Lookup, Ids))


class Rule(_Data):
    """Maps one feature to 0..1. Four kinds, each pure data:

    - ``piecewise``: linear between ``points`` (x ascending), flat beyond the ends; a NaN
      (unknown) input is scored as if it were ``unknown_as``.
    - ``lookup``: ``table`` gives a value for every category of the feature.
    - ``count``: how many of ``members`` (qualifications) the profile holds, then ``points``.
    - ``constant``: the same ``value`` for everyone: a market condition all face alike.
    """

    kind: Literal["piecewise", "lookup", "count", "constant"]
    input: str | None = None
    points: tuple[tuple[float, Unit], ...] = ()
    unknown_as: float | None = None
    table: dict[str, Unit] = {}
    members: tuple[str, ...] = ()
    value: Unit | None = None

    @model_validator(mode="after")
    def _complete(self) -> Rule:
        if self.kind == "constant":
            if self.value is None:
                raise ValueError("a constant rule needs 'value'")
            return self
        if self.kind == "piecewise" and self.input not in NUMERIC:
            raise ValueError(f"piecewise input must be one of {', '.join(NUMERIC)}")
        if self.kind == "piecewise" and self.input in NULLABLE and self.unknown_as is None:
            raise ValueError(f"{self.input} may be unknown: say what to assume with unknown_as")
        if self.kind == "lookup":
            vocab = CATEGORIES.get(self.input or "")
            if vocab is None:
                raise ValueError(f"lookup input must be one of {', '.join(CATEGORIES)}")
            if set(self.table) != set(vocab):
                raise ValueError(f"lookup table for {self.input} needs exactly {', '.join(vocab)}")
        if self.kind == "count" and (
            self.input != SET_FEATURE or not set(self.members) <= set(QUALIFICATIONS)
        ):
            raise ValueError(f"count rules count members of {SET_FEATURE}")
        if self.kind in ("piecewise", "count"):
            xs = [x for x, _ in self.points]
            if len(xs) < 2 or any(b <= a for a, b in pairwise(xs)):
                raise ValueError("points need two or more x values in ascending order")
        return self

    def is_monotone_increasing(self) -> bool | None:
        """True/False for ordered rules; None where order has no meaning (lookup, constant)."""
        if self.kind in ("piecewise", "count"):
            return all(b >= a for a, b in pairwise(y for _, y in self.points))
        return None


class Criterion(_Data):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    family: str
    en: str
    zh: str
    rule: Rule
    weights: dict[str, Annotated[float, Field(allow_inf_nan=False)]]
    evidence: tuple[FactId, ...] = Field(min_length=1)
    rationale_en: str
    rationale_zh: str
    # A market condition of one region: how fully it applies to a company by its
    # target_region (1 fully, 0 not at all). Where it applies less, the value is pulled
    # toward the neutral 0.5: the articles say nothing about that market, so it neither
    # helps nor hurts there. Empty: the criterion is about the company, not a region.
    regions: dict[str, Unit] = {}

    @field_validator("regions")
    @classmethod
    def _all_regions(cls, regions: dict[str, float]) -> dict[str, float]:
        if regions and set(regions) != set(REGIONS):
            raise ValueError(f"regions needs exactly {', '.join(REGIONS)}")
        return regions

    @field_validator("weights")
    @classmethod
    def _known_plays(cls, weights: dict[str, float]) -> dict[str, float]:
        unknown = set(weights) - set(PLAYS)
        if unknown:
            raise ValueError(f"weights name unknown plays {sorted(unknown)}; plays are {PLAYS}")
        return {play: float(weights.get(play, 0.0)) for play in PLAYS}


class Condition(_Data):
    """One test on a feature. Numeric tests on an unknown (NaN) value are false."""

    feature: str
    below: float | None = None
    at_most: float | None = None
    at_least: float | None = None
    above: float | None = None
    is_: tuple[str, ...] = Field(default=(), alias="is")
    has: str | None = None
    lacks: tuple[str, ...] = ()
    has_any: tuple[str, ...] = ()  # holds at least one of these qualifications
    # True: the value is stated (not unknown); False: it is unknown. Only for NULLABLE.
    known: bool | None = None

    @model_validator(mode="after")
    def _valid(self) -> Condition:
        if self.known is not None:
            if self.feature not in NULLABLE:
                raise ValueError(f"'known' tests a value that may be unknown, "
                                 f"not {self.feature}")
            return self
        if self.feature == SET_FEATURE:
            if self.has is None and not self.lacks and not self.has_any:
                raise ValueError(f"a test on {SET_FEATURE} needs 'has', 'has_any' or 'lacks'")
            named = {self.has} - {None} | set(self.lacks) | set(self.has_any)
            if not named <= set(QUALIFICATIONS):
                raise ValueError(f"unknown qualification in {sorted(named)}")
        elif self.feature in CATEGORIES:
            if not self.is_ or not set(self.is_) <= set(CATEGORIES[self.feature]):
                raise ValueError(f"'is' must list values of {self.feature}")
        elif self.feature in NUMERIC:
            if all(v is None for v in (self.below, self.at_most, self.at_least, self.above)):
                raise ValueError("a numeric test needs below, at_most, at_least or above")
        else:
            raise ValueError(f"unknown feature '{self.feature}'")
        return self


class Flag(_Data):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    en: str
    zh: str
    severity: Literal["high", "warning"]
    evidence: tuple[FactId, ...] = Field(min_length=1)
    rationale_en: str
    rationale_zh: str
    # Raised when every ``when`` test holds and, if ``when_any`` is given, at least one of those.
    when: tuple[Condition, ...] = Field(min_length=1)
    when_any: tuple[Condition, ...] = ()


class Requirement(_Data):
    """A gate, not a trade-off: while it holds, the plays it ``gates`` cannot be pursued.

    Scores still rank the plays; a requirement only decides ``status`` and ``blockers``. A
    ``partner_route`` requirement can also be met by entering through integrators or partners
    who own the customers (B2, B5), so it blocks less firmly than one with no way around it.
    """

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    en: str
    zh: str
    gates: tuple[str, ...] = Field(min_length=1)
    partner_route: bool = False
    evidence: tuple[FactId, ...] = Field(min_length=1)
    rationale_en: str
    rationale_zh: str
    # What would meet it, in a founder's words.
    fix_en: str
    fix_zh: str
    # It fails (blocks) when every ``when`` test holds and, if given, one ``when_any`` test.
    when: tuple[Condition, ...] = Field(min_length=1)
    when_any: tuple[Condition, ...] = ()

    @model_validator(mode="after")
    def _valid(self) -> Requirement:
        if not set(self.gates) <= set(PLAYS):
            raise ValueError(f"gates names unknown plays; plays are {PLAYS}")
        # A requirement is about the company, never about which play it is scored for.
        if any(c.feature in ("play", "side") for c in (*self.when, *self.when_any)):
            raise ValueError("a requirement cannot test play or side; use gates")
        return self


class Sufficiency(_Data):
    """One kind of fact a verdict needs, stated when any of ``any`` holds.

    ``needed = "always"``: without it nothing can be judged. ``"either"``: the profile must
    state at least one of the groups marked so. ``keys`` are what to fill in when it is not.
    """

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    en: str
    zh: str
    needed: Literal["always", "either"]
    keys: tuple[str, ...] = Field(min_length=1)
    any: tuple[Condition, ...] = Field(min_length=1)
    evidence: tuple[FactId, ...] = Field(min_length=1)


class Family(_Data):
    id: str
    en: str
    zh: str


class Explanation(_Data):
    id: str
    en: str
    zh: str
    evidence: tuple[FactId, ...] = Field(min_length=1)


class Settings(_Data):
    cny_per_usd: Annotated[float, Field(gt=0)]
    confidence_samples: Annotated[int, Field(ge=16, le=100_000)]
    confidence_seed: int
    dirichlet_concentration: Annotated[float, Field(gt=0)]


class Catalogue(_Data):
    version: str
    settings: Settings
    family: tuple[Family, ...]
    criterion: tuple[Criterion, ...]
    flag: tuple[Flag, ...]
    requirement: tuple[Requirement, ...] = ()
    sufficiency: tuple[Sufficiency, ...] = ()
    explanation: tuple[Explanation, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Catalogue:
        families = {f.id for f in self.family}
        ids = ([c.id for c in self.criterion] + [f.id for f in self.flag]
               + [r.id for r in self.requirement] + [s.id for s in self.sufficiency])
        if len(ids) != len(set(ids)):
            raise ValueError("criterion, flag, requirement and sufficiency ids must be unique")
        for c in self.criterion:
            if c.family not in families:
                raise ValueError(f"criterion {c.id}: unknown family {c.family}")
        for play in PLAYS:
            if not any(c.weights[play] for c in self.criterion):
                raise ValueError(f"no criterion weighs play {play}")
        return self

    criterion_ids = Ids("criterion")
    flag_ids = Ids("flag")
    requirement_ids = Ids("requirement")
    criterion_by_id = Lookup("criterion")
    flag_by_id = Lookup("flag")
    requirement_by_id = Lookup("requirement")
    family_by_id = Lookup("family")

    def cited_facts(self) -> set[str]:
        cited: set[str] = set()
        for item in (*self.criterion, *self.flag, *self.requirement, *self.sufficiency,
                     *self.explanation):
            cited.update(item.evidence)
        return cited


class Article(_Data):
    id: str
    file: str
    title: str
    title_en: str
    source: str
    date: str


class Fact(_Data):
    id: FactId
    article: str
    en: str
    zh: str
    quote: str


class Evidence(_Data):
    article: tuple[Article, ...]
    fact: tuple[Fact, ...]

    fact_by_id = Lookup("fact")
    article_by_id = Lookup("article")


def _read_data(name: str) -> dict:
    return tomllib.loads(resources.files("gtmcompass").joinpath("data").joinpath(name).read_text("utf-8"))


@functools.cache
def load_catalogue() -> Catalogue:
    """The shipped catalogue (read and validated once per process)."""
    return Catalogue.model_validate(_read_data("criteria.toml"))


@functools.cache
def load_evidence() -> Evidence:
    return Evidence.model_validate(_read_data("evidence.toml"))
