"""What would flip the verdict: the smallest change to one field, and the best change to two.

For one profile, every lever in ``data/levers.toml`` gets a grid of candidate values over its
allowed range; a ``lever`` (a move a founder makes) is searched only in its direction (raise,
hire, deliver, certify, grow; cut burn or CAC), never "spend cash down" or "shrink the team".
All single changes, and every pair of changes to two fields among those that move anything,
are built as raw rows and run through the engine as it scores any profile: criterion values,
failing requirements and sufficiency from the changed features, then ``engine.score_values``
with them, so the verdict after a change is the engine's own verdict rule (``engine.choose``).

"Smallest" is the summed normalised distance (``data/levers.toml``); ties go to the change
that wins by more. A pair is reported only if neither of its changes wins alone. A target
wins only if the verdict rule still picks it with its score lowered by ``MARGIN`` points, so
the lead shows in scores printed to 0.1 and holds under the sampled weightings.

Targets: each other play and the other side. Flips whose changes are all ``lever`` fields are
kept apart from those that need a ``structural`` field (a pivot) or a ``fixed`` one (a fact).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from gtmcompass.decide.levers import (
    FEATURE_SOURCES,
    Candidates,
    Change,
    all_candidates,
    apply_changes,
    criterion_keys,
    join_phrases,
    qualification_key,
)
from gtmcompass.decide.playbook import QUALIFICATIONS_FIELD, play_label, side_label
from gtmcompass.model.catalogue import Condition
from gtmcompass.model.profile import Profile
from gtmcompass.vocab.i18n import tr
from gtmcompass.scoring.engine import (
    B_PLAYS,
    INSUFFICIENT,
    PLAY_SIDE,
    VERDICTS,
    Engine,
)
from gtmcompass.scoring.features import PLAYS, RAW_COLUMNS, SIDES, raw_rows

# A flip must win by at least this many points (of 100) under the engine's verdict rule.
# Scores are shown to 0.1, so a lead under 0.15 can display as a tie or the wrong way round
# (57.64 against 57.56 shows as 57.6 against 57.6); a lead of 0.15 always shows as at least
# 0.1, and it is about a tenth of the spread the sampled weightings put on a score, so a
# change that wins by less would not reliably win under the confidence sampling either.
MARGIN = 0.15
# Rows scored per engine call: 4,096 x 4 plays x ~40 criteria x 8 bytes = 5 MB of points.
_ROWS = 4096
# Changes that move no play's score by more than this are not combined into pairs.
INERT = 1e-12
_HEADCOUNT = RAW_COLUMNS.index("team.headcount")


def shown(score: float) -> str:
    """A score as every output shows it: one decimal."""
    return f"{score:.1f}"


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
    verdict: str = "go"  # the verdict after the change
    current_verdict: str = "go"

    @property
    def structural(self) -> bool:
        return any(ch.kind != "lever" for ch in self.changes)

    def apply(self, profile: Profile) -> Profile:
        """The profile with this flip's changes made (validated)."""
        return apply_changes(profile, self.changes)

    def describe(self, lang: str = "en") -> str:
        """The flip in plain words, e.g. "With 25 more commercial staff and 3 more delivered
        private deployments, private deployment and tenders would overtake consumer product in
        China (61.2 against 60.8, 0.4 ahead)."

        Scores are shown to 0.1 and the lead is the difference of the figures shown, so the
        sentence adds up as printed; MARGIN makes that lead at least 0.1.
        """
        what = join_phrases([ch.describe(lang) for ch in self.changes], lang)
        if self.target_kind == "play":
            winner = play_label(self.target, lang)
            loser = play_label(self.current_play, lang)
        else:
            winner = f"{side_label(self.target, lang)} ({play_label(self.play, lang)})"
            loser = f"{side_label(self.current_side, lang)} ({play_label(self.current_play, lang)})"
        a, b = shown(self.scores[self.play]), shown(self.scores[self.current_play])
        lead = round(float(a) - float(b), 1)
        if self.verdict == "not_yet":
            # Every play is still blocked after the change: the target becomes the closest.
            return tr("flip.closest", lang, what=what, winner=winner, loser=loser, a=a, b=b)
        if lead > 0:
            return tr("flip.overtakes", lang, what=what, winner=winner, loser=loser,
                      a=a, b=b, d=f"{lead:.1f}")
        # The old play is blocked after the change, so the verdict rule passes it by even
        # though it scores more.
        return tr("flip.unblocks", lang, what=what, winner=winner, loser=loser, a=a, b=b)

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
    verdict: str = "go"  # the verdict before any change

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


def condition_keys(conditions: Iterable[Condition]) -> frozenset[str]:
    """Lever keys some of these conditions read."""
    out: set[str] = set()
    for cond in conditions:
        if cond.feature == QUALIFICATIONS_FIELD:
            out |= {qualification_key(q) for q in (*cond.lacks, *cond.has_any)}
            if cond.has:
                out.add(qualification_key(cond.has))
        else:
            out |= FEATURE_SOURCES.get(cond.feature, frozenset())
    return frozenset(out)


def requirement_keys(engine: Engine) -> set[str]:
    """Lever keys a requirement reads: changing them can lift or raise a blocker."""
    return set().union(*(condition_keys((*r.when, *r.when_any)) for r in engine.requirements))


def item_keys(engine: Engine) -> list[frozenset[str]]:
    """The lever keys each criterion, then each requirement, then each condition of each
    sufficiency group reads (a group is stated when any of its conditions holds).

    A criterion with a ``regions`` table also reads the target market: its value is pulled
    towards neutral outside the regions it describes.
    """
    region = frozenset({"market.target_region"})
    pulled = (engine.region_weight != 1.0).any(axis=1)
    return ([criterion_keys(c) | (region if pulled[j] else frozenset())
             for j, c in enumerate(engine.criteria)]
            + [condition_keys((*r.when, *r.when_any)) for r in engine.requirements]
            + [condition_keys((c,)) for s in engine.sufficiency for c in s.any])


def interacting_fields(engine: Engine, cands: list[Candidates]) -> np.ndarray:
    """(L, L): the lever pairs whose joint effect is not the sum of their separate effects.

    Two changes interact when one criterion, requirement or sufficiency condition reads both
    (runway reads cash and burn), or when they write one raw column (two qualifications share
    a bit column; a hire also writes the headcount). Every other pair changes disjoint parts
    of the verdict's inputs, so its criterion values, failing requirements and missing groups
    are those of one change or the other.
    """
    items = item_keys(engine)
    writes = [{c.key} | ({"team.headcount"} if c.headcount is not None else set())
              for c in cands]
    reads = np.array([[bool(w & keys) for keys in items] for w in writes],
                     dtype=np.int64).reshape(len(cands), len(items))
    column = np.array([c.column for c in cands], dtype=int)
    hires = np.array([c.headcount is not None for c in cands], dtype=bool)
    touches = (column[:, None] == column[None, :]) | (hires[:, None] & (column == _HEADCOUNT))
    out = ((reads @ reads.T) > 0) | touches | touches.T
    np.fill_diagonal(out, False)
    return out


def _relevant_keys(engine: Engine) -> tuple[set[str], dict[str, set[int]]]:
    """Lever keys that move some weighted criterion, and the criteria each one moves."""
    weighted = np.abs(engine.signed).sum(axis=0) > 0
    by_key: dict[str, set[int]] = {}
    for j, criterion in enumerate(engine.criteria):
        if weighted[j]:
            for key in criterion_keys(criterion):
                by_key.setdefault(key, set()).add(j)
    return set(by_key), by_key


@dataclass(frozen=True)
class _Rows:
    """What the verdict rule needs of candidate rows, and what it says of them."""

    scores: np.ndarray  # (n, 4)
    fails: np.ndarray  # (n,) the failing requirements, as ``engine.fail_codes``
    stated: np.ndarray  # (n,) the sufficiency conditions that hold, as ``engine.stated_codes``
    missing: np.ndarray  # (n, s) sufficiency groups not stated
    insufficient: np.ndarray  # (n,)
    verdict: np.ndarray  # (n,)
    open: np.ndarray  # (n, 4) the plays the verdict rule may pick
    play: np.ndarray  # (n,)

    FIELDS = ("scores", "fails", "stated", "missing", "insufficient", "verdict", "open", "play")

    def open_scores(self) -> list[np.ndarray]:
        return Engine.open_scores(self.scores, self.open)

    @classmethod
    def judged(cls, engine: Engine, scores: np.ndarray, fails: np.ndarray,
               stated: np.ndarray) -> _Rows:
        missing = engine.missing_of_codes(stated)
        short = engine.too_little(missing)
        verdict, open_plays = engine.candidates_of_codes(fails, short)
        _, play = engine.choose(scores, open_plays=(verdict, open_plays))
        return cls(scores, fails, stated, missing, short, verdict, open_plays, play)

    def replaced(self, where: np.ndarray, scored: _Rows) -> _Rows:
        """These rows, with those ``where`` is true taken from ``scored`` (in order)."""
        out = []
        for name in self.FIELDS:
            mine = getattr(self, name).copy()
            mine[where] = getattr(scored, name)
            out.append(mine)
        return _Rows(*out)

    def __getitem__(self, rows: object) -> _Rows:
        return _Rows(*(getattr(self, f)[rows] for f in self.FIELDS))


def _evaluate(engine: Engine, raw: np.ndarray) -> _Rows:
    """Raw rows through the engine as it scores any profile: criterion values, failing
    requirements and sufficiency from the changed rows' features, then the verdict rule, so a
    change that lifts a blocker (or raises one) counts exactly as the engine would count it."""
    scores, fails, stated = [], [], []
    for start in range(0, len(raw), _ROWS):
        features = engine.features_from_raw(raw[start:start + _ROWS].copy())
        values, _ = engine.criterion_values(features)
        scores.append(engine.score_values(values, confidence=False, with_points=False)["scores"])
        fails.append(engine.fail_codes(engine.requirement_fails(features)))
        stated.append(engine.stated_codes(engine.stated_conditions(features)))
    if not scores:
        none = np.zeros(0, dtype=np.int64)
        return _Rows.judged(engine, np.zeros((0, len(PLAYS))), none, none)
    return _Rows.judged(engine, np.concatenate(scores), np.concatenate(fails),
                        np.concatenate(stated))


def _joint_rows(cands: list[Candidates], owner: np.ndarray, singles: np.ndarray,
                ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """Raw rows with both changes of each pair (ia[k], ib[k]) made."""
    column_of = np.array([c.column for c in cands], dtype=int)
    hires = np.array([c.headcount is not None for c in cands], dtype=bool)
    col_a, col_b = column_of[owner[ia]], column_of[owner[ib]]
    joint = singles[ia]
    rows = np.arange(len(joint))
    vals_b = singles[ib, col_b]
    same = col_a == col_b
    joint[rows[~same], col_b[~same]] = vals_b[~same]
    # Two qualifications share one bit column: combine their bits instead of overwriting.
    joint[rows[same], col_b[same]] = (joint[rows[same], col_b[same]].astype(np.int64)
                                      | vals_b[same].astype(np.int64))
    hired = hires[owner[ib]]
    joint[hired, _HEADCOUNT] = singles[ib[hired], _HEADCOUNT]
    return joint


def _combined(engine: Engine, base: _Rows, one: _Rows, ia: np.ndarray, ib: np.ndarray) -> _Rows:
    """Pairs of independent changes judged without re-scoring: scores are linear in criterion
    values, and each requirement and sufficiency condition reads at most one of the two
    fields, so its state is the changed one's (a XOR of the two differences from the profile,
    one of them zero)."""
    scores = one.scores[ia] + one.scores[ib] - base.scores
    fails = one.fails[ia] ^ one.fails[ib] ^ base.fails
    stated = one.stated[ia] ^ one.stated[ib] ^ base.stated
    return _Rows.judged(engine, scores, fails, stated)


def _robust_wins(target: _Target, rows: _Rows, open_scores: list[np.ndarray]) -> np.ndarray:
    """Where ``target`` is what the verdict rule picks, and still is with its score(s) lowered
    by MARGIN: a lead that survives rounding to 0.1 and the sampled weightings."""
    among = (np.arange(len(PLAYS)) == target.play if target.kind == "play"
             else PLAY_SIDE == target.side)
    held = Engine.leads(open_scores, among, MARGIN)
    # A profile that says too little is not judged; naming a play for it is no flip.
    return held & (rows.verdict != INSUFFICIENT)


def find_flips(engine: Engine, profile: Profile, *, exhaustive: bool = False) -> FlipReport:
    """Search every lever's range for the changes that flip ``profile``'s verdict.

    Returns a :class:`FlipReport`: for each other play and for the other side, the smallest
    single-field change and the best two-field change after which the engine's verdict rule
    picks it by at least ``MARGIN`` points, split into ``levers`` (moves a founder makes, in
    their direction) and ``structural`` (a pivot or a fixed fact).

    Pairs of fields that no criterion, requirement or sufficiency group reads together are
    combined from their single changes (``interacting_fields``); the rest are built as rows and
    scored. ``exhaustive=True`` scores every pair as a row: the same report, about twice as
    slow (the check that combining is exact).
    """
    keys, _ = _relevant_keys(engine)
    keys |= requirement_keys(engine)
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
    both = _evaluate(engine, np.vstack([base, singles]))
    zero, one = both[:1], both[1:]
    s0, s1 = both.scores[0], one.scores
    play0, verdict0 = int(zero.play[0]), int(zero.verdict[0])
    side0 = int(PLAY_SIDE[play0])
    targets = _targets(play0, side0)

    # Pairs: two changes to different fields, among the changes that move anything (a score,
    # a blocker or what the profile states).
    moved = ((np.abs(s1 - s0).max(axis=1) > INERT) | (one.fails != zero.fails)
             | (one.missing != zero.missing).any(axis=1))
    active = np.flatnonzero(moved)
    iu, ju = np.triu_indices(len(active), k=1)
    keep = owner[active[iu]] != owner[active[ju]]
    ia, ib = active[iu[keep]], active[ju[keep]]
    together = (np.ones(len(ia), dtype=bool) if exhaustive
                else interacting_fields(engine, cands)[owner[ia], owner[ib]])
    two = _combined(engine, zero, one, ia, ib)
    if together.any():
        two = two.replaced(together, _evaluate(
            engine, _joint_rows(cands, owner, singles, ia[together], ib[together])))
    s2 = two.scores
    pair_cost = cost1[ia] + cost1[ib]
    pair_lever = is_lever[ia] & is_lever[ib]

    def make(target: _Target, idx: tuple[int, ...], after: np.ndarray, play: int,
             verdict: int, cost: float) -> Flip:
        return Flip(
            target=target.name, target_kind=target.kind,
            changes=tuple(changes[i] for i in idx), cost=float(cost),
            scores={p: float(x) for p, x in zip(PLAYS, after)},
            play=PLAYS[play], side=SIDES[int(PLAY_SIDE[play])],
            current_play=PLAYS[play0], current_side=SIDES[side0],
            verdict=VERDICTS[verdict], current_verdict=VERDICTS[verdict0],
        )

    r1, r2 = _Planes.of(s1), _Planes.of(s2)
    levers_out, structural_out = [], []
    open1, open2 = one.open_scores(), two.open_scores()
    for target in targets:
        win1 = _robust_wins(target, one, open1)
        m1 = target.margin(r1)
        win2 = _robust_wins(target, two, open2) & ~win1[ia] & ~win1[ib]
        m2 = target.margin(r2)
        for lever_only, out in ((True, levers_out), (False, structural_out)):
            single = None
            i = _best(cost1, m1, win1 & (is_lever if lever_only else ~is_lever))
            if i is not None:
                single = make(target, (i,), s1[i], int(one.play[i]), int(one.verdict[i]),
                              cost1[i])
            pair = None
            k = _best(pair_cost, m2, win2 & (pair_lever if lever_only else ~pair_lever))
            if k is not None:
                pair = make(target, (int(ia[k]), int(ib[k])), s2[k], int(two.play[k]),
                            int(two.verdict[k]), pair_cost[k])
            out.append(TargetFlips(target.name, target.kind, single, pair))

    return FlipReport(
        play=PLAYS[play0], side=SIDES[side0],
        scores={p: float(x) for p, x in zip(PLAYS, s0)}, weights=engine.weights_name,
        levers=tuple(levers_out), structural=tuple(structural_out),
        evaluated=1 + n1 + int(together.sum()), combined=int((~together).sum()),
        fields=tuple(c.key for c in cands), verdict=VERDICTS[verdict0],
    )
