"""The decision tools' data, typed: levers (``data/levers.toml``) and moves (``data/actions.toml``).

Levers say which profile fields flip search may change, over which values, how a change is
measured and how it is put in words. Actions are the moves the articles support for each gap
and red flag, with their evidence and the profile changes they imply. Both files are checked
against the criteria catalogue and the evidence list when first loaded, so a typo in a field,
criterion, flag or fact id fails at once with its name.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from gtmcompass.model.catalogue import Catalogue, load_catalogue, load_evidence
from gtmcompass.model.profile import QUALIFICATIONS
from gtmcompass.scoring.features import CATEGORIES, PLAYS, RAW_COLUMNS, SIDES
from gtmcompass.vocab.schema import paths

FactId = Annotated[str, Field(pattern=r"^[AB]\d{1,2}$")]
# Fields whose values are numbers in the profile (the rest are categories, booleans or sets).
NUMERIC_FIELDS = frozenset(paths("int", "float"))
INTEGER_FIELDS = frozenset(paths("int"))
BOOLEAN_FIELDS = frozenset(paths("bool"))
QUALIFICATIONS_FIELD = "compliance.qualifications"


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Lever(_Data):
    """One searchable profile field (see the header of ``data/levers.toml``)."""

    field: str
    kind: Literal["lever", "structural", "fixed"]
    grid: Literal["delta", "nice", "choices"]
    distance: Literal["linear", "log", "steps", "switch"]
    lo: float | None = None
    hi: float | None = None
    unit: float | None = None
    ref: float | None = None
    money: bool = False
    money_units: bool = False
    users: bool = False
    share: bool = False
    per_month: bool = False
    # The way a founder would move the field (see data/levers.toml); only that way is a move.
    direction: Literal["up", "down", "either"] = "either"
    zero: bool = True
    en: str
    zh: str
    more_en: str | None = None
    fewer_en: str | None = None
    more_zh: str | None = None
    fewer_zh: str | None = None
    more_one_en: str | None = None
    fewer_one_en: str | None = None
    true_en: str | None = None
    false_en: str | None = None
    true_zh: str | None = None
    false_zh: str | None = None

    @property
    def only_up(self) -> bool:
        return self.direction == "up"

    @property
    def movable(self) -> bool:
        """A move a founder makes (hire, raise, cut...), not a pivot or a fact."""
        return self.kind == "lever"

    def allows(self, old: float | None, new: float) -> bool:
        """Whether ``old`` -> ``new`` (numbers or level indices) goes the lever's way; an
        unknown figure may be stated at any value."""
        if old is None or self.direction == "either" or not self.movable:
            return True
        return new > old if self.direction == "up" else new < old

    def text(self, key: str, lang: str) -> str | None:
        return getattr(self, f"{key}_{lang}")

    def count_text(self, step: int, lang: str) -> str | None:
        """The more/fewer template for a step of ``step`` (singular forms where English has them)."""
        key = "more" if step > 0 else "fewer"
        one = getattr(self, f"{key}_one_{lang}", None) if abs(step) == 1 else None
        return one or self.text(key, lang)


class Label(_Data):
    en: str
    zh: str


class Labels(_Data):
    plays: dict[str, Label]
    sides: dict[str, Label]
    values: dict[str, Label]
    qualifications: dict[str, Label]


class Levers(_Data):
    version: str
    lever: tuple[Lever, ...]
    labels: Labels

    def by_field(self, field: str) -> Lever:
        return next(lv for lv in self.lever if lv.field == field)


class ChangeSpec(_Data):
    """A profile change a move implies (ops in the header of ``data/actions.toml``)."""

    field: str
    op: Literal["step", "at_least", "set", "runway_at_least", "ltv_cac_at_least"]
    value: float | int | bool | str | None = None


class Action(_Data):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    criteria: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    plays: tuple[str, ...] = ()
    evidence: tuple[FactId, ...] = Field(min_length=1)
    en: str
    zh: str
    changes: tuple[ChangeSpec, ...] = ()

    def applies_to(self, play: str) -> bool:
        return not self.plays or play in self.plays


class Playbook(_Data):
    version: str
    action: tuple[Action, ...]

    def for_criterion(self, criterion: str, play: str) -> Action | None:
        return next((a for a in self.action if criterion in a.criteria and a.applies_to(play)),
                    None)

    def for_flag(self, flag: str, play: str) -> Action | None:
        return next((a for a in self.action if flag in a.flags and a.applies_to(play)), None)


def _read(name: str) -> dict:
    path = resources.files("gtmcompass").joinpath("data").joinpath(name)
    return tomllib.loads(path.read_text("utf-8"))


def check_levers(levers: Levers) -> list[str]:
    """Problems with the levers data, each naming what is wrong; empty when it is sound."""
    problems = []
    seen = set()
    for lv in levers.lever:
        if lv.field not in RAW_COLUMNS:
            problems.append(f"lever {lv.field}: not a profile field")
        if lv.field in seen:
            problems.append(f"lever {lv.field}: listed twice")
        seen.add(lv.field)
        numeric = lv.field in NUMERIC_FIELDS
        if numeric == (lv.grid == "choices"):
            problems.append(f"lever {lv.field}: grid {lv.grid} does not suit the field")
        if lv.grid == "nice" and not (lv.lo and lv.hi and 0 < lv.lo < lv.hi):
            problems.append(f"lever {lv.field}: a nice grid needs 0 < lo < hi")
        if lv.distance in ("linear", "log") and not (lv.ref and lv.ref > 0):
            problems.append(f"lever {lv.field}: {lv.distance} distance needs ref > 0")
        if lv.distance == "log" and not (lv.unit and lv.unit > 0):
            problems.append(f"lever {lv.field}: log distance needs unit > 0")
        if lv.grid == "delta" and not (lv.more_en and lv.more_zh):
            problems.append(f"lever {lv.field}: a delta grid needs more texts")
        if lv.kind == "lever" and lv.direction == "either":
            problems.append(f"lever {lv.field}: a move needs a direction (up or down)")
        if lv.grid == "delta" and lv.direction != "up" and not (lv.fewer_en and lv.fewer_zh):
            problems.append(f"lever {lv.field}: a two-way delta grid needs fewer texts")
        if lv.field in BOOLEAN_FIELDS and not all(
                (lv.true_en, lv.false_en, lv.true_zh, lv.false_zh)):
            problems.append(f"lever {lv.field}: a yes/no field needs true/false texts")
    labels = levers.labels
    if set(labels.plays) != set(PLAYS) or set(labels.sides) != set(SIDES):
        problems.append("labels: need every play and side")
    if set(labels.qualifications) != set(QUALIFICATIONS):
        problems.append("labels: need every qualification")
    for field, vocab in CATEGORIES.items():
        if field.startswith(("team.", "sector.", "cloud.", "market.")) and field in seen:
            missing = [v for v in vocab if v not in ("true", "false") and v not in labels.values]
            if missing:
                problems.append(f"labels: no words for {field} values {missing}")
    return problems


def check_playbook(playbook: Playbook, levers: Levers, catalogue: Catalogue) -> list[str]:
    """Problems with the actions data, each naming the action and what is wrong."""
    facts = {f.id for f in load_evidence().fact}
    fields = {lv.field for lv in levers.lever}
    problems = []
    ids = [a.id for a in playbook.action]
    if len(ids) != len(set(ids)):
        problems.append("actions: ids must be unique")
    for a in playbook.action:
        if not a.criteria and not a.flags:
            problems.append(f"action {a.id}: addresses no criterion or flag")
        for cid in a.criteria:
            if cid not in catalogue.criterion_ids:
                problems.append(f"action {a.id}: unknown criterion {cid}")
        for fid in a.flags:
            if fid not in catalogue.flag_ids:
                problems.append(f"action {a.id}: unknown flag {fid}")
        for play in a.plays:
            if play not in PLAYS:
                problems.append(f"action {a.id}: unknown play {play}")
        for fact in a.evidence:
            if fact not in facts:
                problems.append(f"action {a.id}: unknown fact {fact}")
        for spec in a.changes:
            if spec.field not in fields:
                problems.append(f"action {a.id}: {spec.field} is not a lever")
            if spec.op == "step" and not a.criteria:
                problems.append(f"action {a.id}: op step needs a criterion to step along")
            if spec.op != "step" and spec.value is None:
                problems.append(f"action {a.id}: op {spec.op} needs a value")
    return problems


@functools.cache
def load_levers() -> Levers:
    """The shipped levers, validated once per process (ValueError naming every problem)."""
    levers = Levers.model_validate(_read("levers.toml"))
    problems = check_levers(levers)
    if problems:
        raise ValueError("data/levers.toml: " + "; ".join(problems))
    return levers


@functools.cache
def load_playbook() -> Playbook:
    """The shipped moves, validated once per process (ValueError naming every problem)."""
    playbook = Playbook.model_validate(_read("actions.toml"))
    problems = check_playbook(playbook, load_levers(), load_catalogue())
    if problems:
        raise ValueError("data/actions.toml: " + "; ".join(problems))
    return playbook


def play_label(play: str, lang: str = "en") -> str:
    return getattr(load_levers().labels.plays[play], lang)


def side_label(side: str, lang: str = "en") -> str:
    return getattr(load_levers().labels.sides[side], lang)


def value_label(value: str, lang: str = "en") -> str:
    label = load_levers().labels.values.get(value)
    return getattr(label, lang) if label else value


def qualification_label(qualification: str, lang: str = "en") -> str:
    return getattr(load_levers().labels.qualifications[qualification], lang)
