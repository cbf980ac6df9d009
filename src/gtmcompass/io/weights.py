"""Weight sets: named overrides of the catalogue's weights, read from and written to TOML.

A weight set file::

    name = "cautious-investor"        # optional; defaults to the file's stem
    description = "More weight on cash"  # optional
    [weights.runway]                  # a criterion id from `gtmcompass criteria`
    b_private = 12.0                  # a play: b_private, b_api, c_domestic, c_overseas

Only the weights it names change; every other weight keeps the catalogue's value. Files are
validated like profiles: unknown criteria or plays get a did-you-mean, non-numbers and NaN
are refused, and every play must keep at least one non-zero weight.

A file may instead (or as well) hold AHP judgements, family against family on Saaty's 1-9
scale (``gtmcompass criteria`` lists the families)::

    [judgements.procurement]          # a family
    api_price_war = 3                 # procurement matters 3 times as much as the price war

A pair left out counts as 1 (equal); each pair is judged once, either way round, from 1/9
to 9. ``gtmcompass.decide.committee.resolve`` turns such a file into weights (the family
weights scale the file's own weights, ``gtmcompass.decide.ahp``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import tomli_w

from gtmcompass.io.files import atomic_write_text, load_path_bytes, parse_bytes
from gtmcompass.model.catalogue import Catalogue, load_catalogue
from gtmcompass.model.problems import (
    MAX_ERRORS,
    InputError,
    describe_value,
    did_you_mean,
    format_loc,
    omitted,
    shorten,
)
from gtmcompass.vocab.terms import PLAYS

TOP_KEYS = ("name", "description", "weights", "judgements")
# Saaty's scale, 1/9 to 9 (as gtmcompass.decide.ahp, which this layer may not import).
JUDGEMENT_MIN, JUDGEMENT_MAX = 1.0 / 9.0, 9.0
NAME_MAX = 120


@dataclass
class WeightSet:
    name: str
    overrides: dict[str, dict[str, float]] = field(default_factory=dict)
    description: str = ""
    # {family: {family: how many times the first outweighs the second}}; empty: no judgements.
    judgements: dict[str, dict[str, float]] = field(default_factory=dict)

    def judgement_pairs(self) -> dict[tuple[str, str], float]:
        """The judgements as ``{(a, b): value}``, as ``decide.ahp.pairwise_matrix`` takes them."""
        return {(a, b): v for a, per in self.judgements.items() for b, v in per.items()}

    def matrix(self, catalogue: Catalogue | None = None) -> np.ndarray:
        """The (4, m) signed weight matrix: catalogue weights with these overrides applied."""
        cat = catalogue or load_catalogue()
        ids = cat.criterion_ids
        signed = np.array([[c.weights[p] for c in cat.criterion] for p in PLAYS], dtype=float)
        for cid, per_play in self.overrides.items():
            for play, w in per_play.items():
                signed[PLAYS.index(play), ids.index(cid)] = w
        return signed

    def to_document(self) -> dict:
        doc: dict = {"name": self.name}
        if self.description:
            doc["description"] = self.description
        doc["weights"] = {cid: dict(per) for cid, per in self.overrides.items()}
        if self.judgements:
            doc["judgements"] = {a: dict(per) for a, per in self.judgements.items()}
        return doc


class WeightsError(ValueError):
    def __init__(self, errors: list[InputError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def parse_weights(doc: dict, source: str, catalogue: Catalogue | None = None) -> WeightSet:
    """Validate a parsed weight-set document; raise WeightsError listing every problem.

    As for profiles, at most MAX_ERRORS problems are described (a did-you-mean costs about
    25 microseconds, 5 s for 200,000 unknown criteria) and the rest are counted; keys are
    shortened in messages, since a key may be 20,000 characters long.
    """
    cat = catalogue or load_catalogue()
    errors: list[InputError] = []
    extra = 0

    def full() -> bool:
        nonlocal extra
        if len(errors) < MAX_ERRORS:
            return False
        extra += 1
        return True

    def bad(loc: tuple, message: str) -> None:
        if not full():
            errors.append(InputError(source, format_loc(loc), message))

    def unknown(what: str, key: str, choices, where: str = "") -> str:
        guess = did_you_mean(key, choices)
        hint = f"; did you mean '{guess}'?" if guess else ""
        return f"unknown {what} '{shorten(key)}'{where}{hint}"

    for key in doc:
        if key not in TOP_KEYS and not full():
            errors.append(InputError(source, format_loc((key,)),
                                     unknown("key", key, TOP_KEYS, " at the top level")))
    name = doc.get("name", Path(source).stem if source != "<stdin>" else "weights")
    if not isinstance(name, str) or not 1 <= len(name) <= NAME_MAX:
        bad(("name",),
            f"expected a string of 1 to {NAME_MAX} characters, got {describe_value(name)}")
        name = "weights"
    description = doc.get("description", "")
    if not isinstance(description, str):
        bad(("description",), f"expected a string, got {describe_value(description)}")
        description = ""
    table = doc.get("weights", {})
    overrides: dict[str, dict[str, float]] = {}
    if not isinstance(table, dict):
        bad(("weights",), f"expected a table of criteria, got {describe_value(table)}")
        table = {}
    for cid, per_play in table.items():
        if cid not in cat.criterion_ids:
            if not full():
                errors.append(InputError(source, format_loc(("weights", cid)),
                                         unknown("criterion", cid, cat.criterion_ids)))
            continue
        if not isinstance(per_play, dict):
            bad(("weights", cid), f"expected a table of plays, got {describe_value(per_play)}")
            continue
        for play, w in per_play.items():
            loc = ("weights", cid, play)
            if play not in PLAYS:
                if not full():
                    errors.append(InputError(source, format_loc(loc),
                                             unknown("play", play, PLAYS)))
            elif isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w):
                bad(loc, f"expected a finite number, got {describe_value(w)}")
            elif abs(w) > 1000:
                bad(loc, f"expected a number from -1000 to 1000, got {describe_value(w)}")
            else:
                overrides.setdefault(cid, {})[play] = float(w)
    judgements = _judgements(doc.get("judgements", {}), cat, bad, full, unknown, source,
                             errors)
    result = WeightSet(name=name, overrides=overrides, description=description,
                       judgements=judgements)
    if not errors:
        magnitude = np.abs(result.matrix(cat)).sum(axis=1)
        for play, total in zip(PLAYS, magnitude):
            if total <= 0:
                bad(("weights",), f"play {play} has no non-zero weight left; expected at least one")
    if errors:
        raise WeightsError(errors + omitted(source, extra))
    return result


def _judgements(table: object, cat: Catalogue, bad, full, unknown, source: str,
                errors: list[InputError]) -> dict[str, dict[str, float]]:
    """The ``[judgements]`` table checked: known families, no self-comparison, each pair once,
    finite values on Saaty's scale; problems go to ``errors`` through the caller's helpers."""
    families = tuple(f.id for f in cat.family)
    out: dict[str, dict[str, float]] = {}
    if not isinstance(table, dict):
        bad(("judgements",), f"expected a table of families, got {describe_value(table)}")
        return out
    seen: set[frozenset[str]] = set()
    for a, per in table.items():
        if a not in families:
            if not full():
                errors.append(InputError(source, format_loc(("judgements", a)),
                                         unknown("family", a, families)))
            continue
        if not isinstance(per, dict):
            bad(("judgements", a), f"expected a table of families, got {describe_value(per)}")
            continue
        for b, v in per.items():
            loc = ("judgements", a, b)
            if b not in families:
                if not full():
                    errors.append(InputError(source, format_loc(loc),
                                             unknown("family", b, families)))
            elif b == a:
                bad(loc, "expected another family; a family is not compared with itself")
            elif frozenset((a, b)) in seen:
                bad(loc, f"expected each pair once; {b} and {a} are already judged")
            elif isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                bad(loc, f"expected a finite number, got {describe_value(v)}")
            elif not JUDGEMENT_MIN - 1e-9 <= v <= JUDGEMENT_MAX + 1e-9:
                bad(loc, f"expected 1/9 to 9 (Saaty's scale), got {describe_value(v)}")
            else:
                seen.add(frozenset((a, b)))
                out.setdefault(a, {})[b] = float(v)
    return out


def load_weights(path: str, catalogue: Catalogue | None = None) -> WeightSet:
    data, error = load_path_bytes(path)
    if error is None:
        doc, error = parse_bytes(data, path)
    if error is not None:
        raise WeightsError([error])
    return parse_weights(doc, path, catalogue)


def save_weights(weight_set: WeightSet, path: str | Path) -> None:
    atomic_write_text(path, tomli_w.dumps(weight_set.to_document()))


def from_matrix(name: str, signed: np.ndarray, catalogue: Catalogue | None = None,
                description: str = "") -> WeightSet:
    """A weight set holding every weight that differs from the catalogue's."""
    cat = catalogue or load_catalogue()
    base = WeightSet("catalogue").matrix(cat)
    overrides: dict[str, dict[str, float]] = {}
    for j, cid in enumerate(cat.criterion_ids):
        for i, play in enumerate(PLAYS):
            if signed[i, j] != base[i, j]:
                overrides.setdefault(cid, {})[play] = float(signed[i, j])
    return WeightSet(name=name, overrides=overrides, description=description)


# -- named weight sets in a folder ------------------------------------------------------------
#
# The app and the command line keep named weight sets as ``<folder>/<safe name>.toml``. The
# folder is $GTMCOMPASS_WEIGHTS_DIR if set, else $XDG_CONFIG_HOME/gtmcompass/weights, else
# ~/.config/gtmcompass/weights (the XDG default), so sets survive between sessions.

from gtmcompass.vocab.settings import WEIGHTS_DIR_ENV  # noqa: E402,F401  re-exported


def weights_dir() -> Path:
    """The folder named weight sets live in (see above); it may not exist yet."""
    from gtmcompass.vocab.settings import config_home, weights_dir_override

    explicit = weights_dir_override()
    if explicit:
        return Path(explicit)
    config = config_home() or str(Path.home() / ".config")
    return Path(config) / "gtmcompass" / "weights"


def weight_set_path(name: str, folder: str | Path | None = None) -> Path:
    """Where the set called ``name`` is saved: a file name that cannot leave the folder."""
    from gtmcompass.io.files import safe_file_stem

    return Path(folder or weights_dir()) / f"{safe_file_stem(name)}.toml"


def save_named_weights(weight_set: WeightSet, folder: str | Path | None = None) -> Path:
    """Save atomically under its name (creating the folder); returns the path.

    Raises :class:`~gtmcompass.io.files.SaveError` if the folder or file cannot be written.
    """
    from gtmcompass.io.files import SaveError

    path = weight_set_path(weight_set.name, folder)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(f"{path.parent}: could not create: {exc.strerror or exc}") from None
    save_weights(weight_set, path)
    return path


@dataclass
class NamedWeights:
    """One file in the weights folder: its set, or the reason it could not be read."""

    path: Path
    weight_set: WeightSet | None = None
    error: str | None = None


def list_weight_sets(folder: str | Path | None = None,
                     catalogue: Catalogue | None = None) -> list[NamedWeights]:
    """Every ``*.toml`` in the folder, by file name; unreadable files carry their error."""
    base = Path(folder or weights_dir())
    if not base.is_dir():
        return []
    out = []
    for path in sorted(base.glob("*.toml")):
        try:
            out.append(NamedWeights(path, load_weights(str(path), catalogue)))
        except WeightsError as exc:
            out.append(NamedWeights(path, error=str(exc)))
    return out


def load_named_weights(name: str, folder: str | Path | None = None,
                       catalogue: Catalogue | None = None) -> WeightSet:
    """The set saved as ``name`` (by its file name), or WeightsError if missing or invalid."""
    return load_weights(str(weight_set_path(name, folder)), catalogue)
