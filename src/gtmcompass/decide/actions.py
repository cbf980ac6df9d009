"""The action plan: for the recommended play, the gaps that cost it most and the red flags
raised, each with a move the articles support (``data/actions.toml``) and its evidence.

A gap is the points a criterion could give the play and does not: its full share of the
play's weight minus the points it earns. Each move carries the profile changes it implies
(the next breakpoint of the criterion's rule, a qualification to obtain, enough cash for the
payment cycle...), and the plan re-scores the profile with them, so every move shows what it
is worth to the play. Moves are then applied together, best first, each only if it does not
lower the play's score, so the plan as a whole never lowers it (a property test checks this
on generated profiles and weightings).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gtmcompass.decide.levers import (
    Change,
    apply_changes,
    criterion_keys,
    get_value,
    qualification_key,
)
from gtmcompass.decide.playbook import (
    INTEGER_FIELDS,
    NUMERIC_FIELDS,
    QUALIFICATIONS_FIELD,
    Action,
    ChangeSpec,
    load_levers,
    load_playbook,
)
from gtmcompass.model.catalogue import Criterion
from gtmcompass.model.profile import Profile
from gtmcompass.model.wording import text
from gtmcompass.scoring.engine import Engine
from gtmcompass.scoring.features import CATEGORIES, LTV_CAC_CAP, PLAYS, SIDES, SURVIVOR_RETENTION

# Gaps smaller than this many points (of 100) are not worth a move.
MIN_GAP = 0.5
# How many gaps the plan lists by default: enough to act on in one planning cycle.
TOP_GAPS = 5
# Money fields whose `at_least` values in actions.toml are millions of CNY.
_MONEY = frozenset({"funding.raised", "funding.cash", "funding.monthly_burn",
                    "market.largest_deal", "market.annual_revenue"})


@dataclass(frozen=True)
class PlanItem:
    """One gap or red flag, the move for it, and what the move is worth.

    ``gain`` is the change in the recommended play's score when this move alone is made;
    ``applied`` says whether the plan's combined profile includes it (a move that would lower
    the play under the current weights is shown but not applied).
    """

    kind: str  # "gap" or "flag"
    id: str  # criterion or flag id
    label: str
    lost: float  # points the play loses on this criterion (0 for a flag)
    severity: str | None  # a flag's severity
    action: str  # action id, or "" when the playbook has none for this play
    move: str
    evidence: tuple[str, ...]
    changes: tuple[Change, ...]
    gain: float
    applied: bool

    def to_dict(self, lang: str = "en") -> dict:
        return {"kind": self.kind, "id": self.id, "label": self.label,
                "lost": round(self.lost, 2), "severity": self.severity, "action": self.action,
                "move": self.move, "evidence": list(self.evidence),
                "changes": [c.to_dict(lang) for c in self.changes],
                "gain": round(self.gain, 2), "applied": self.applied}


@dataclass(frozen=True)
class ActionPlan:
    play: str
    side: str
    weights: str
    lang: str
    score_before: float
    score_after: float  # with every applied move made together
    items: tuple[PlanItem, ...]
    profile_after: Profile

    @property
    def gaps(self) -> tuple[PlanItem, ...]:
        return tuple(i for i in self.items if i.kind == "gap")

    @property
    def flags(self) -> tuple[PlanItem, ...]:
        return tuple(i for i in self.items if i.kind == "flag")

    def to_dict(self) -> dict:
        return {"play": self.play, "side": self.side, "weights": self.weights,
                "score_before": round(self.score_before, 1),
                "score_after": round(self.score_after, 1),
                "items": [i.to_dict(self.lang) for i in self.items]}


# -- resolving a move's changes against a profile ----------------------------------------------


def _money_factor(profile: Profile, cny_per_usd: float) -> float:
    """Multiply a CNY amount by this to get the profile's currency."""
    return 1.0 / cny_per_usd if profile.currency == "USD" else 1.0


def _next_breakpoint(criterion: Criterion, x: float) -> float | None:
    """The rule's next breakpoint above ``x`` at which the value is higher than at ``x``."""
    xs = [p for p, _ in criterion.rule.points]
    ys = [v for _, v in criterion.rule.points]
    here = float(np.interp(x, xs, ys))
    return next((px for px, py in criterion.rule.points if px > x and py > here), None)


def _round_sig(value: float, up: bool, digits: int = 2) -> float:
    """``value`` rounded outward to two significant figures (1,620 -> 1,700; 0.563 -> 0.56
    down), so a move reads as a round target and still reaches the breakpoint."""
    # Under 1e-9 (of a million: a thousandth of a yuan) nothing is left to round; a denormal
    # burn like 5e-324 would otherwise make the scale 0.
    if value < 1e-9:
        return 0.0
    scale = 10.0 ** (math.floor(math.log10(value)) - digits + 1)
    rounded = (math.ceil if up else math.floor)(round(value / scale, 9)) * scale
    return float(f"{rounded:.{digits}g}") if rounded >= 1 else round(rounded, 12)


def _cash_for_runway(profile: Profile, months: float) -> float | None:
    burn = profile.funding.monthly_burn
    if burn <= 0 or profile.funding.cash / burn >= months:
        return None
    cash = _round_sig(months * burn, up=True)
    if cash <= 0:
        return None
    return cash if cash / burn >= months else _round_sig(cash * 1.01, up=True)


def _lifetime_revenue(engine: Engine, profile: Profile) -> float | None:
    """Revenue per acquired user, as ``features.from_raw`` computes it for ltv_cac."""
    m = profile.market
    if m.arpu_monthly is None:
        return None
    retention = m.d30_retention
    if retention is None:
        retention = engine.assumed.get("market.d30_retention")
    paying = m.paying_ratio if m.paying_ratio is not None else engine.assumed.get(
        "market.paying_ratio")
    if retention is None or paying is None:
        return None
    return m.arpu_monthly * paying * (1.0 + retention / (1.0 - SURVIVOR_RETENTION))


def _cac_for_ltv(engine: Engine, profile: Profile, target: float) -> float | None:
    revenue = _lifetime_revenue(engine, profile)
    cac = profile.market.cac
    if revenue is None or revenue <= 0 or cac is None or target > LTV_CAC_CAP:
        return None
    if cac > 0 and revenue / cac >= target:
        return None
    new = _round_sig(revenue / target, up=False)
    return new if 0 < new < cac and revenue / new >= target else None


def _change(profile: Profile, field: str, new: object, op: str) -> Change:
    lever = load_levers().by_field(field)
    return Change(field, get_value(profile, field), new, lever.kind, 0.0, op, profile.currency)


def _step(engine: Engine, profile: Profile, spec: ChangeSpec, action: Action) -> Change | None:
    field = spec.field
    criterion = next((engine.catalogue.criterion_by_id(c) for c in action.criteria
                      if _reads(engine.catalogue.criterion_by_id(c), field)), None)
    if criterion is None:
        return None
    rule = criterion.rule
    if rule.kind == "count":
        held = set(profile.compliance.qualifications)
        missing = next((q for q in rule.members if q not in held), None)
        return None if missing is None else _change(profile, field, missing, "add")
    if rule.kind == "lookup":
        vocab = CATEGORIES[rule.input]
        current = get_value(profile, field)
        higher = [v for v in vocab[vocab.index(current) + 1:]
                  if rule.table[v] > rule.table[current]]
        return _change(profile, field, higher[0], "at_least") if higher else None
    if rule.kind != "piecewise":
        return None
    features = engine.features([profile])
    x = float(features.numeric[rule.input][0])
    if math.isnan(x):
        x = rule.unknown_as if rule.unknown_as is not None else 0.0
    target = _next_breakpoint(criterion, x)
    if target is None:
        return None
    if rule.input == "runway_months":
        cash = _cash_for_runway(profile, target)
        return None if cash is None else _change(profile, field, cash, "at_least")
    if rule.input == "revenue_cover":
        # The cover is a year's revenue over a year's burn (both in the profile's currency).
        burn = profile.funding.monthly_burn
        # Under 1,000 a year (0.001 M) there is no revenue figure worth stating as a move.
        if field != "market.annual_revenue" or target * 12.0 * burn < 0.001:
            return None
        revenue = _round_sig(target * 12.0 * burn, up=True)
        current = profile.market.annual_revenue
        # A burn so small that the rounded figure reaches no breakpoint has no step to take.
        if revenue <= 0 or revenue < target * 12.0 * burn:
            return None
        return None if current is not None and current >= revenue else _change(
            profile, field, revenue, "at_least")
    if rule.input == "ltv_cac":
        cac = _cac_for_ltv(engine, profile, target)
        return None if cac is None else _change(profile, field, cac, "at_most")
    if field in _MONEY:
        value = _round_sig(target * _money_factor(profile, engine.cny_per_usd), up=True)
    elif field in INTEGER_FIELDS:
        value = math.ceil(target)
    else:
        value = float(target)
    return _change(profile, field, value, "at_least")


def _reads(criterion: Criterion, field: str) -> bool:
    keys = criterion_keys(criterion)
    if field == QUALIFICATIONS_FIELD:
        return any(k.startswith(qualification_key("")) for k in keys)
    return field in keys


def resolve(engine: Engine, profile: Profile, action: Action) -> tuple[Change, ...]:
    """The concrete changes ``action`` implies for ``profile`` (empty if none apply).

    Every change is monotone (``at_least``, ``at_most``, ``add`` or ``set``), so moves can be
    stacked without one undoing another.
    """
    out = []
    for spec in action.changes:
        field, op, value = spec.field, spec.op, spec.value
        change = None
        if op == "step":
            change = _step(engine, profile, spec, action)
        elif op == "set":
            if get_value(profile, field) != value:
                change = _change(profile, field, value, "set")
        elif op == "runway_at_least":
            cash = _cash_for_runway(profile, float(value))
            change = None if cash is None else _change(profile, field, cash, "at_least")
        elif op == "ltv_cac_at_least":
            cac = _cac_for_ltv(engine, profile, float(value))
            change = None if cac is None else _change(profile, field, cac, "at_most")
        elif op == "at_least":
            current = get_value(profile, field)
            if field in NUMERIC_FIELDS:
                target = float(value) * (_money_factor(profile, engine.cny_per_usd)
                                         if field in _MONEY else 1.0)
                target = math.ceil(target) if field in INTEGER_FIELDS else target
                if current is None or current < target:
                    change = _change(profile, field, target, "at_least")
            else:
                vocab = CATEGORIES[field]
                if vocab.index(current) < vocab.index(value):
                    change = _change(profile, field, value, "at_least")
        if change is not None:
            out.append(change)
    return tuple(out)


# -- the plan ----------------------------------------------------------------------------------


def action_plan(engine: Engine, profile: Profile, lang: str = "en", top: int = TOP_GAPS,
                ) -> ActionPlan:
    """The action plan for ``profile``'s recommended play, in ``lang`` ("en" or "zh").

    Lists the ``top`` criteria on which the play loses most points (at least ``MIN_GAP``) and
    every red flag raised, each with its move, evidence, implied changes and the score the
    move alone is worth. ``score_after`` and ``profile_after`` combine every move that does
    not lower the play, so ``score_after >= score_before`` always.
    """
    playbook = load_playbook()
    batch = engine.score([profile], confidence=False)
    p = int(batch.play[0])
    play = PLAYS[p]
    full = 100.0 * engine.share[p]
    lost = full - batch.points[0, p]
    order = [j for j in np.argsort(-lost, kind="stable") if full[j] > 0 and lost[j] >= MIN_GAP]

    drafts: list[tuple[str, str, str, float, str | None, Action | None, tuple[str, ...]]] = []
    for j in order[:top]:
        c = engine.criteria[j]
        drafts.append(("gap", c.id, text(c, lang), float(lost[j]), None,
                       playbook.for_criterion(c.id, play), c.evidence))
    raised = [engine.flags[k] for k in np.flatnonzero(batch.flags[0])]
    raised.sort(key=lambda f: f.severity != "high")  # stable: high first, catalogue order
    for f in raised:
        drafts.append(("flag", f.id, text(f, lang), 0.0, f.severity,
                       playbook.for_flag(f.id, play), f.evidence))

    changes = [resolve(engine, profile, a) if a else () for *_, a, _ in drafts]
    trials = [apply_changes(profile, ch) for ch in changes]
    scores = engine.score([profile, *trials], confidence=False).scores[:, p]
    before = float(scores[0])
    gains = scores[1:] - before

    # Combine the moves, best first, keeping each only if the play does not lose by it.
    current, current_score = profile, before
    applied = [False] * len(drafts)
    for i in sorted(range(len(drafts)), key=lambda i: -gains[i]):
        if not changes[i] or gains[i] < 0:
            continue
        trial = apply_changes(current, changes[i])
        score = float(engine.score([trial], confidence=False).scores[0, p])
        if score >= current_score:
            current, current_score, applied[i] = trial, score, True

    items = []
    for i, (kind, iid, label, gap, severity, action, evidence) in enumerate(drafts):
        facts = tuple(dict.fromkeys((*evidence, *(action.evidence if action else ()))))
        items.append(PlanItem(
            kind=kind, id=iid, label=label, lost=gap, severity=severity,
            action=action.id if action else "", move=text(action, lang) if action else "",
            evidence=facts, changes=changes[i], gain=float(gains[i]), applied=applied[i],
        ))
    return ActionPlan(play=play, side=SIDES[int(batch.side[0])], weights=engine.weights_name,
                      lang=lang, score_before=before, score_after=current_score,
                      items=tuple(items), profile_after=current)
