"""The scoring engine: catalogue -> numpy arrays once, then whole batches per call.

For a batch of n profiles and m criteria:

1. features -> criterion values ``X`` (n, m) in 0..1, one vectorised rule per criterion;
2. each play p earns ``|w_pj| * X_j`` from a criterion with w > 0 and ``|w_pj| * (1 - X_j)``
   from one with w < 0; ``points`` (n, 4, m) = 100 * earned / sum_j |w_pj|, and a play's
   score is the sum of its points, so contributions add up to the score exactly;
3. to_b = max(b_private, b_api), to_c = max(c_domestic, c_overseas) (a company commits to
   one play, so a side is as strong as its best play); the recommended play is the top one;
4. confidence: the same points under ``samples`` weightings drawn from
   Dirichlet(concentration * |w_p| / sum|w_p|) for each play, with a fixed seed; the
   share under which the recommended play stays on top;
5. red flags: the catalogue's conditions on features, side and play.

No step loops over profiles in Python; every profile is scored independently of the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from gtmcompass.catalogue import Catalogue, Condition, Rule, load_catalogue
from gtmcompass.features import (
    CATEGORIES,
    PLAYS,
    SET_FEATURE,
    SIDES,
    Features,
    extract,
)
from gtmcompass.profile import Profile
from gtmcompass.weights import WeightSet

N_PLAYS = len(PLAYS)
B_PLAYS = np.array([0, 1])
C_PLAYS = np.array([2, 3])
# Confidence works on slices of this many profiles so memory stays flat for any batch:
# 2,048 x 4 plays x 1,000 samples x 4 bytes = 33 MB at most.
CHUNK = 2048
CATALOGUE_WEIGHTS = "catalogue"


def evaluate_rule(rule: Rule, features: Features) -> tuple[np.ndarray, np.ndarray]:
    """Criterion values in 0..1 and a mask of the profiles whose input was unknown."""
    n = len(features)
    unknown = np.zeros(n, dtype=bool)
    if rule.kind == "constant":
        return np.full(n, float(rule.value)), unknown
    if rule.kind == "lookup":
        table = np.array([rule.table[v] for v in CATEGORIES[rule.input]])
        return table[features.codes[rule.input]], unknown
    if rule.kind == "count":
        raw = features.count_of(rule.members)
    else:
        raw = features.numeric[rule.input]
        unknown = np.isnan(raw)
        if unknown.any():
            raw = np.where(unknown, rule.unknown_as if rule.unknown_as is not None else 0.0, raw)
    xs, ys = zip(*rule.points)
    return np.interp(raw, xs, ys), unknown


def condition_mask(cond: Condition, features: Features, extra_codes: Mapping[str, np.ndarray]) -> np.ndarray:
    """Where one flag condition holds; numeric tests on unknown (NaN) values are false."""
    if cond.feature == SET_FEATURE:
        mask = np.ones(len(features), dtype=bool)
        if cond.has is not None:
            mask &= features.has(cond.has)
        for q in cond.lacks:
            mask &= ~features.has(q)
        return mask
    if cond.feature in CATEGORIES:
        codes = extra_codes.get(cond.feature, features.codes.get(cond.feature))
        vocab = CATEGORIES[cond.feature]
        return np.isin(codes, [vocab.index(v) for v in cond.is_])
    values = features.numeric[cond.feature]
    mask = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        if cond.below is not None:
            mask &= values < cond.below
        if cond.at_most is not None:
            mask &= values <= cond.at_most
        if cond.at_least is not None:
            mask &= values >= cond.at_least
        if cond.above is not None:
            mask &= values > cond.above
    return mask


@dataclass
class BatchScores:
    """Everything the engine knows about a batch, as arrays indexed by profile first."""

    values: np.ndarray  # (n, m) criterion values 0..1
    unknown: np.ndarray  # (n, m) True where the criterion's input was unknown (prior used)
    points: np.ndarray  # (n, 4, m) points each criterion earns each play
    scores: np.ndarray  # (n, 4) play scores 0..100
    to_b: np.ndarray  # (n,)
    to_c: np.ndarray  # (n,)
    play: np.ndarray  # (n,) index into PLAYS
    side: np.ndarray  # (n,) index into SIDES
    confidence: np.ndarray  # (n,) 0..1
    win_share: np.ndarray  # (n, 4) share of sampled weightings each play wins
    flags: np.ndarray  # (n, f) bool

    def __len__(self) -> int:
        return len(self.scores)


class Engine:
    """A compiled catalogue (and optional weight overrides) that scores batches."""

    def __init__(
        self,
        catalogue: Catalogue | None = None,
        weight_set: WeightSet | None = None,
        *,
        cny_per_usd: float | None = None,
        as_of_year: int | None = None,
        samples: int | None = None,
        seed: int | None = None,
    ) -> None:
        self.catalogue = catalogue or load_catalogue()
        settings = self.catalogue.settings
        self.weight_set = weight_set or WeightSet(CATALOGUE_WEIGHTS)
        self.cny_per_usd = cny_per_usd or settings.cny_per_usd
        self.as_of_year = as_of_year
        self.samples = samples or settings.confidence_samples
        self.seed = settings.confidence_seed if seed is None else seed
        self.criteria = self.catalogue.criterion
        # What an unknown raw figure is taken to be, wherever a derived feature needs it.
        self.assumed = {
            c.rule.input: c.rule.unknown_as for c in self.criteria
            if c.rule.kind == "piecewise" and c.rule.unknown_as is not None
        }
        self.flags = self.catalogue.flag
        self.set_weights(self.weight_set.matrix(self.catalogue))

    @property
    def weights_name(self) -> str:
        return self.weight_set.name

    # -- weights -----------------------------------------------------------------------

    def set_weights(self, signed: np.ndarray) -> None:
        """Install a (4, m) signed weight matrix and redraw the confidence weightings."""
        signed = np.asarray(signed, dtype=float)
        magnitude = np.abs(signed)
        totals = magnitude.sum(axis=1, keepdims=True)
        if not np.all(np.isfinite(signed)) or np.any(totals <= 0):
            raise ValueError("every play needs at least one non-zero, finite weight")
        self.signed = signed
        self.negative = signed < 0  # (4, m)
        self.share = magnitude / totals  # (4, m), rows sum to 1
        rng = np.random.default_rng(self.seed)
        concentration = self.catalogue.settings.dirichlet_concentration
        draws = np.zeros((N_PLAYS, self.samples, len(self.criteria)))
        for p in range(N_PLAYS):
            nz = self.share[p] > 0
            draws[p][:, nz] = rng.dirichlet(concentration * self.share[p, nz], size=self.samples)
        # float32 halves memory and time of the sample products; scores stay exact in float64.
        self.draws = (100.0 * draws).astype(np.float32)  # (4, K, m)

    def weight_table(self) -> dict[str, dict[str, float]]:
        return {
            c.id: {p: float(self.signed[i, j]) for i, p in enumerate(PLAYS)}
            for j, c in enumerate(self.criteria)
        }

    # -- scoring -----------------------------------------------------------------------

    def features(self, profiles: Sequence[Profile]) -> Features:
        return extract(profiles, self.cny_per_usd, self.as_of_year, self.assumed)

    def criterion_values(self, features: Features) -> tuple[np.ndarray, np.ndarray]:
        pairs = [evaluate_rule(c.rule, features) for c in self.criteria]
        values = np.stack([v for v, _ in pairs], axis=1) if pairs else np.zeros((len(features), 0))
        unknown = np.stack([u for _, u in pairs], axis=1)
        return np.clip(values, 0.0, 1.0), unknown

    def earned(self, values: np.ndarray) -> np.ndarray:
        """(n, 4, m): the share of each criterion's weight earned (x, or 1 - x if w < 0)."""
        return np.where(self.negative[None, :, :], 1.0 - values[:, None, :], values[:, None, :])

    def score_values(self, values: np.ndarray, confidence: bool = True) -> dict[str, np.ndarray]:
        """Scores, verdicts and confidence from criterion values (n, m)."""
        earned = self.earned(values)
        points = 100.0 * earned * self.share[None, :, :]
        scores = points.sum(axis=2)
        play = scores.argmax(axis=1)
        to_b = scores[:, B_PLAYS].max(axis=1)
        to_c = scores[:, C_PLAYS].max(axis=1)
        side = (to_c > to_b).astype(np.int64)
        out = {"points": points, "scores": scores, "play": play, "to_b": to_b, "to_c": to_c,
               "side": side}
        if confidence:
            out["confidence"], out["win_share"] = self.confidence(earned, play)
        return out

    def confidence(self, earned: np.ndarray, play: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Share of sampled weightings under which ``play`` stays on top, and each play's share."""
        n = len(earned)
        conf = np.empty(n)
        share = np.empty((n, N_PLAYS))
        e32 = earned.astype(np.float32)
        for start in range(0, n, CHUNK):
            stop = min(start + CHUNK, n)
            # (c, 4, m) x (4, K, m) -> (c, 4, K): every play's score under every draw.
            sampled = np.einsum("cpm,pkm->cpk", e32[start:stop], self.draws, optimize=True)
            winners = sampled.argmax(axis=1)  # (c, K)
            conf[start:stop] = (winners == play[start:stop, None]).mean(axis=1)
            counts = np.stack([(winners == p).sum(axis=1) for p in range(N_PLAYS)], axis=1)
            share[start:stop] = counts / self.samples
        return conf, share

    def flag_masks(self, features: Features, play: np.ndarray, side: np.ndarray) -> np.ndarray:
        extra = {"play": play, "side": side}
        masks = []
        for flag in self.flags:
            mask = np.ones(len(features), dtype=bool)
            for cond in flag.when:
                mask &= condition_mask(cond, features, extra)
            if flag.when_any:
                any_mask = np.zeros(len(features), dtype=bool)
                for cond in flag.when_any:
                    any_mask |= condition_mask(cond, features, extra)
                mask &= any_mask
            masks.append(mask)
        return np.stack(masks, axis=1) if masks else np.zeros((len(features), 0), dtype=bool)

    def score(self, profiles: Sequence[Profile], confidence: bool = True) -> BatchScores:
        """Score a batch in one pass. Set ``confidence=False`` to skip the sampling."""
        features = self.features(profiles)
        values, unknown = self.criterion_values(features)
        out = self.score_values(values, confidence=confidence)
        n = len(profiles)
        if not confidence:
            out["confidence"] = np.full(n, np.nan)
            out["win_share"] = np.full((n, N_PLAYS), np.nan)
        flags = self.flag_masks(features, out["play"], out["side"])
        return BatchScores(values=values, unknown=unknown, flags=flags, **out)

    def score_one(self, profile: Profile) -> BatchScores:
        return self.score([profile])


def play_name(index: int) -> str:
    return PLAYS[int(index)]


def side_name(index: int) -> str:
    return SIDES[int(index)]
