"""One decision per profile: everything the tool says about it, computed once by the engine.

The CLI's formats, ``rank``, ``report`` and the app render a ``Decision``; none of them
recomputes a score, a verdict or a blocker. ``decisions`` unpacks a scored batch with one
``tolist()`` per array (10,000 profiles: tens of milliseconds), and keeps the per-criterion
points in the batch, read only when a renderer asks for them.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from gtmcompass.scoring.engine import STATUSES, VERDICTS, BatchScores, Engine
from gtmcompass.scoring.features import day_from_number
from gtmcompass.vocab.terms import PLAYS, SIDES

GO, NOT_YET, INSUFFICIENT = VERDICTS


@dataclass(frozen=True, slots=True)
class Decision:
    """What the tool says about one profile. ``play`` is a recommendation only for ``go``."""

    name: str
    scores: dict[str, float]  # per play, 0..100, unrounded
    to_b: float
    to_c: float
    side: str
    play: str
    confidence: float | None  # None when scored without sampling
    win_shares: dict[str, float]
    flags: tuple[str, ...]
    verdict: str
    status: dict[str, str]  # per play: ready, conditional or blocked
    blockers: dict[str, tuple[str, ...]]  # per play: the requirements it fails
    missing: tuple[str, ...]  # key paths to fill in when the verdict is insufficient_data
    as_of: dt.date
    weights: str
    batch: BatchScores
    index: int
    # For a committee's weights: {partners, plays, agree, of, method, consensus}, where
    # ``plays`` are the plays each partner's own weights pick and ``agree`` how many of them
    # are ``play``; None for one weight set.
    committee: dict | None = None

    def points(self, play: str) -> np.ndarray:
        """(m,) what each criterion earns ``play``; they add up to its score."""
        return self.batch.points[self.index, PLAYS.index(play)]

    @property
    def values(self) -> np.ndarray:
        return self.batch.values[self.index]

    @property
    def unknown(self) -> np.ndarray:
        return self.batch.unknown[self.index]

    @property
    def recommended(self) -> bool:
        return self.verdict == GO

    def open_plays(self) -> tuple[str, ...]:
        return tuple(p for p in PLAYS if not self.blockers[p])


def decisions(engine: Engine, batch: BatchScores, names: list[str]) -> list[Decision]:
    """The decisions of a scored batch, in order; ``names`` are the profiles' names."""
    flag_ids = [f.id for f in engine.flags]
    requirement_ids = [r.id for r in engine.requirements]
    gates = engine.gates.tolist()
    groups = engine.sufficiency
    days = batch.as_of.astype("datetime64[D]").tolist()  # datetime.date objects, vectorised
    weights = engine.weights_name
    no_blockers = {p: () for p in PLAYS}
    view = engine.committee
    partner_plays = (batch.partner_play.tolist()
                     if view is not None and batch.partner_play is not None else None)
    out = []
    rows = zip(names, batch.scores.tolist(), batch.to_b.tolist(), batch.to_c.tolist(),
               batch.side.tolist(), batch.play.tolist(), batch.confidence.tolist(),
               batch.win_share.tolist(), batch.flags.tolist(), batch.verdict.tolist(),
               batch.status.tolist(), batch.fails.tolist(), batch.missing.tolist(), days)
    for i, (name, scores, to_b, to_c, side, play, conf, shares, flags, verdict, status, fails,
            missing, day) in enumerate(rows):
        if any(fails):
            failing = [j for j, f in enumerate(fails) if f]
            blockers = {p: tuple(requirement_ids[j] for j in failing if gates[j][k])
                        for k, p in enumerate(PLAYS)}
        else:
            blockers = no_blockers
        keys: list[str] = []
        if VERDICTS[verdict] == INSUFFICIENT:  # say what to fill in
            for group, absent in zip(groups, missing):
                if absent:
                    keys.extend(k for k in group.keys if k not in keys)
        out.append(Decision(
            name=name,
            scores=dict(zip(PLAYS, scores)),
            to_b=to_b, to_c=to_c, side=SIDES[side], play=PLAYS[play],
            confidence=None if math.isnan(conf) else conf,
            win_shares=dict(zip(PLAYS, shares)),
            flags=tuple(fid for fid, raised in zip(flag_ids, flags) if raised),
            verdict=VERDICTS[verdict],
            status={p: STATUSES[s] for p, s in zip(PLAYS, status)},
            blockers=blockers, missing=tuple(keys),
            as_of=day if isinstance(day, dt.date) else day_from_number(day),
            weights=weights, batch=batch, index=i,
            committee=None if partner_plays is None else {
                "partners": list(view.partners),
                "plays": [PLAYS[q] for q in partner_plays[i]],
                "agree": partner_plays[i].count(play),
                "of": len(view.partners),
                "method": view.method,
                "consensus": round(view.consensus, 3),
            },
        ))
    return out
