"""Family weights from pairwise comparisons: the analytic hierarchy process (AHP).

A founder or investor compares the five criterion families two at a time on Saaty's 1-9
scale ("procurement barriers matter 3 times as much as the API price war"). The comparisons
form a positive reciprocal matrix A (a_ij = 1 / a_ji, a_ii = 1). Following Saaty:

- the weights are A's principal eigenvector (the eigenvalue of largest real part, which is
  real and positive for a positive matrix: Perron-Frobenius), scaled to sum to 1;
- lambda_max is that eigenvalue; it equals n exactly when the judgements are consistent
  (a_ik = a_ij * a_jk), and grows with inconsistency;
- CI = (lambda_max - n) / (n - 1) and CR = CI / RI(n), where RI is Saaty's random index, the
  mean CI of random reciprocal matrices: 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49
  for n = 1..10. CR above 0.10 means the judgements contradict each other enough to revise.

The tests check this against published worked examples (Saaty 2008's drinks, Saaty 1977's
wealth of nations, and the Wikipedia leader example).

Applying family weights to the engine: the AHP weights say how much each family matters
relative to the others, so they multiply the catalogue's judgement rather than replace it.
Every criterion weight in family f is scaled by ``w_f / mean(w)``: equal AHP weights leave the
catalogue exactly as it is, and "procurement matters 3 times as much as funding" triples the
ratio of procurement to funding weight in every play that uses both, while each criterion
keeps its evidence-based weight inside its family. Replacing each play's family shares
outright would instead give a family that a play touches through one small criterion (b_private
uses the API price-war family only through differentiation, 3 of 104 points) a fifth of the
play. Each play's total magnitude is kept, so weights stay on the catalogue's scale, and every
sign is kept.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np

from gtmcompass.io.weights import WeightSet, from_matrix
from gtmcompass.vocab.i18n import tr
from gtmcompass.model.catalogue import Catalogue, load_catalogue
from gtmcompass.scoring.features import PLAYS

# Saaty's random consistency index for n = 1..10.
RANDOM_INDEX = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
CR_LIMIT = 0.10
# Saaty's scale runs from 1/9 to 9.
SCALE_MIN, SCALE_MAX = 1.0 / 9.0, 9.0
# Reciprocity is checked to this relative tolerance: judgements typed as 0.333 for 1/3 pass.
RECIPROCAL_TOL = 2e-3


class AHPError(ValueError):
    """A comparison matrix that is not a positive reciprocal matrix of size 1..10."""


class AHPResult(NamedTuple):
    """Unpacks as ``(weights, lambda_max, ci, cr)``."""

    weights: np.ndarray
    lambda_max: float
    ci: float
    cr: float

    @property
    def consistent(self) -> bool:
        return self.cr <= CR_LIMIT

    def warning(self, lang: str = "en") -> str | None:
        """A plain warning when CR > 0.10, else None."""
        if self.consistent:
            return None
        return tr("ahp.inconsistent", lang, cr=f"{self.cr:.2f}")


def validate_pairwise(matrix: Sequence[Sequence[float]] | np.ndarray) -> np.ndarray:
    """The matrix as floats, or AHPError naming the first problem (shape, sign, diagonal,
    reciprocity, size)."""
    a = np.asarray(matrix, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise AHPError(f"expected a square matrix, got shape {a.shape}")
    n = a.shape[0]
    if n > len(RANDOM_INDEX):
        raise AHPError(f"expected at most {len(RANDOM_INDEX)} items (Saaty's random index "
                       f"table), got {n}")
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise AHPError("expected positive, finite judgements")
    if not np.allclose(np.diag(a), 1.0):
        raise AHPError("expected 1 on the diagonal (each item equals itself)")
    bad = np.abs(a * a.T - 1.0) > RECIPROCAL_TOL
    if bad.any():
        i, j = map(int, np.argwhere(bad)[0])
        raise AHPError(f"expected a reciprocal matrix: a[{i}][{j}] = {a[i, j]:g} but "
                       f"a[{j}][{i}] = {a[j, i]:g}, not {1 / a[i, j]:g}")
    return a


def ahp_weights(matrix: Sequence[Sequence[float]] | np.ndarray) -> AHPResult:
    """Principal-eigenvector weights, lambda_max, CI and CR of a pairwise comparison matrix.

    ``ahp_weights([[1, 3], [1/3, 1]])`` gives weights (0.75, 0.25), CI = CR = 0. Raises
    AHPError for a matrix that is not positive and reciprocal. For n <= 2 every reciprocal
    matrix is consistent and CR is 0.
    """
    a = validate_pairwise(matrix)
    n = len(a)
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    vector = np.abs(vectors[:, k].real)  # Perron vector: one sign throughout
    weights = vector / vector.sum()
    lambda_max = float(values[k].real)
    ci = max((lambda_max - n) / (n - 1), 0.0) if n > 1 else 0.0
    ri = RANDOM_INDEX[n - 1]
    cr = ci / ri if ri > 0 else 0.0
    return AHPResult(weights, lambda_max, ci, cr)


def pairwise_matrix(items: Sequence[str], judgements: Mapping[tuple[str, str], float],
                    ) -> np.ndarray:
    """The reciprocal matrix from judgements ``{(a, b): how many times a outweighs b}``.

    Each unordered pair is given once, either way round; a pair left out counts as 1 (equal),
    which is what an untouched cell of the app's pairwise grid means. Judgements must lie on
    Saaty's scale, 1/9 to 9.
    """
    index = {item: i for i, item in enumerate(items)}
    a = np.ones((len(items), len(items)))
    seen: set[frozenset[str]] = set()
    for (x, y), value in judgements.items():
        if x not in index or y not in index:
            raise AHPError(f"unknown item in ({x!r}, {y!r}); expected {', '.join(items)}")
        if x == y:
            raise AHPError(f"({x!r}, {y!r}) compares an item with itself")
        pair = frozenset((x, y))
        if pair in seen:
            raise AHPError(f"({x!r}, {y!r}) is judged twice")
        seen.add(pair)
        value = float(value)
        if not math.isfinite(value) or not SCALE_MIN - 1e-9 <= value <= SCALE_MAX + 1e-9:
            raise AHPError(f"({x!r}, {y!r}) = {value:g}; expected 1/9 to 9 (Saaty's scale)")
        a[index[x], index[y]] = value
        a[index[y], index[x]] = 1.0 / value
    return a


def family_ids(catalogue: Catalogue | None = None) -> tuple[str, ...]:
    return tuple(f.id for f in (catalogue or load_catalogue()).family)


def family_shares(signed: np.ndarray, catalogue: Catalogue | None = None,
                  ) -> dict[str, dict[str, float]]:
    """Each play's weight magnitude split by family: {play: {family: share}}, shares summing
    to 1 per play. The app can show these beside the pairwise grid as the starting point."""
    cat = catalogue or load_catalogue()
    magnitude = np.abs(np.asarray(signed, dtype=float))
    out = {}
    for i, play in enumerate(PLAYS):
        total = magnitude[i].sum()
        out[play] = {
            fam: float(sum(magnitude[i, j] for j, c in enumerate(cat.criterion)
                           if c.family == fam) / total)
            for fam in family_ids(cat)
        }
    return out


def apply_family_weights(signed: np.ndarray, family_weights: Mapping[str, float],
                         catalogue: Catalogue | None = None) -> np.ndarray:
    """A new (4, m) signed matrix with each family's weights scaled by its relative importance.

    See the module docstring: family f's weights are multiplied by ``w_f / mean(w)`` (equal
    weights change nothing), then each play's total magnitude is restored; signs are kept.
    ``family_weights`` needs a finite, non-negative weight for every family.
    """
    cat = catalogue or load_catalogue()
    fams = family_ids(cat)
    missing = set(fams) - set(family_weights)
    if missing:
        raise AHPError(f"no weight for families {sorted(missing)}")
    unknown = set(family_weights) - set(fams)
    if unknown:
        raise AHPError(f"unknown families {sorted(unknown)}; expected {', '.join(fams)}")
    if any(not math.isfinite(v) or v < 0 for v in family_weights.values()):
        raise AHPError("family weights must be finite and non-negative")
    signed = np.asarray(signed, dtype=float)
    wanted = np.array([family_weights[f] for f in fams])
    if wanted.sum() <= 0:
        raise AHPError("every family has weight 0")
    family_of = np.array([fams.index(c.family) for c in cat.criterion])
    scaled = signed * (wanted / wanted.mean())[family_of][None, :]
    before = np.abs(signed).sum(axis=1)
    after = np.abs(scaled).sum(axis=1)
    for i, play in enumerate(PLAYS):
        if after[i] <= 0:
            raise AHPError(f"play {play}: every family it uses has weight 0")
    return scaled * (before / after)[:, None]


def ahp_weight_set(name: str, matrix: Sequence[Sequence[float]] | np.ndarray,
                   base: WeightSet | None = None, catalogue: Catalogue | None = None,
                   ) -> tuple[WeightSet, AHPResult]:
    """A named weight set whose family shares come from a family comparison matrix.

    ``matrix`` compares the catalogue's families in catalogue order (``family_ids()``);
    ``base`` (default: the catalogue's weights) supplies the weights within each family.
    The set's description records the AHP weights and CR, so a saved file says how it was
    made. Save it with ``gtmcompass.io.weights.save_weights``.
    """
    cat = catalogue or load_catalogue()
    result = ahp_weights(matrix)
    fams = family_ids(cat)
    if len(result.weights) != len(fams):
        raise AHPError(f"expected a {len(fams)} x {len(fams)} matrix, one row per family "
                       f"({', '.join(fams)})")
    start = (base or WeightSet("catalogue")).matrix(cat)
    family_weights = dict(zip(fams, map(float, result.weights)))
    signed = apply_family_weights(start, family_weights, cat)
    shares = ", ".join(f"{f} {w:.3f}" for f, w in family_weights.items())
    description = f"Family weights from pairwise comparisons (AHP, CR {result.cr:.3f}): {shares}"
    return from_matrix(name, signed, cat, description=description), result
