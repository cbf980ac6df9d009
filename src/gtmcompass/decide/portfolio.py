"""``gtmcompass rank``: many profiles in order for an investor, as the same JSON elements as
``score`` (so every output format of ``score`` works unchanged), best first.

Profiles are ordered by one play's score, one side's score (``to_b``/``to_c``) or ``best``
(each profile's recommended play's score, i.e. the larger side), descending, on the exact
scores rather than the rounded ones shown; ties keep the input order. Each ranked element
gains ``rank`` (1 = first) and ``ranked_by``; inputs that could not be read follow the ranked
ones as error elements, in input order.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from gtmcompass.io.files import Entry
from gtmcompass.model.problems import summary_line
from gtmcompass.scoring.engine import BLOCKED, CHUNK, INSUFFICIENT, PLAY_SIDE, BatchScores, Engine
from gtmcompass.scoring.results import admitted, batch_results
from gtmcompass.vocab.terms import BEST, PLAYS, RANK_BY, SIDES  # noqa: F401  RANK_BY re-exported


def rank_key(batch: BatchScores, by: str) -> np.ndarray:
    """The exact value each profile of ``batch`` is ranked on (within its tier)."""
    if by in PLAYS:
        return batch.scores[:, PLAYS.index(by)]
    if by == "to_b":
        return batch.to_b
    if by == "to_c":
        return batch.to_c
    if by == BEST:
        # The score of the play the result names, which for a blocked top play is not the top.
        return batch.scores[np.arange(len(batch)), batch.play]
    raise ValueError(f"cannot rank by {by!r}; expected one of {', '.join(RANK_BY)}")


def rank_tier(batch: BatchScores, by: str) -> np.ndarray:
    """Profiles rank by tier first, then by score: a play that can be pursued now comes
    before a blocked one, whatever their scores, and a profile that says too little comes
    last. ``best``: go, then not_yet, then insufficient_data (the verdict's order). A play:
    ready or conditional, then blocked. A side: its better status."""
    insufficient = batch.verdict == INSUFFICIENT
    if by == BEST:
        tier = batch.verdict.copy()
    else:
        plays = ([PLAYS.index(by)] if by in PLAYS
                 else [i for i, p in enumerate(PLAYS) if SIDES[PLAY_SIDE[i]] == by])
        tier = np.where((batch.status[:, plays] == BLOCKED).all(axis=1), 1, 0)
    return np.where(insufficient, 2, tier)


def rank_results(engine: Engine, entries: Iterable[Entry], by: str = BEST) -> list[dict]:
    """Score every valid entry (``CHUNK`` at a time) and return the elements best first
    (by ``rank_tier``, then ``rank_key``), then one error element per unreadable entry.

    ``entries`` may be a generator (``batchread.iter_inputs``, a slice at a time): only one
    chunk of profiles is held at once, then only the result elements and their keys.
    """
    if by not in RANK_BY:
        raise ValueError(f"cannot rank by {by!r}; expected one of {', '.join(RANK_BY)}")
    results: list[dict] = []
    keys: list[tuple[int, float]] = []
    errors: list[dict] = []
    part: list[Entry] = []

    def score_part() -> None:
        batch = engine.score([e.profile for e in part])
        keys.extend(zip(rank_tier(batch, by).tolist(), (-rank_key(batch, by)).tolist()))
        results.extend(batch_results(engine, batch, part))
        part.clear()

    for entry in entries:
        [entry] = admitted(engine, [entry])
        if not entry.ok:
            errors.append({"source": entry.source, "error": summary_line(entry.errors)})
            continue
        part.append(entry)
        if len(part) == CHUNK:
            score_part()
    if part:
        score_part()
    order = sorted(range(len(results)), key=keys.__getitem__)  # sorted() is stable
    ranked = []
    for n, i in enumerate(order, start=1):
        # In place, not a copy of each element: 100,000 copies were 65 MB more at the peak.
        element = results[i]
        element["rank"], element["ranked_by"] = n, by
        ranked.append(element)
    return ranked + errors
