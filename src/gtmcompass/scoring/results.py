"""Batch results as the contract's JSON elements (``shared/profile-format.md``).

Every output format (``gtmcompass.render.formats``) renders these dicts. Extra keys
beyond the contract: ``weights`` (the weight set that produced the result) and
``win_shares`` (how often each play comes out on top under the sampled weightings).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from gtmcompass.io.files import Entry
from gtmcompass.model.problems import summary_line
from gtmcompass.scoring.engine import CHUNK, BatchScores, Engine
from gtmcompass.scoring.features import PLAYS, SIDES


def score_entries(engine: Engine, entries: Sequence[Entry]) -> list[dict]:
    """Score every valid entry, ``CHUNK`` per engine call; errors keep their place in the output.

    Profiles are scored independently of each other, so slicing changes no result; it keeps
    the engine's arrays (about 16 KB a profile) at a few tens of MB for any batch.
    """
    good = [e for e in entries if e.ok]
    elements: list[dict] = []
    for start in range(0, len(good), CHUNK):
        part = good[start:start + CHUNK]
        elements.extend(batch_results(engine, engine.score([e.profile for e in part]), part))
    scored = iter(elements)
    return [next(scored) if entry.ok else {"source": entry.source,
                                           "error": summary_line(entry.errors)}
            for entry in entries]


def batch_results(engine: Engine, batch: BatchScores, entries: Sequence[Entry]) -> list[dict]:
    """The JSON elements of a scored batch, one per entry, in order.

    Each array becomes Python numbers with one ``tolist()``: 10,000 profiles then take 45 ms
    here instead of 220 ms of numpy scalar conversions one element at a time.
    """
    flag_ids = [f.id for f in engine.flags]
    return [
        _element(engine, entry, scores, to_b, to_c, side, play, confidence,
                 [fid for fid, raised in zip(flag_ids, flags) if raised], shares)
        for entry, scores, to_b, to_c, side, play, confidence, flags, shares in zip(
            entries, batch.scores.tolist(), batch.to_b.tolist(), batch.to_c.tolist(),
            batch.side.tolist(), batch.play.tolist(), batch.confidence.tolist(),
            batch.flags.tolist(), batch.win_share.tolist())
    ]


def result_dict(engine: Engine, batch: BatchScores, i: int, entry: Entry) -> dict:
    return _element(
        engine, entry, batch.scores[i].tolist(), float(batch.to_b[i]), float(batch.to_c[i]),
        int(batch.side[i]), int(batch.play[i]), float(batch.confidence[i]),
        [engine.flags[j].id for j in np.flatnonzero(batch.flags[i])], batch.win_share[i].tolist())


def _element(engine: Engine, entry: Entry, scores: list[float], to_b: float, to_c: float,
             side: int, play: int, confidence: float, flags: list[str],
             shares: list[float]) -> dict:
    return {
        "source": entry.source,
        "name": entry.profile.name,
        "scores": {p: round(s, 1) for p, s in zip(PLAYS, scores)},
        "to_b": round(to_b, 1),
        "to_c": round(to_c, 1),
        "side": SIDES[side],
        "play": PLAYS[play],
        "confidence": None if math.isnan(confidence) else round(confidence, 3),
        "flags": flags,
        "weights": engine.weights_name,
        "win_shares": {p: round(s, 3) for p, s in zip(PLAYS, shares)},
    }
