"""What to fix first when every play is blocked: the fewest moves that open the closest play.

For a ``not_yet`` verdict the engine names the closest play (fewest blockers no partner can
lift, then fewest blockers, then the best score). Each requirement blocking it is lifted by
making one of its conditions false; every ``lever`` in ``data/levers.toml`` is tried, only in
the founder's direction (raise, hire, deliver, certify, grow; cut burn or CAC), and for each
blocker and each field only the smallest value that lifts it alone is kept (a larger step the
same way costs more and lifts nothing more). One such move per blocker is combined (a field
chosen for two blockers takes the larger of its two values), every combination is re-run
through the engine's requirements on the changed raw row, and the winner is the one that
leaves the play with no failing requirement using the fewest changes, then the smallest
summed distance. The result is checked once more on the changed profile, scored from scratch.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from gtmcompass.decide.levers import Candidates, Change, all_candidates, apply_changes, join_phrases
from gtmcompass.decide.flips import requirement_keys
from gtmcompass.decide.playbook import play_label
from gtmcompass.model.profile import Profile
from gtmcompass.scoring.engine import VERDICTS, Engine
from gtmcompass.scoring.features import PLAYS, RAW_COLUMNS, raw_rows
from gtmcompass.vocab.i18n import field, tr

_HEADCOUNT = RAW_COLUMNS.index("team.headcount")
_QUALIFICATIONS = RAW_COLUMNS.index("compliance.qualifications")
# Entering through partners and integrators who own the customers is the route the articles
# give a young supplier a gate turns away (B5: integrators with 1-3 awards each; B2: Baichuan
# reached hospitals through partners).
PARTNER_EVIDENCE = ("B2", "B5")


@dataclass(frozen=True)
class Blocker:
    """A requirement the play fails, with the catalogue's words and fix."""

    id: str
    en: str
    zh: str
    fix_en: str
    fix_zh: str
    evidence: tuple[str, ...]
    partner_route: bool

    def name(self, lang: str = "en") -> str:
        return field(self, lang)

    def fix(self, lang: str = "en") -> str:
        return field(self, lang, "fix")

    def partner_note(self, lang: str = "en") -> str:
        """The partner route, for a requirement a partner or integrator can lift; else ""."""
        return tr("unblock.partner", lang) if self.partner_route else ""


@dataclass(frozen=True)
class Unblock:
    """The moves that unblock ``play`` (empty ``moves`` and ``found`` False if none do)."""

    play: str
    blockers: tuple[Blocker, ...]
    moves: tuple[Change, ...]
    found: bool
    score_before: float
    score_after: float | None  # the play's score with the moves made
    verdict_after: str | None
    play_after: str | None  # the engine's play once the moves are made

    @property
    def cost(self) -> float:
        return float(sum(ch.distance for ch in self.moves))

    def describe(self, lang: str = "en") -> str:
        name = play_label(self.play, lang)
        if not self.found:
            return tr("unblock.none", lang, play=name)
        what = join_phrases([ch.describe(lang) for ch in self.moves], lang)
        return tr("unblock.moves", lang, what=what, play=name,
                  after=f"{self.score_after:.1f}")

    def to_dict(self, lang: str = "en") -> dict:
        return {
            "play": self.play, "found": self.found,
            "blockers": [{"id": b.id, "name": b.name(lang), "fix": b.fix(lang),
                          "evidence": list(b.evidence), "partner_route": b.partner_route}
                         for b in self.blockers],
            "moves": [ch.to_dict(lang) for ch in self.moves],
            "score_after": None if self.score_after is None else round(self.score_after, 1),
            "verdict_after": self.verdict_after, "text": self.describe(lang),
        }


def _blockers(engine: Engine, play: int, fails: np.ndarray) -> list[int]:
    """Indices of the requirements failing and gating ``play``."""
    return [j for j in range(len(engine.requirements)) if fails[j] and engine.gates[j, play]]


def _apply_raw(row: np.ndarray, picks: list[tuple[Candidates, int]]) -> np.ndarray:
    """``row`` with each (candidates, index) change made, as ``apply_changes`` makes it."""
    out = row.copy()
    for cand, i in picks:
        if cand.column == _QUALIFICATIONS:
            out[cand.column] = int(out[cand.column]) | int(cand.raw[i])
        else:
            out[cand.column] = cand.raw[i]
        if cand.headcount is not None:
            out[_HEADCOUNT] = max(out[_HEADCOUNT], cand.headcount[i])
    return out


def unblock(engine: Engine, profile: Profile, play: str | None = None) -> Unblock | None:
    """What to fix first for ``profile``: None unless its verdict is ``not_yet``.

    ``play`` defaults to the engine's closest play. Returns the blockers (requirement words,
    fix and evidence), the fewest, then smallest, moves in each lever's direction that make
    every blocker pass, and the play's score once they are made.
    """
    batch = engine.score([profile], confidence=False)
    if VERDICTS[int(batch.verdict[0])] != "not_yet" and play is None:
        return None
    p = PLAYS.index(play) if play is not None else int(batch.play[0])
    failing = _blockers(engine, p, batch.fails[0])
    blockers = tuple(
        Blocker(r.id, r.en, r.zh, r.fix_en, r.fix_zh, tuple(r.evidence), r.partner_route)
        for r in (engine.requirements[j] for j in failing))
    before = float(batch.scores[0, p])
    if not failing:
        return Unblock(PLAYS[p], (), (), True, before, before, VERDICTS[int(batch.verdict[0])],
                       PLAYS[int(batch.play[0])])

    base = raw_rows([profile])[0]
    cands = [c for c in all_candidates(profile, engine.cny_per_usd, requirement_keys(engine))
             if c.lever.kind == "lever"]
    flat = [(c, i) for c in cands for i in range(len(c))]
    rows = np.array([_apply_raw(base, [pick]) for pick in flat]).reshape(len(flat), len(base))
    fails = engine.requirement_fails(engine.features_from_raw(rows.copy())) if flat else None

    # For each blocker, per field, the cheapest single change that lifts it.
    options: list[list[int]] = []
    for j in failing:
        best: dict[str, int] = {}
        for k, (cand, i) in enumerate(flat):
            if fails is not None and not fails[k, j]:
                if cand.key not in best or cand.distance[i] < flat[best[cand.key]][0].distance[
                        flat[best[cand.key]][1]]:
                    best[cand.key] = k
        options.append(sorted(best.values(), key=lambda k: flat[k][0].distance[flat[k][1]]))

    combos: dict[tuple[int, ...], None] = {}
    if all(options):
        for pick in itertools.product(*options):
            # A field picked for two blockers keeps its farther value (the larger distance).
            by_key: dict[str, int] = {}
            for k in pick:
                cand, i = flat[k]
                if cand.key not in by_key or cand.distance[i] > flat[by_key[cand.key]][0].distance[
                        flat[by_key[cand.key]][1]]:
                    by_key[cand.key] = k
            combos[tuple(sorted(by_key.values()))] = None
    chosen: tuple[int, ...] | None = None
    if combos:
        keys = list(combos)
        trial = np.array([_apply_raw(base, [flat[k] for k in combo]) for combo in keys])
        after = engine.requirement_fails(engine.features_from_raw(trial.copy()))
        open_ = ~(after[:, engine.gates[:, p]]).any(axis=1)

        def size(combo: tuple[int, ...]) -> tuple[int, float]:
            return len(combo), float(sum(flat[k][0].distance[flat[k][1]] for k in combo))

        good = [keys[i] for i in np.flatnonzero(open_)]
        if good:
            chosen = min(good, key=size)
    if chosen is None:
        return Unblock(PLAYS[p], blockers, (), False, before, None, None, None)
    moves = tuple(flat[k][0].changes[flat[k][1]] for k in chosen)
    changed = apply_changes(profile, moves)
    result = engine.score([changed], confidence=False)
    return Unblock(PLAYS[p], blockers, moves, True, before, float(result.scores[0, p]),
                   VERDICTS[int(result.verdict[0])], PLAYS[int(result.play[0])])
