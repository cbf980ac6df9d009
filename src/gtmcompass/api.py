"""The Python API, for notebooks and scripts: load profiles, score them, read the decisions.

Stable names (listed in the README, section "Python API"; nothing else here is promised):

- ``load(*paths, lenient=False)``: entries from profile files, batch files, folders and
  spreadsheets, in order; each is an ``Entry`` with ``source``, ``profile`` (or ``None``) and
  ``errors`` (one-line messages).
- ``profile(doc, source="<dict>")``: a ``Profile`` from a dict shaped like a profile file;
  raises ``ProfileError`` naming the key path and what was expected.
- ``score(items, *, weights=None, cny_per_usd=None, as_of=None)``: one ``Result`` per item
  (an item is an ``Entry``, a ``Profile``, a dict or a path), each with its ``Decision``.
- ``records(results)``: plain dicts, one per result, with the CSV result's columns, ready for
  ``pandas.DataFrame(records(...))`` (pandas is not a dependency).
- ``Decision``, ``Entry``, ``Profile``, ``Result``, ``ProfileError``: the types these return.

Scoring goes through the same engine, in the same batches, as ``gtmcompass score``: a profile
scores here exactly as it does on the command line.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Union

from gtmcompass.decide.committee import CommitteeError, engine_for
from gtmcompass.io.files import Entry, load_all, validate_document
from gtmcompass.io.weights import WeightSet, WeightsError, load_weights
from gtmcompass.model.profile import Profile
from gtmcompass.model.problems import summary_line
from gtmcompass.render.formats import flat_row
from gtmcompass.scoring.decision import Decision, decisions
from gtmcompass.scoring.engine import CHUNK
from gtmcompass.scoring.results import admitted, element

__all__ = ["Decision", "Entry", "Profile", "ProfileError", "Result", "load", "profile",
           "records", "score"]

Item = Union[Entry, Profile, Mapping, str, os.PathLike]


class ProfileError(ValueError):
    """A profile (or weights) that did not validate; ``problems`` are one-line messages."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.problems[0] if len(self.problems) == 1
                         else "; ".join(self.problems))


@dataclass(frozen=True)
class Result:
    """One scored item: its ``decision``, or the ``errors`` that kept it from being scored.

    ``errors`` are the lines ``gtmcompass validate`` prints (file, key path, what was
    expected); ``error`` is the one-line summary the JSON result carries.
    """

    source: str
    decision: Decision | None
    errors: tuple[str, ...] = ()
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.decision is not None

    def to_dict(self) -> dict:
        """The contract's JSON element, as ``gtmcompass score --format json`` prints it."""
        if self.decision is None:
            return {"source": self.source, "error": self.error}
        return element(self.source, self.decision)


def load(*paths: str | os.PathLike, lenient: bool = False) -> list[Entry]:
    """Entries from files, batch files, folders and spreadsheets, in the order given.

    A file that cannot be read, or a profile that does not validate, is an ``Entry`` whose
    ``errors`` say why; the others load as usual.
    """
    return load_all([os.fspath(p) for p in paths], lenient=lenient, streams=True)


def profile(doc: Mapping, source: str = "<dict>") -> Profile:
    """A validated profile from a dict shaped like a profile file (``schema_version`` 1)."""
    entry = validate_document(dict(doc), source)
    if not entry.ok:
        raise ProfileError([str(e) for e in entry.errors])
    return entry.profile


def _entries(items: Iterable[Item]) -> list[Entry]:
    out: list[Entry] = []
    for n, item in enumerate(items, 1):
        if isinstance(item, Entry):
            out.append(item)
        elif isinstance(item, Profile):
            out.append(Entry(f"<profile {n}>", item))
        elif isinstance(item, Mapping):
            out.append(validate_document(dict(item), f"<dict {n}>"))
        elif isinstance(item, (str, os.PathLike)):
            out.extend(load(item))
        else:
            raise TypeError(f"item {n}: expected an Entry, Profile, dict or path, "
                            f"got {type(item).__name__}")
    return out


Weights = Union[WeightSet, str, os.PathLike]


def _weight_sets(weights: Weights | Sequence[Weights] | None) -> list[WeightSet]:
    if weights is None:
        return []
    if isinstance(weights, (WeightSet, str, os.PathLike)):
        weights = [weights]
    out = []
    for w in weights:
        try:
            out.append(w if isinstance(w, WeightSet) else load_weights(os.fspath(w)))
        except WeightsError as exc:
            raise ProfileError([str(e) for e in exc.errors]) from None
    return out


def score(items: Iterable[Item] | Item, *, weights: Weights | Sequence[Weights] | None = None,
          cny_per_usd: float | None = None, as_of: dt.date | None = None) -> list[Result]:
    """Score ``items`` (one item or many) and return one ``Result`` per profile, in order.

    ``weights``: a weight-set or judgement file (or a loaded ``WeightSet``), or a list of
    them, one per partner of a committee, combined as ``--weights a --weights b`` does;
    ``cny_per_usd``: yuan per dollar (default 7.2); ``as_of``: the day every profile is scored
    for (default: each profile's own ``as_of``, else today), as ``--as-of`` does.
    """
    if isinstance(items, (Entry, Profile, Mapping, str, os.PathLike)):
        items = [items]
    try:
        engine, _ = engine_for(_weight_sets(weights), cny_per_usd=cny_per_usd, as_of=as_of,
                               as_of_override=as_of is not None)
    except CommitteeError as exc:
        raise ProfileError([str(exc)]) from None
    entries = admitted(engine, _entries(items))
    good = [e for e in entries if e.ok]
    found: list[Decision] = []
    for start in range(0, len(good), CHUNK):  # the CLI's batches: same arrays, same results
        part = good[start:start + CHUNK]
        found.extend(decisions(engine, engine.score([e.profile for e in part]),
                               [e.profile.name for e in part]))
    scored = iter(found)
    return [Result(e.source, next(scored)) if e.ok
            else Result(e.source, None, tuple(str(p) for p in e.errors), summary_line(e.errors))
            for e in entries]


def records(results: Iterable[Result]) -> list[dict]:
    """One flat dict per result, the CSV result's columns as keys, numbers kept as numbers."""
    return [flat_row(r.to_dict()) for r in results]
