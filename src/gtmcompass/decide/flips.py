"""What would flip the verdict: the smallest change to one field, and the best change to two.

For one profile, every lever in ``data/levers.toml`` gets a grid of candidate values over its
allowed range. All single changes, plus every combination of two fields that feed the same
criterion (cash and burn through runway, the four unit-economics figures, two qualifications
counted together, offering and compute delivery), are built as raw feature rows and scored in
one vectorised engine pass. Every other pair is exact without being scored: a play's score is
a sum of per-criterion points and each criterion reads fields of one group only, so the
change two independent fields make together is the sum of the changes each makes alone.

"Smallest" is the summed normalised distance (``data/levers.toml``); ties go to the change
that wins by more. A pair is reported only if neither of its changes wins alone, so it is a
real combination and not a single change plus a passenger. A target "wins" only by more than
``EPS`` points, so a reported flip also holds when the changed profile is re-scored from
scratch (the property tests check exactly that).

Targets: each other play (it becomes the top play) and the other side (its best play
overtakes the current side's best). Flips whose changes are all ``lever`` fields are kept
apart from those that need a ``structural`` or ``fixed`` field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gtmcompass.decide.levers import (
    Candidates,
    Change,
    all_candidates,
    apply_changes,
    criterion_keys,
    join_phrases,
)
from gtmcompass.model.profile import Profile
from gtmcompass.scoring.engine import B_PLAYS, C_PLAYS, Engine, evaluate_rule
from gtmcompass.scoring.features import PLAYS, RAW_COLUMNS, SIDES, raw_rows

# A target must lead by more than this many points (of 100). Sums of two score changes differ
# from a fresh scoring by about 1e-13, so 1e-9 is safe and still far below any rounding shown.
EPS = 1e-9
# Changes that move no play's score by more than this are not combined into pairs.
INERT = 1e-12
_HEADCOUNT = RAW_COLUMNS.index("team.headcount")


def scores_apart(ahead: float, behind: float) -> tuple[str, str]:
    """Two scores with just enough decimals (1 to 4) to show which is ahead."""
    for decimals in range(1, 5):
        a, b = f"{ahead:.{decimals}f}", f"{behind:.{decimals}f}"
        if a != b:
            break
    return a, b


@dataclass(frozen=True)
class Flip:
    """A change (one or two fields) after which ``target`` wins.

    ``scores`` are the four play scores after the change; ``play`` and ``side`` the verdict
    after it; ``current_play``/``current_side`` the verdict before.
    """

    target: str
    target_kind: str  # "play" or "side"
    changes: tuple[Change, ...]
    cost: float
    scores: dict[str, float]
    play: str
    side: str
    current_play: str
    current_side: str

    @property
    def structural(self) -> bool:
        return any(ch.kind != "lever" for ch in self.changes)

    def apply(self, profile: Profile) -> Profile:
        """The profile with this flip's changes made (validated)."""
        return apply_changes(profile, self.changes)

    def describe(self, lang: str = "en") -> str:
        """The flip in plain words, e.g. "With 25 more commercial staff and 3 more delivered
        private deployments, b_private would overtake c_overseas (61.2 against 60.8)."."""
        what = join_phrases([ch.describe(lang) for ch in self.changes], lang)
        if self.target_kind == "play":
            winner, loser = self.target, self.current_play
            ahead, behind = self.scores[winner], self.scores[loser]
        else:
            winner = f"{self.target} ({self.play})"
            loser = f"{self.current_side} ({self.current_play})"
            ahead, behind = self.scores[self.play], self.scores[self.current_play]
        a, b = scores_apart(ahead, behind)
        if lang == "zh":
            return f"若{what}，{winner}将超过{loser}（{a}对{b}）。"
        return f"With {what}, {winner} would overtake {loser} ({a} against {b})."

    def to_dict(self, lang: str = "en") -> dict:
        return {
            "target": self.target, "target_kind": self.target_kind,
            "changes": [ch.to_dict(lang) for ch in self.changes],
            "size": round(self.cost, 4), "scores": {p: round(s, 1) for p, s in self.scores.items()},
            "play": self.play, "side": self.side, "text": self.describe(lang),
        }


@dataclass(frozen=True)
class TargetFlips:
    """The smallest single-field flip and the best two-field flip towards one target."""

    target: str
    target_kind: str
    single: Flip | None
    pair: Flip | None

    def to_dict(self, lang: str = "en") -> dict:
        return {"target": self.target, "target_kind": self.target_kind,
                "single": self.single.to_dict(lang) if self.single else None,
                "pair": self.pair.to_dict(lang) if self.pair else None}


@dataclass(frozen=True)
class FlipReport:
    """Flips for every target: ``levers`` (only fields a startup can pull) and ``structural``
    (needing a pivot or history: sector, offering, market, differentiation, founding year)."""

    play: str
    side: str
    scores: dict[str, float]
    weights: str
    levers: tuple[TargetFlips, ...]
    structural: tuple[TargetFlips, ...]
    evaluated: int = 0  # profiles scored in the engine pass (singles and interacting pairs)
    combined: int = 0  # independent pairs combined without re-scoring
    fields: tuple[str, ...] = field(default=())  # lever keys searched

    def all_flips(self) -> list[Flip]:
        return [f for group in (self.levers, self.structural) for t in group
                for f in (t.single, t.pair) if f is not None]

    def to_dict(self, lang: str = "en") -> dict:
        return {"play": self.play, "side": self.side, "weights": self.weights,
                "levers": [t.to_dict(lang) for t in self.levers],
                "structural": [t.to_dict(lang) for t in self.structural],
                "evaluated": self.evaluated, "combined": self.combined}


@dataclass(frozen=True)
class _Target:
    name: str
    kind: str
    play: int  # for a play target, the play; for a side target, -1
    side: int  # for a side target, the side that must win; for a play target, -1

    def margin(self, ranked: _Planes) -> np.ndarray:
        """How far the target leads (> 0 wins): the play over every other play, or the
        side's best play over the other side's best."""
        if self.kind == "play":
            return ranked.planes[self.play] - ranked.best_but(self.play)
        return (ranked.to_c - ranked.to_b) if self.side == 1 else (ranked.to_b - ranked.to_c)


class _Planes:
    """Play scores held as four contiguous arrays, one per play, so that every margin is a
    few elementwise maxima instead of reductions over a short last axis."""

    def __init__(self, planes: list[np.ndarray]) -> None:
        self.planes = planes
        self.to_b = np.maximum(planes[0], planes[1])
        self.to_c = np.maximum(planes[2], planes[3])

    @classmethod
    def of(cls, scores: np.ndarray) -> _Planes:
        return cls([np.ascontiguousarray(scores[..., k]) for k in range(scores.shape[-1])])

    def best_but(self, play: int) -> np.ndarray:
        if play in B_PLAYS:
            return np.maximum(self.planes[1 - play], self.to_c)
        return np.maximum(self.planes[5 - play], self.to_b)


def _targets(play: int, side: int) -> list[_Target]:
    out = [_Target(PLAYS[q], "play", q, -1) for q in range(len(PLAYS)) if q != play]
    out.append(_Target(SIDES[1 - side], "side", -1, 1 - side))
    return out


def _best(cost: np.ndarray, margin: np.ndarray, mask: np.ndarray) -> int | None:
    """Index of the cheapest masked entry, the widest margin breaking ties; None if none."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return None
    c = cost.ravel()[idx]
    tied = idx[c <= c.min() + 1e-12]
    return int(tied[np.argmax(margin.ravel()[tied])])


def _relevant_keys(engine: Engine) -> tuple[set[str], dict[str, set[int]]]:
    """Lever keys that move some weighted criterion, and the criteria each one moves."""
    weighted = np.abs(engine.signed).sum(axis=0) > 0
    by_key: dict[str, set[int]] = {}
    for j, criterion in enumerate(engine.criteria):
        if weighted[j]:
            for key in criterion_keys(criterion):
                by_key.setdefault(key, set()).add(j)
    return set(by_key), by_key


def _signed_share(engine: Engine) -> tuple[np.ndarray, np.ndarray]:
    """A criterion with w >= 0 earns share * x and one with w < 0 earns share * (1 - x), so a
    play's score is 100 * (x . (+-share) + the negative criteria's shares): linear in x."""
    return (np.where(engine.negative, -engine.share, engine.share),
            (engine.share * engine.negative).sum(axis=1))


def _values(engine: Engine, raw: np.ndarray, criteria: np.ndarray | None = None) -> np.ndarray:
    """Criterion values (n, m) for raw rows, or only the columns ``criteria`` (n, k)."""
    features = engine.features_from_raw(raw)
    if criteria is None:
        return engine.criterion_values(features)[0]
    cols = [evaluate_rule(engine.criteria[j].rule, features)[0] for j in criteria]
    return np.clip(np.stack(cols, axis=1), 0.0, 1.0) if cols else np.zeros((len(raw), 0))


def find_flips(engine: Engine, profile: Profile) -> FlipReport:
    """Search every lever's range for the changes that flip ``profile``'s verdict.

    Returns a :class:`FlipReport`: for each other play and for the other side, the smallest
    single-field change and the best two-field change after which it wins, split into
    ``levers`` (fields a startup can pull) and ``structural`` (a pivot or a fixed field).
    Uses the engine's current weights; about 10-15 ms for one profile
    (``benchmarks/bench_flips.py``).
    """
    keys, crit_by_key = _relevant_keys(engine)
    cands: list[Candidates] = all_candidates(profile, engine.cny_per_usd, keys)
    base = raw_rows([profile])
    sizes = [len(c) for c in cands]
    n1 = sum(sizes)
    owner = np.repeat(np.arange(len(cands)), sizes)  # candidate -> its lever block
    changes: list[Change] = [ch for c in cands for ch in c.changes]
    cost1 = np.concatenate([c.distance for c in cands]) if cands else np.zeros(0)
    is_lever = np.array([ch.kind == "lever" for ch in changes], dtype=bool)

    # Singles: one row per candidate.
    singles = np.repeat(base, n1, axis=0)
    start = 0
    for c in cands:
        rows = slice(start, start + len(c))
        singles[rows, c.column] = c.raw
        if c.headcount is not None:
            singles[rows, _HEADCOUNT] = c.headcount
        start += len(c)
    offsets = np.concatenate([[0], np.cumsum(sizes)])

    # Interacting pairs: every combination of the two blocks, built as rows.
    blocks: list[tuple[np.ndarray, np.ndarray]] = []
    interacting = np.zeros((len(cands), len(cands)), dtype=bool)
    for a in range(len(cands)):
        for b in range(a + 1, len(cands)):
            if crit_by_key[cands[a].key] & crit_by_key[cands[b].key]:
                interacting[a, b] = interacting[b, a] = True
                ia = np.repeat(np.arange(offsets[a], offsets[a + 1]), sizes[b])
                ib = np.tile(np.arange(offsets[b], offsets[b + 1]), sizes[a])
                blocks.append((ia, ib))
    ia_all = np.concatenate([ia for ia, _ in blocks]) if blocks else np.zeros(0, dtype=int)
    ib_all = np.concatenate([ib for _, ib in blocks]) if blocks else np.zeros(0, dtype=int)
    column_of = np.array([c.column for c in cands], dtype=int)
    hires = np.array([c.headcount is not None for c in cands], dtype=bool)
    col_a, col_b = column_of[owner[ia_all]], column_of[owner[ib_all]]
    joint = singles[ia_all]
    rows = np.arange(len(joint))
    vals_b = singles[ib_all, col_b]
    same = col_a == col_b
    joint[rows[~same], col_b[~same]] = vals_b[~same]
    # Two qualifications share one bit column: combine their bits instead of overwriting.
    joint[rows[same], col_b[same]] = (joint[rows[same], col_b[same]].astype(np.int64)
                                      | vals_b[same].astype(np.int64))
    hired = hires[owner[ib_all]]
    joint[hired, _HEADCOUNT] = singles[ib_all[hired], _HEADCOUNT]

    # One engine pass for the profile and its single changes (every criterion) ...
    signed_share, offset = _signed_share(engine)
    # einsum, not @: an (n, m) x (m, 4) product is too small to gain from BLAS threads, and
    # on a busy machine starting them costs more than the product itself.
    x01 = _values(engine, np.vstack([base, singles]))
    s01 = 100.0 * (np.einsum("nm,pm->np", x01, signed_share) + offset)
    s0, s1 = s01[0], s01[1:]
    # ... and one for the interacting pairs, on just the criteria those fields feed: every
    # other criterion keeps the profile's own value, so the score moves by the changed ones.
    shared = np.array(sorted(set().union(*(crit_by_key[cands[a].key] | crit_by_key[cands[b].key]
                                           for a, b in zip(*np.nonzero(np.triu(interacting)))))),
                      dtype=int)
    xj = _values(engine, joint, shared)
    s2 = s0 + 100.0 * np.einsum("nk,pk->np", xj - x01[0, shared], signed_share[:, shared])
    play0 = int(np.argmax(s0))
    side0 = int(s0[C_PLAYS].max() > s0[B_PLAYS].max())
    targets = _targets(play0, side0)

    # Independent pairs among candidates that move anything: scores add. Only pairs from two
    # different, non-interacting fields are kept, as flat index arrays (i < j).
    delta = s1 - s0
    active = np.flatnonzero(np.abs(delta).max(axis=1) > INERT)
    blk = owner[active]
    iu, ju = np.triu_indices(len(active), k=1)
    keep = (blk[iu] != blk[ju]) & ~interacting[blk[iu], blk[ju]]
    pi, pj = active[iu[keep]], active[ju[keep]]
    pair_planes = _Planes([s0[k] + delta[pi, k] + delta[pj, k] for k in range(len(PLAYS))])
    pair_cost = cost1[pi] + cost1[pj]
    pair_lever = is_lever[pi] & is_lever[pj]
    joint_cost = cost1[ia_all] + cost1[ib_all]
    joint_lever = is_lever[ia_all] & is_lever[ib_all]

    def make(target: _Target, idx: tuple[int, ...], after: np.ndarray, cost: float) -> Flip:
        return Flip(
            target=target.name, target_kind=target.kind,
            changes=tuple(changes[i] for i in idx), cost=float(cost),
            scores={p: float(s) for p, s in zip(PLAYS, after)},
            play=PLAYS[int(np.argmax(after))],
            side=SIDES[int(after[C_PLAYS].max() > after[B_PLAYS].max())],
            current_play=PLAYS[play0], current_side=SIDES[side0],
        )

    r1, r2, rj = _Planes.of(s1), pair_planes, _Planes.of(s2)
    levers_out, structural_out = [], []
    for target in targets:
        m1 = target.margin(r1)
        win1 = m1 > EPS
        m2 = target.margin(r2)
        win2 = (m2 > EPS) & ~win1[pi] & ~win1[pj]
        mj = target.margin(rj)
        winj = (mj > EPS) & ~win1[ia_all] & ~win1[ib_all]
        for lever_only, out in ((True, levers_out), (False, structural_out)):
            single = None
            i = _best(cost1, m1, win1 & (is_lever if lever_only else ~is_lever))
            if i is not None:
                single = make(target, (i,), s1[i], cost1[i])
            pair = None
            k = _best(pair_cost, m2, win2 & (pair_lever if lever_only else ~pair_lever))
            if k is not None:
                after = np.array([plane[k] for plane in pair_planes.planes])
                pair = make(target, (int(pi[k]), int(pj[k])), after, pair_cost[k])
            k = _best(joint_cost, mj, winj & (joint_lever if lever_only else ~joint_lever))
            if k is not None and (pair is None or joint_cost[k] < pair.cost - 1e-12):
                pair = make(target, (int(ia_all[k]), int(ib_all[k])), s2[k], joint_cost[k])
            out.append(TargetFlips(target.name, target.kind, single, pair))

    return FlipReport(
        play=PLAYS[play0], side=SIDES[side0],
        scores={p: float(s) for p, s in zip(PLAYS, s0)}, weights=engine.weights_name,
        levers=tuple(levers_out), structural=tuple(structural_out),
        evaluated=1 + n1 + len(ia_all), combined=len(pi),
        fields=tuple(c.key for c in cands),
    )
