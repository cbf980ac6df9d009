"""A committee's weights: several partners' weight sets or AHP judgements combined into one.

Each partner gives one file (``gtmcompass.io.weights``): plain weights, AHP judgements of the
five criterion families, or both. They are combined the way group AHP does (Forman &
Peniwati 1998, "Aggregating individual judgments and priorities with the Analytic Hierarchy
Process", EJOR 108(1) 165-169):

- **AIJ, aggregation of individual judgements**, when every partner gave judgements: the
  group's judgement of each pair of families is the element-wise geometric mean of the
  partners' judgements, ``a_ij = (prod_k a_ij^(k))^(1/K)``. It is the only mean that keeps a
  reciprocal matrix reciprocal (the group's a_ji is 1/a_ij; Aczel & Saaty 1983, "Procedures
  for synthesizing ratio judgements", J. Math. Psych. 27(1) 93-102). The group's family
  weights are that matrix's principal eigenvector (``decide.ahp.ahp_weights``) and scale the
  within-family weights, which are the partners' own weights combined as below (the
  catalogue's when no partner changed any).
- **AIP, aggregation of individual priorities**, when some partner gave plain weights:
  every partner's weights (judgements already applied) are combined per play by the
  normalised geometric mean of their shares, ``w_j = prod_k s_j^(k)^(1/K) / sum_l prod_k
  s_l^(k)^(1/K)``, where ``s^(k)`` is partner k's share of the play's weight magnitude on
  criterion j. The result is put back on the partners' scale (the geometric mean of their
  totals). A weight one partner sets to 0 is 0 for the group, as a geometric mean does;
  partners who disagree on a weight's sign (one calls a criterion a headwind, another a
  tailwind) have no geometric mean and are refused, naming the weight.

One partner gives exactly that partner's own weights (nothing is averaged).

**Consensus** is Goepel's AHP consensus indicator (Goepel 2013, "Implementing the Analytic
Hierarchy Process as a standard method for multi-criteria decision making in corporate
enterprises", Proc. ISAHP 2013, Kuala Lumpur; as implemented in AHP-OS, Goepel 2018, IJAHP
10(3) 469-487, eq. 21). For K partners' priority vectors ``w^(k)`` over n items:

- Shannon alpha entropy ``H_a = (1/K) sum_k H(w^(k))`` with ``H(w) = -sum_i w_i ln w_i``,
- gamma entropy ``H_g = H(mean_k w^(k))`` (the arithmetic mean vector),
- beta entropy ``H_b = H_g - H_a`` and beta diversity ``D_b = exp(H_b)`` (1 when all agree,
  up to min(K, n) when they share nothing),
- ``S* = (1/D_b - c) / (1 - c)`` with ``c = exp(H_a,min) / n``, ``H_a,min`` the entropy of a
  vector with one item M = 9 times each other item (``M/(n+M-1)`` and ``1/(n+M-1)``).

For AIJ the vectors are the partners' family weights (n = 5, M = 9: Goepel's S* exactly).
For AIP there is no judgement scale, so Goepel's relative homogeneity applies instead,
``S = (1/D_b - 1/n) / (1 - 1/n)`` (the same formula with ``exp(H_a,min) = 1``), computed per
play over the criteria any partner weighs for it and averaged over the four plays. Both are
1 when every partner gives the same weights and fall towards 0 as they diverge; Goepel reads
S* below 0.5 as very low consensus, 0.5-0.65 low, 0.65-0.75 moderate, 0.75-0.85 high and
above 0.85 very high. S* can fall slightly below 0 for partners further apart than one
item 9 times each other, as in AHP-OS.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gtmcompass.decide.ahp import (
    SCALE_MAX,
    AHPResult,
    ahp_weights,
    apply_family_weights,
    family_ids,
    pairwise_matrix,
)
from gtmcompass.io.weights import WeightSet, from_matrix
from gtmcompass.model.catalogue import Catalogue, load_catalogue
from gtmcompass.scoring.engine import CommitteeView, Engine
from gtmcompass.vocab.i18n import tr
from gtmcompass.vocab.terms import PLAYS

AIJ, AIP = "AIJ", "AIP"
# Goepel's reading of S* (AHP-OS, Goepel 2018, table 2): upper bounds of each word.
CONSENSUS_WORDS = ((0.5, "very_low"), (0.65, "low"), (0.75, "moderate"), (0.85, "high"),
                   (math.inf, "very_high"))


class CommitteeError(ValueError):
    """Partners' weights that cannot be combined (no partner, or a sign they disagree on)."""


@dataclass(frozen=True)
class Committee:
    """The combined weights of several partners and how far apart they are."""

    partners: tuple[WeightSet, ...]  # each partner's own weights, judgements applied
    weight_set: WeightSet  # the group's
    method: str  # AIJ or AIP
    consensus: float  # Goepel's S* (AIJ) or relative homogeneity S (AIP); 1 = identical
    group_ahp: AHPResult | None = None  # AIJ: the group matrix's weights, lambda_max, CR

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.partners)

    def engine(self, catalogue: Catalogue | None = None, **options: object) -> Engine:
        """An engine with the group's weights (``options`` as ``Engine`` takes them: rate,
        day) that also says per profile which play each partner's own weights pick. One
        partner: ``Engine(weight_set=partner)``, no committee, exactly as one ``--weights``.
        Partners' engines come from ``with_weights``, sharing the compiled rules."""
        if len(self.partners) == 1:
            return Engine(catalogue, self.weight_set, **options)  # type: ignore[arg-type]
        return self.on(Engine(catalogue, self.weight_set, **options))  # type: ignore[arg-type]

    def on(self, engine: Engine) -> Engine:
        """``engine`` (its rules, rate and day) with the group's weights and, for several
        partners, each partner's engine (``with_weights``) for per-profile agreement."""
        new = engine.with_weights(self.weight_set)
        if len(self.partners) == 1:
            return new
        view = CommitteeView(self.names, tuple(engine.with_weights(p) for p in self.partners),
                             self.method, self.consensus)
        return new.with_committee(view)

    def summary(self, lang: str = "en") -> str:
        """One line for people: how many partners, how combined, how close."""
        return summary_text(len(self.partners), self.method, self.consensus, lang)


def summary_text(partners: int, method: str, consensus: float, lang: str = "en") -> str:
    return tr("committee.summary", lang, k=partners, method=method,
              consensus=f"{consensus:.2f}",
              word=tr(f"committee.consensus.{consensus_word(consensus)}", lang))


def consensus_word(value: float) -> str:
    return next(word for bound, word in CONSENSUS_WORDS if value < bound)


# -- the two means ------------------------------------------------------------------------

def geometric_mean_matrix(matrices: Sequence[np.ndarray]) -> np.ndarray:
    """The element-wise geometric mean of positive reciprocal matrices (AIJ); one matrix is
    returned as it is."""
    stack = np.asarray(matrices, dtype=float)
    if len(stack) == 1:
        return stack[0].copy()
    return np.exp(np.log(stack).mean(axis=0))


def aip_matrix(signed: Sequence[np.ndarray], catalogue: Catalogue | None = None,
               names: Sequence[str] = ()) -> np.ndarray:
    """The (4, m) signed matrix of the normalised geometric mean of each play's shares (AIP).

    Raises CommitteeError when partners give one weight opposite signs, or when a play has
    no criterion every partner weighs.
    """
    cat = catalogue or load_catalogue()
    stack = np.asarray(signed, dtype=float)  # (K, 4, m)
    if len(stack) == 1:
        return stack[0].copy()
    sign = np.sign(stack)
    clash = (sign.max(axis=0) > 0) & (sign.min(axis=0) < 0)
    if clash.any():
        i, j = map(int, np.argwhere(clash)[0])
        who = names or [f"partner {k + 1}" for k in range(len(stack))]
        sides = "; ".join(f"{who[k]} {stack[k, i, j]:g}" for k in range(len(stack)))
        raise CommitteeError(
            f"weights.{cat.criterion_ids[j]}.{PLAYS[i]}: expected one sign from every "
            f"partner (a headwind for all or a tailwind for all), got {sides}")
    magnitude = np.abs(stack)
    totals = magnitude.sum(axis=2)  # (K, 4)
    share = magnitude / totals[:, :, None]
    with np.errstate(divide="ignore"):
        mean = np.exp(np.log(share).mean(axis=0))  # 0 wherever any partner has 0
    row = mean.sum(axis=1)
    for i, play in enumerate(PLAYS):
        if row[i] <= 0:
            raise CommitteeError(f"play {play}: no criterion has a non-zero weight from every "
                                 "partner; a geometric mean leaves it none")
    scale = np.exp(np.log(totals).mean(axis=0))  # the partners' typical total, per play
    direction = np.where(sign.min(axis=0) < 0, -1.0, 1.0)
    return direction * mean / row[:, None] * scale[:, None]


# -- consensus ----------------------------------------------------------------------------

def _entropy(w: np.ndarray) -> np.ndarray:
    """Shannon entropy (nats) along the last axis; 0 ln 0 counts as 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(w > 0, -w * np.log(w), 0.0)
    return terms.sum(axis=-1)


def beta_diversity(vectors: np.ndarray) -> float:
    """``D_b = exp(H_gamma - H_alpha)`` of K priority vectors (K, n), each summing to 1."""
    w = np.asarray(vectors, dtype=float)
    h_alpha = float(_entropy(w).mean())
    h_gamma = float(_entropy(w.mean(axis=0)))
    return math.exp(h_gamma - h_alpha)


def ahp_consensus(vectors: np.ndarray, scale_max: float = SCALE_MAX) -> float:
    """Goepel's AHP consensus S* of K priority vectors (K, n) from judgements on a 1..M scale."""
    w = np.asarray(vectors, dtype=float)
    n = w.shape[1]
    big, small = scale_max / (n + scale_max - 1), 1.0 / (n + scale_max - 1)
    h_alpha_min = -big * math.log(big) - (n - 1) * small * math.log(small)
    c = math.exp(h_alpha_min) / n
    return (1.0 / beta_diversity(w) - c) / (1.0 - c)


def relative_homogeneity(vectors: np.ndarray) -> float:
    """Goepel's relative homogeneity S of K distributions (K, n): ``(1/D_b - 1/n)/(1 - 1/n)``."""
    w = np.asarray(vectors, dtype=float)
    n = w.shape[1]
    if n <= 1:
        return 1.0
    return (1.0 / beta_diversity(w) - 1.0 / n) / (1.0 - 1.0 / n)


def weights_consensus(signed: Sequence[np.ndarray]) -> float:
    """Relative homogeneity of the partners' weight shares, per play, averaged over plays."""
    magnitude = np.abs(np.asarray(signed, dtype=float))  # (K, 4, m)
    share = magnitude / magnitude.sum(axis=2, keepdims=True)
    values = []
    for i in range(len(PLAYS)):
        used = (share[:, i, :] > 0).any(axis=0)
        values.append(relative_homogeneity(share[:, i, used]))
    return float(np.mean(values))


# -- partners -----------------------------------------------------------------------------

def resolve(weight_set: WeightSet, catalogue: Catalogue | None = None,
            ) -> tuple[WeightSet, AHPResult | None]:
    """A partner's own weights: the file's weights with its judgements (if any) applied as
    family weights (``decide.ahp``), and the judgements' AHP result (None without)."""
    if not weight_set.judgements:
        return weight_set, None
    cat = catalogue or load_catalogue()
    result = ahp_weights(pairwise_matrix(family_ids(cat), weight_set.judgement_pairs()))
    signed = apply_family_weights(weight_set.matrix(cat),
                                  dict(zip(family_ids(cat), map(float, result.weights))), cat)
    return _named(weight_set.name, signed, cat, result), result


def _named(name: str, signed: np.ndarray, cat: Catalogue, result: AHPResult) -> WeightSet:
    shares = ", ".join(f"{f} {w:.3f}" for f, w in zip(family_ids(cat), result.weights))
    return from_matrix(name, signed, cat, description=f"Family weights from pairwise "
                       f"comparisons (AHP, CR {result.cr:.3f}): {shares}")


def combine(weight_sets: Sequence[WeightSet], catalogue: Catalogue | None = None,
            name: str | None = None) -> Committee:
    """The committee of ``weight_sets`` (one per partner): AIJ when every partner gave
    judgements, else AIP (module docstring). Raises CommitteeError."""
    cat = catalogue or load_catalogue()
    if not weight_sets:
        raise CommitteeError("a committee needs at least one partner's weights")
    resolved = [resolve(ws, cat) for ws in weight_sets]
    partners = tuple(ws for ws, _ in resolved)
    if len(partners) == 1:
        return Committee(partners, partners[0], AIJ if resolved[0][1] else AIP, 1.0,
                         resolved[0][1])
    group_name = name or "+".join(p.name for p in partners)[:120]
    if all(ws.judgements for ws in weight_sets):
        fams = family_ids(cat)
        matrices = [pairwise_matrix(fams, ws.judgement_pairs()) for ws in weight_sets]
        group = ahp_weights(geometric_mean_matrix(matrices))
        base = aip_matrix([ws.matrix(cat) for ws in weight_sets], cat, [ws.name for ws in weight_sets])
        signed = apply_family_weights(base, dict(zip(fams, map(float, group.weights))), cat)
        consensus = ahp_consensus(np.array([r.weights for _, r in resolved]))
        return Committee(partners, _named(group_name, signed, cat, group), AIJ, consensus,
                         group)
    matrices = [p.matrix(cat) for p in partners]
    signed = aip_matrix(matrices, cat, [p.name for p in partners])
    return Committee(partners, from_matrix(group_name, signed, cat,
                                           description=f"Committee of {len(partners)} (AIP)"),
                     AIP, weights_consensus(matrices))


def load_committee(paths: Sequence[str], catalogue: Catalogue | None = None) -> Committee:
    """The committee of the weight files ``paths`` (one per partner), read through the capped
    reader. Raises WeightsError (a file's problems, each naming it) or CommitteeError."""
    from gtmcompass.io.weights import load_weights

    cat = catalogue or load_catalogue()
    return combine([load_weights(path, cat) for path in paths], cat)


def agreement_text(committee: dict, play: str, lang: str = "en") -> str:
    """"3 of 4 partners' weights give Private deployment": a result's ``committee`` key and
    the play the result names (said by its translated name, never its id)."""
    from gtmcompass.decide.playbook import play_label

    return tr("committee.agree", lang, agree=committee["agree"], of=committee["of"],
              play=play_label(play, lang))


def committee_lines(committee: dict, play: str, lang: str = "en") -> list[str]:
    """The report's sentences for a result's ``committee`` key: who agrees, how close."""
    consensus = committee["consensus"]
    return [agreement_text(committee, play, lang),
            tr("committee.consensus_line", lang, consensus=f"{consensus:.2f}",
               word=tr(f"committee.consensus.{consensus_word(consensus)}", lang),
               method=committee["method"], partners=", ".join(committee["partners"]))]


def engine_for(weight_sets: Sequence[WeightSet], **options: object
               ) -> tuple[Engine, Committee | None]:
    """The engine for zero, one or several partners' weight sets, as ``--weights`` builds it
    on every command and ``gtmcompass.api.score`` does: none, the catalogue's weights; one
    plain set, exactly that set (no committee); else the committee (AIJ / AIP), returned too
    so a caller can say how far apart the partners are. Raises CommitteeError."""
    if not weight_sets:
        return Engine(**options), None  # type: ignore[arg-type]
    if len(weight_sets) == 1 and not weight_sets[0].judgements:
        return Engine(weight_set=weight_sets[0], **options), None  # type: ignore[arg-type]
    committee = combine(weight_sets)
    return committee.engine(**options), committee
