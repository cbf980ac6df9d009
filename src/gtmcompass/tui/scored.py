"""What the app shows about one scored profile, as plain frozen data built from the engine.

The engine returns arrays for a batch and ``scoring.decision.decisions`` says what they mean
(verdict, each play's status, blockers, what is missing); the screens want that per profile
plus each criterion's points toward each play and the derived figures (runway, age, LTV/CAC).
``Scorer.score`` does one vectorised engine call for any number of profiles and copies the
core's decisions here, so the app recomputes nothing and widgets never touch numpy.
No Textual.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from gtmcompass.model.profile import Profile
from gtmcompass.scoring.decision import GO, INSUFFICIENT, NOT_YET, decisions
from gtmcompass.scoring.engine import Engine
from gtmcompass.scoring.features import PLAYS, RUNWAY_CAP_MONTHS


@dataclass(frozen=True)
class Contribution:
    """One criterion's part in each play's score."""

    criterion: str
    points: tuple[float, ...]  # per play, in PLAYS order
    max_points: tuple[float, ...]  # the most it can earn each play (its weight share x 100)
    value: float  # the criterion's value 0..1 for this profile
    unknown: bool  # the input was unknown and the rule's prior was used

    def toward(self, play: str) -> float:
        return self.points[PLAYS.index(play)]

    def max_toward(self, play: str) -> float:
        return self.max_points[PLAYS.index(play)]


@dataclass(frozen=True)
class Result:
    name: str
    scores: tuple[float, ...]  # per play, 0..100
    to_b: float
    to_c: float
    side: str
    # For go the recommended play (the best unblocked one); for not_yet the closest play; for
    # insufficient_data only the top score, not a recommendation.
    play: str
    confidence: float  # 0 when the verdict is insufficient_data
    win_share: tuple[float, ...]
    flags: tuple[str, ...]
    contributions: tuple[Contribution, ...]  # catalogue order
    runway_months: float  # RUNWAY_CAP_MONTHS when burn is 0
    company_age_years: float
    commercial_share: float
    ltv_cac: float  # NaN when any of its four inputs is unknown
    elapsed_ms: float = 0.0
    weights: str = "catalogue"  # the name of the weight set that produced this result
    verdict: str = GO  # go, not_yet or insufficient_data
    status: tuple[str, ...] = ()  # per play in PLAYS order: ready, conditional or blocked
    blockers: tuple[tuple[str, ...], ...] = ()  # per play: the requirement ids it fails
    missing: tuple[str, ...] = ()  # key paths to fill in when the verdict is insufficient_data
    as_of: dt.date | None = None  # the day the profile was scored for
    # A committee's weights: the Decision's ``committee`` (partners, plays, agree, of, ...).
    committee: dict | None = None

    def score(self, play: str) -> float:
        return self.scores[PLAYS.index(play)]

    def status_of(self, play: str) -> str:
        return self.status[PLAYS.index(play)] if self.status else "ready"

    def blockers_of(self, play: str) -> tuple[str, ...]:
        return self.blockers[PLAYS.index(play)] if self.blockers else ()

    @property
    def recommended(self) -> bool:
        """Only a go names a play to pursue."""
        return self.verdict == GO

    @property
    def not_yet(self) -> bool:
        return self.verdict == NOT_YET

    @property
    def insufficient(self) -> bool:
        return self.verdict == INSUFFICIENT

    def ranked(self, play: str) -> list[Contribution]:
        """Criteria that weigh on ``play``, biggest contribution first (ties: biggest room)."""
        weighed = [c for c in self.contributions if c.max_toward(play) > 0]
        return sorted(weighed, key=lambda c: (-c.toward(play), -c.max_toward(play)))

    @property
    def profitable(self) -> bool:
        return self.runway_months >= RUNWAY_CAP_MONTHS


@dataclass(frozen=True)
class Diff:
    """A what-if result against a baseline."""

    before: Result
    after: Result

    def score_delta(self, play: str) -> float:
        return self.after.score(play) - self.before.score(play)

    @property
    def flags_added(self) -> tuple[str, ...]:
        return tuple(f for f in self.after.flags if f not in self.before.flags)

    @property
    def flags_removed(self) -> tuple[str, ...]:
        return tuple(f for f in self.before.flags if f not in self.after.flags)

    @property
    def unchanged(self) -> bool:
        return self.before.scores == self.after.scores and self.before.flags == self.after.flags

    def criterion_deltas(self, play: str, limit: int = 8) -> list[tuple[str, float, float]]:
        """(criterion, before, after) points toward ``play``, biggest change first."""
        rows = [
            (b.criterion, b.toward(play), a.toward(play))
            for b, a in zip(self.before.contributions, self.after.contributions)
            if abs(a.toward(play) - b.toward(play)) >= 0.05
        ]
        rows.sort(key=lambda r: -abs(r[2] - r[1]))
        return rows[:limit]


class Scorer:
    """An engine plus the unpacking; one instance per app, used from worker threads.

    ``Engine.score`` only reads its arrays, so concurrent calls from two workers are safe.
    """

    def __init__(self, engine: Engine | None = None, as_of_year: int | None = None) -> None:
        self.engine = engine or Engine(as_of_year=as_of_year)
        cat = self.engine.catalogue
        self.criterion_ids = cat.criterion_ids
        self.flag_ids = cat.flag_ids

    def score(self, profiles: Sequence[Profile]) -> list[Result]:
        if not profiles:
            return []
        start = time.perf_counter()
        engine = self.engine  # one engine for the whole call: its maxima match its points
        features = engine.features(profiles)
        batch = engine.score_features(features)
        decided = decisions(engine, batch, [p.name for p in profiles])
        numeric = features.numeric
        max_points = tuple(tuple(float(m) for m in column) for column in engine.maxima.T)
        elapsed = (time.perf_counter() - start) * 1000.0
        out = []
        for i, decision in enumerate(decided):
            points = batch.points[i]  # (4, m)
            contributions = tuple(
                Contribution(
                    criterion=cid,
                    points=tuple(float(v) for v in points[:, j]),
                    max_points=max_points[j],
                    value=float(batch.values[i, j]),
                    unknown=bool(batch.unknown[i, j]),
                )
                for j, cid in enumerate(self.criterion_ids)
            )
            out.append(Result(
                name=decision.name,
                scores=tuple(decision.scores[p] for p in PLAYS),
                to_b=decision.to_b,
                to_c=decision.to_c,
                side=decision.side,
                play=decision.play,
                confidence=decision.confidence or 0.0,
                win_share=tuple(decision.win_shares[p] for p in PLAYS),
                flags=decision.flags,
                contributions=contributions,
                runway_months=float(numeric["runway_months"][i]),
                company_age_years=float(numeric["company_age_years"][i]),
                commercial_share=float(numeric["commercial_share"][i]),
                ltv_cac=float(numeric["ltv_cac"][i]),
                elapsed_ms=elapsed,
                weights=decision.weights,
                verdict=decision.verdict,
                status=tuple(decision.status[p] for p in PLAYS),
                blockers=tuple(decision.blockers[p] for p in PLAYS),
                missing=decision.missing,
                as_of=decision.as_of,
                committee=decision.committee,
            ))
        return out


def known(value: float) -> bool:
    return not math.isnan(value)
