"""How far each weight can move before the recommendation changes (stability intervals).

Hold every weight but one fixed. A play's score is a ratio of two linear functions of that
one weight's magnitude m (the sign, which says whether the criterion helps or hurts, is kept):

    S(m) = 100 * (A + m * e) / (B + m)

where e is the share of the criterion's weight the profile earns (x, or 1 - x for a negative
weight), A the points-times-weights of every other criterion and B the sum of their weights.
S is monotone in m, so the recommendation holds on one interval, whose ends solve S(m) = T
exactly: T is the best other play's score when the weight is the recommended play's own, and
the recommended play's score when the weight belongs to another play. Only the play that owns
the weight moves; the others stay where they are. The result is exact, not a scan; the tests
check it against re-scoring just inside and just outside each end.

The confidence distribution is the engine's: the share of 1,000 plausible weightings
(Dirichlet draws around the current weights) under which each play comes out on top.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gtmcompass.model.profile import Profile
from gtmcompass.scoring.engine import INSUFFICIENT, Engine
from gtmcompass.scoring.features import PLAYS, SIDES

INF = math.inf


@dataclass(frozen=True)
class Stability:
    """The interval of one weight over which the recommendation stays the same.

    ``weight`` is the current signed weight and ``lo <= weight <= hi`` the interval in the
    same units (a weight-set file's units); an end is ``0`` when the weight can shrink to
    nothing, ``+-inf`` when it can grow without limit. ``below``/``above`` name the play that
    takes over past each end (None where there is no end).
    """

    criterion: str
    play: str
    weight: float
    lo: float
    hi: float
    below: str | None
    above: str | None

    @property
    def factors(self) -> tuple[float, float]:
        """The interval as multiples of the current weight's size, smaller first:
        (0.4, 2.5) means the verdict holds from 0.4x to 2.5x the weight."""
        a, b = abs(self.lo) / abs(self.weight), abs(self.hi) / abs(self.weight)
        return (min(a, b), max(a, b))

    @property
    def slack(self) -> float:
        """How far the nearer end is, as a share of the weight: 0 means on the edge; the
        tornado chart puts the smallest slack on top."""
        low, high = self.factors
        return min(1.0 - low, high - 1.0)

    def to_dict(self) -> dict:
        def end(v: float) -> float | str:
            return ("inf" if v > 0 else "-inf") if math.isinf(v) else round(v, 4)

        low, high = self.factors
        return {"criterion": self.criterion, "play": self.play, "weight": self.weight,
                "lo": end(self.lo), "hi": end(self.hi), "below": self.below,
                "above": self.above, "factors": [round(low, 4), end(high)]}


@dataclass(frozen=True)
class Sensitivity:
    play: str
    side: str
    weights: str
    scores: dict[str, float]
    confidence: float
    win_share: dict[str, float]  # how often each play wins under the sampled weightings
    intervals: tuple[Stability, ...]  # every non-zero weight of every play
    # The plays that compete for the verdict: for not_yet, those in the chosen play's blocker
    # tier; a play outside it keeps (0, inf) intervals, since weights cannot lift a blocker.
    competing: tuple[str, ...] = PLAYS

    def tornado(self, play: str | None = None) -> list[Stability]:
        """The recommended play's weights (or ``play``'s), most sensitive first."""
        target = play or self.play
        rows = [s for s in self.intervals if s.play == target]
        return sorted(rows, key=lambda s: (s.slack, s.criterion))

    def runner_up(self) -> str:
        others = {p: s for p, s in self.scores.items() if p != self.play
                  and (p in self.competing or len(self.competing) < 2)}
        return max(others, key=others.get)

    def to_dict(self) -> dict:
        return {"play": self.play, "side": self.side, "weights": self.weights,
                "confidence": round(self.confidence, 3),
                "win_share": {p: round(v, 3) for p, v in self.win_share.items()},
                "competing": list(self.competing),
                "intervals": [s.to_dict() for s in self.intervals]}


def _half_line(a: float, b: float, e: float, threshold: float, above: bool,
               ) -> tuple[float, float]:
    """The interval of m >= 0 around m0 on which 100(a + m e)/(b + m) stays above (or below)
    ``threshold``; returns (lo, hi) magnitudes, hi possibly inf."""
    slope = 100.0 * e - threshold  # S(m) - T has the sign of (100A - TB) + m * slope over B + m
    const = 100.0 * a - threshold * b
    if slope == 0.0 or b == 0.0:
        return 0.0, INF  # S never crosses T (or is constant): the whole half-line holds
    crossing = -const / slope
    good_beyond = (slope > 0) == above  # the good side is m > crossing
    if good_beyond:
        return max(crossing, 0.0), INF
    return 0.0, max(crossing, 0.0)


def stability_intervals(engine: Engine, profile: Profile) -> Sensitivity:
    """Stability intervals for every non-zero weight, and the confidence distribution.

    For each (play, criterion) weight w, holding the others fixed: the interval [lo, hi]
    of w over which ``profile``'s recommended play stays on top, in weight units, with the
    play that takes over beyond each end. Exact (solved, not scanned); uses the engine's
    current weights. ``Sensitivity.tornado()`` gives the recommended play's rows, most
    sensitive first, for a tornado chart.
    """
    batch = engine.score([profile])
    values = batch.values[0]
    scores = batch.scores[0]
    p = int(batch.play[0])
    competing = _competing(engine, batch)
    magnitude = np.abs(engine.signed)
    earned = engine.earned(values[None, :])[0]  # (4, m)
    weighted = magnitude * earned
    intervals = []
    for q in range(len(PLAYS)):
        total_w, total_we = magnitude[q].sum(), weighted[q].sum()
        if q == p:
            others = [r for r in competing if r != p]
            if others:
                rival = max(others, key=lambda r: scores[r])
                threshold, keep_above, taker = scores[rival], True, PLAYS[rival]
            else:  # no play competes: no weight of this play can hand the verdict over
                threshold, keep_above, taker = None, True, None
        elif q in competing:
            threshold, keep_above, taker = scores[p], False, PLAYS[q]
        else:
            # A play outside the chosen play's blocker tier cannot win by weight alone: the
            # verdict rule passes it by whatever it scores.
            threshold, keep_above, taker = None, False, None
        for j in np.flatnonzero(magnitude[q] > 0):
            w = float(engine.signed[q, j])
            m0 = magnitude[q, j]
            a, b = total_we - weighted[q, j], total_w - m0
            lo_m, hi_m = ((0.0, INF) if threshold is None else
                          _half_line(a, b, earned[q, j], threshold, keep_above))
            # A recommendation already tied sits on an end; never report an interval that
            # excludes the current weight.
            lo_m, hi_m = min(lo_m, m0), max(hi_m, m0)
            sign = 1.0 if w > 0 else -1.0
            # + 0.0 turns the -0.0 of a negative weight shrinking to nothing into 0.0.
            low_end, high_end = sorted((float(sign * lo_m) + 0.0, float(sign * hi_m) + 0.0))
            small_taker = taker if lo_m > 0 else None
            big_taker = taker if math.isfinite(hi_m) else None
            below, above = (small_taker, big_taker) if w > 0 else (big_taker, small_taker)
            intervals.append(Stability(
                criterion=engine.criteria[j].id, play=PLAYS[q], weight=w,
                lo=low_end, hi=high_end, below=below, above=above))
    return Sensitivity(
        play=PLAYS[p], side=SIDES[int(batch.side[0])], weights=engine.weights_name,
        scores={pl: float(s) for pl, s in zip(PLAYS, scores)},
        confidence=float(batch.confidence[0]),
        win_share={pl: float(s) for pl, s in zip(PLAYS, batch.win_share[0])},
        intervals=tuple(intervals),
        competing=tuple(PLAYS[q] for q in competing),
    )


def _competing(engine: Engine, batch) -> list[int]:
    """The plays the verdict rule chooses among for this profile (``engine.choose``): the
    open plays for ``go``, the closest blocker tier for ``not_yet``, all for
    ``insufficient_data``. A play competes if a high enough score alone would make the rule
    pick it; weights move scores only, so only these plays can take over."""
    scores = np.asarray(batch.scores[:1], dtype=float)
    insufficient = batch.verdict[:1] == INSUFFICIENT
    out = []
    for q in range(len(PLAYS)):
        lifted = scores.copy()
        lifted[0, q] = scores.max() + 1.0
        _, play = engine.choose(lifted, batch.fails[:1], insufficient)
        if int(play[0]) == q:
            out.append(q)
    return out
