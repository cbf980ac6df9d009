"""Batch results as the contract's JSON elements (``shared/profile-format.md``).

Every output format (``gtmcompass.render.formats``) renders these dicts. Extra keys
beyond the contract: ``weights`` (the weight set that produced the result) and
``win_shares`` (how often each play comes out on top under the sampled weightings) and,
for several ``--weights`` files, ``committee`` (``gtmcompass.decide.committee``).
"""

from __future__ import annotations

from collections.abc import Sequence

from gtmcompass.io.files import Entry
from gtmcompass.model.problems import InputError, summary_line
from gtmcompass.scoring.decision import Decision, decisions
from gtmcompass.scoring.engine import CHUNK, BatchScores, Engine


def score_entries(engine: Engine, entries: Sequence[Entry]) -> list[dict]:
    """Score every valid entry, ``CHUNK`` per engine call; errors keep their place in the output.

    Profiles are scored independently of each other, so slicing changes no result; it keeps
    the engine's arrays (about 16 KB a profile) at a few tens of MB for any batch.
    """
    entries = admitted(engine, entries)
    good = [e for e in entries if e.ok]
    elements: list[dict] = []
    for start in range(0, len(good), CHUNK):
        part = good[start:start + CHUNK]
        elements.extend(batch_results(engine, engine.score([e.profile for e in part]), part))
    scored = iter(elements)
    return [next(scored) if entry.ok else {"source": entry.source,
                                           "error": summary_line(entry.errors)}
            for entry in entries]


def admitted(engine: Engine, entries: Sequence[Entry]) -> list[Entry]:
    """``entries``, with a profile founded after the day ``--as-of`` names refused alone.

    A file's own ``as_of`` is checked when it is read; a day imposed on a whole batch can only
    be checked here, and a company cannot be scored for a year before it existed.
    """
    day = engine.as_of if engine.as_of_override else None
    if day is None:
        return list(entries)
    out = []
    for e in entries:
        if e.ok and e.profile.team.founded_year > day.year:
            e = Entry(e.source, errors=[InputError(
                e.source, "as_of",
                f"expected --as-of on or after 1 January {e.profile.team.founded_year} "
                f"(team.founded_year), got {day.isoformat()}")])
        out.append(e)
    return out


def batch_results(engine: Engine, batch: BatchScores, entries: Sequence[Entry]) -> list[dict]:
    """The JSON elements of a scored batch, one per entry, in order."""
    found = decisions(engine, batch, [e.profile.name for e in entries])
    return [element(entry.source, d) for entry, d in zip(entries, found)]


def result_dict(engine: Engine, batch: BatchScores, i: int, entry: Entry) -> dict:
    [found] = decisions(engine, _row(batch, i), [entry.profile.name])
    return element(entry.source, found)


def _row(batch: BatchScores, i: int) -> BatchScores:
    return BatchScores(**{k: None if v is None else v[i:i + 1] for k, v in vars(batch).items()})


def element(source: str, d: Decision) -> dict:
    """The contract's JSON element for one decision (``shared/profile-format.md``)."""
    return {
        "source": source,
        "name": d.name,
        "scores": {p: round(s, 1) for p, s in d.scores.items()},
        "to_b": round(d.to_b, 1),
        "to_c": round(d.to_c, 1),
        "side": d.side,
        "play": d.play,
        "confidence": None if d.confidence is None else round(d.confidence, 3),
        "flags": list(d.flags),
        "weights": d.weights,
        "win_shares": {p: round(s, 3) for p, s in d.win_shares.items()},
        "verdict": d.verdict,
        "status": dict(d.status),
        "blockers": {p: list(ids) for p, ids in d.blockers.items()},
        "missing": list(d.missing),
        "as_of": d.as_of.isoformat(),
        **({"committee": d.committee} if d.committee is not None else {}),
    }
