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

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from gtmcompass.io.weights import WeightSet
from gtmcompass.model.catalogue import Catalogue, Rule, load_catalogue
from gtmcompass.model.profile import Profile
from gtmcompass.vocab.terms import CNY_PER_USD_RANGE
from gtmcompass.scoring.conditions import ConditionTable, GroupTable
from gtmcompass.scoring.features import (
    CATEGORIES,
    PLAYS,
    QUALIFICATION_BIT,
    REGIONS,
    SIDES,
    Features,
    from_raw,
    raw_rows,
)

N_PLAYS = len(PLAYS)
# Up to this many requirements, blocker counts come from a table of every failing set.
_PATTERN_BITS = 16
PLAY_SIDE = np.array([0, 0, 1, 1])  # the side of each play
# What a result can say: pursue the play now; every play is blocked; too little to judge.
VERDICTS: tuple[str, ...] = ("go", "not_yet", "insufficient_data")
GO, NOT_YET, INSUFFICIENT = range(3)
STATUSES: tuple[str, ...] = ("ready", "conditional", "blocked")
READY, CONDITIONAL, BLOCKED = range(3)
B_PLAYS = np.array([0, 1])
C_PLAYS = np.array([2, 3])
# Confidence works on slices of this many profiles so memory stays flat for any batch:
# 2,048 x 4 plays x 1,000 samples x 4 bytes = 33 MB at most.
CHUNK = 2048
CATALOGUE_WEIGHTS = "catalogue"


# Rules and flag conditions are compiled once per engine into closures over numpy tables.
# Rebuilding lookup tables and running np.isin on every call made one profile take 0.65 ms,
# 0.29 ms of it in the red flags; compiled, it takes 0.3 ms in all.
RuleFn = Callable[[Features], tuple[np.ndarray, np.ndarray]]


def _member_counts(members: Sequence[str]) -> np.ndarray:
    """How many of ``members`` each qualification bit pattern holds (duplicates count twice)."""
    patterns = np.arange(1 << len(QUALIFICATION_BIT))
    return sum((((patterns & QUALIFICATION_BIT[q]) != 0).astype(float) for q in members),
               np.zeros(len(patterns)))


def compile_rule(rule: Rule) -> RuleFn:
    """A function from features to criterion values in 0..1 and a mask of unknown inputs."""

    def known(n: int) -> np.ndarray:
        return np.zeros(n, dtype=bool)

    if rule.kind == "constant":
        value = float(rule.value)
        return lambda f: (np.full(len(f), value), known(len(f)))
    if rule.kind == "lookup":
        table = np.array([rule.table[v] for v in CATEGORIES[rule.input]])
        name = rule.input
        return lambda f: (table[f.codes[name]], known(len(f)))
    xs, ys = (np.array(a, dtype=float) for a in zip(*rule.points))
    if rule.kind == "count":
        counts = _member_counts(rule.members)
        return lambda f: (np.interp(counts[f.qualification_bits], xs, ys), known(len(f)))
    name = rule.input
    fill = rule.unknown_as if rule.unknown_as is not None else 0.0

    def piecewise(f: Features) -> tuple[np.ndarray, np.ndarray]:
        raw = f.numeric[name]
        unknown = np.isnan(raw)
        if _any(unknown):
            raw = np.where(unknown, fill, raw)
        return np.interp(raw, xs, ys), unknown

    return piecewise


def evaluate_rule(rule: Rule, features: Features) -> tuple[np.ndarray, np.ndarray]:
    """Criterion values in 0..1 and a mask of the profiles whose input was unknown."""
    return compile_rule(rule)(features)


def _any(mask: np.ndarray) -> bool:
    """``mask.any()``, read directly for one profile: ``any`` costs about 3 us a call whatever
    the size, and scoring one profile (the app's every keystroke) asks it about 50 times."""
    return bool(mask[0]) if len(mask) == 1 else bool(mask.any())


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
    verdict: np.ndarray  # (n,) index into VERDICTS
    status: np.ndarray  # (n, 4) index into STATUSES, per play
    fails: np.ndarray  # (n, r) bool: requirement r fails (blocks the plays it gates)
    missing: np.ndarray  # (n, s) bool: sufficiency group s is not stated
    as_of: np.ndarray  # (n,) the day scored for, days since 1970-01-01
    # (n, k) the play each committee partner's own weights pick, when the engine scores for a
    # committee (``Engine.with_committee``); None otherwise.
    partner_play: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.scores)


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.asarray(array)
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class CommitteeView:
    """The partners behind a committee's combined weights, for per-profile agreement.

    ``partners`` are the partners' names and ``engines`` one engine per partner with that
    partner's own weights (same rules, rate and day); ``method`` is ``AIJ`` or ``AIP`` and
    ``consensus`` the indicator ``gtmcompass.decide.committee`` computed for the group.
    """

    partners: tuple[str, ...]
    engines: tuple[Engine, ...]
    method: str
    consensus: float


class Engine:
    """A compiled catalogue and one weight set, scoring whole batches; immutable once built.

    Other weights or options make a new engine (``with_weights``, ``with_options``) that shares
    the compiled rules, in the spirit of scikit-criteria's immutable decision matrix: a worker
    scoring with one engine never sees a half-installed weight set, and whoever holds an
    engine knows its maxima match its points. Every array it exposes is read-only.
    """

    def __init__(
        self,
        catalogue: Catalogue | None = None,
        weight_set: WeightSet | None = None,
        *,
        cny_per_usd: float | None = None,
        as_of: dt.date | None = None,
        as_of_override: bool = False,
        as_of_year: int | None = None,
        samples: int | None = None,
        seed: int | None = None,
    ) -> None:
        put = self._put
        put("catalogue", catalogue or load_catalogue())
        settings = self.catalogue.settings
        put("weight_set", weight_set or WeightSet(CATALOGUE_WEIGHTS))
        rate = cny_per_usd or settings.cny_per_usd
        low, high = CNY_PER_USD_RANGE
        if not low <= rate <= high:
            raise ValueError(f"cny_per_usd: expected yuan per dollar from {low:g} to {high:g}, "
                             f"got {rate!r}")
        put("cny_per_usd", rate)
        # The day a profile without ``as_of`` is scored for (None: today, when scoring);
        # with ``as_of_override`` every profile is (``--as-of``). ``as_of_year`` is the
        # shorthand tests use: 1 July of that year.
        if as_of is None and as_of_year is not None:
            as_of = dt.date(as_of_year, 7, 1)
        put("as_of", as_of)
        put("as_of_override", as_of_override)
        put("samples", samples or settings.confidence_samples)
        put("committee", None)  # a CommitteeView when scoring for a committee
        put("seed", settings.confidence_seed if seed is None else seed)
        put("criteria", self.catalogue.criterion)
        # What an unknown raw figure is taken to be, wherever a derived feature needs it.
        put("assumed", {
            c.rule.input: c.rule.unknown_as for c in self.criteria
            if c.rule.kind == "piecewise" and c.rule.unknown_as is not None
        })
        put("flags", self.catalogue.flag)
        put("_rules", tuple(compile_rule(c.rule) for c in self.criteria))
        put("_flag_groups", GroupTable([(f.when, f.when_any) for f in self.flags]))
        # High-severity flags make a play "conditional" (``status``).
        put("_high_flags", _frozen(np.array([f.severity == "high" for f in self.flags],
                                            dtype=bool).reshape(len(self.flags))))
        put("requirements", self.catalogue.requirement)
        put("_requirement_groups", GroupTable([(r.when, r.when_any) for r in self.requirements]))
        # (r, 4): which plays each requirement gates; which requirements have no partner route.
        put("gates", _frozen(np.array([[p in r.gates for p in PLAYS] for r in self.requirements],
                                      dtype=bool).reshape(len(self.requirements), N_PLAYS)))
        put("hard", _frozen(np.array([not r.partner_route for r in self.requirements],
                                     dtype=bool)))
        put("_gates_f", _frozen(self.gates.astype(np.float64)))
        put("_hard_gates_f", _frozen((self.gates & self.hard[:, None]).astype(np.float64)))
        # Blocker counts of every possible failing set, for up to _PATTERN_BITS requirements.
        if len(self.requirements) <= _PATTERN_BITS:
            patterns = ((np.arange(1 << len(self.requirements))[:, None]
                         >> np.arange(len(self.requirements))) & 1).astype(np.float64)
            put("_pattern_total", _frozen((patterns @ self._gates_f).astype(np.int64)))
            put("_pattern_hard", _frozen((patterns @ self._hard_gates_f).astype(np.int64)))
            blocked, open_plays = self._blocked_plays(self._pattern_total, self._pattern_hard)
            put("_pattern_blocked", _frozen(blocked))
            put("_pattern_open", _frozen(open_plays))
        put("sufficiency", self.catalogue.sufficiency)
        # Each group is stated when any of its conditions holds; the conditions are tested one
        # by one so the flip search can tell which field a group's state comes from.
        put("_stated_table", ConditionTable([c for s in self.sufficiency for c in s.any]))
        # Every condition of the flags, the requirements and the sufficiency groups in one
        # table, tested once per scoring; each part reads its own columns.
        flag_tests = self._flag_groups.condition_list
        requirement_tests = self._requirement_groups.condition_list
        stated_tests = tuple(c for s in self.sufficiency for c in s.any)
        put("_all_conditions", ConditionTable([*flag_tests, *requirement_tests, *stated_tests]))
        ends = np.cumsum([len(flag_tests), len(requirement_tests)])
        put("_flag_columns", slice(0, int(ends[0])))
        put("_requirement_columns", slice(int(ends[0]), int(ends[1])))
        put("_stated_columns", slice(int(ends[1]), None))
        put("_group_starts", _frozen(np.cumsum([0] + [len(s.any) for s in self.sufficiency][:-1],
                                               dtype=np.intp)))
        # Each condition as one bit of an int64, each group as the mask of its conditions' bits.
        conditions = self._stated_table.size
        if conditions > 62:
            raise ValueError(f"at most 62 sufficiency conditions, got {conditions}")
        put("_condition_bits", _frozen(np.int64(1) << np.arange(conditions, dtype=np.int64)))
        put("_group_masks", _frozen(np.array(
            [self._condition_bits[start:start + len(s.any)].sum()
             for start, s in zip(self._group_starts, self.sufficiency)], dtype=np.int64)))
        put("_always_needed", _frozen(np.array([s.needed == "always" for s in self.sufficiency],
                                               dtype=bool)))
        # (m, 3): how fully each criterion applies in each target region (1: everywhere).
        put("region_weight", _frozen(np.array(
            [[c.regions.get(r, 1.0) if c.regions else 1.0 for r in REGIONS]
             for c in self.criteria], dtype=float).reshape(len(self.criteria), len(REGIONS))))
        self._install_weights(self.weight_set.matrix(self.catalogue))

    def _put(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Engine is immutable: {name} cannot be set; "
                             "use with_weights() or with_options() for a new engine")

    def _derived(self, **changes: object) -> Engine:
        new = object.__new__(Engine)
        new.__dict__.update(self.__dict__)
        new.__dict__.update(changes)
        return new

    @property
    def weights_name(self) -> str:
        return self.weight_set.name

    # -- weights -----------------------------------------------------------------------

    def with_weights(self, weight_set: WeightSet, matrix: np.ndarray | None = None) -> Engine:
        """A new engine scoring with ``weight_set`` (or ``matrix``, a (4, m) signed matrix).

        Raises ValueError, and this engine is unchanged, when a play would have no non-zero,
        finite weight. The compiled rules and flags are shared, so this costs only the new
        confidence weightings.
        """
        chosen = weight_set.matrix(self.catalogue) if matrix is None else matrix
        # A committee's partners describe the weights they were combined into, not new ones.
        new = self._derived(weight_set=weight_set, committee=None)
        new._install_weights(chosen)
        return new

    def with_committee(self, view: CommitteeView | None) -> Engine:
        """A new engine that also says, per profile, which play each partner's own weights
        pick (``BatchScores.partner_play``); the scores stay this engine's."""
        return self._derived(committee=view)

    def with_options(self, *, cny_per_usd: float | None = None, as_of: dt.date | None = None,
                     as_of_override: bool | None = None) -> Engine:
        """A new engine with another exchange rate or as-of day; weights are kept."""
        changes: dict[str, object] = {}
        if cny_per_usd is not None:
            changes["cny_per_usd"] = cny_per_usd
        if as_of is not None:
            changes["as_of"] = as_of
        if as_of_override is not None:
            changes["as_of_override"] = as_of_override
        return self._derived(**changes)

    def _install_weights(self, signed: np.ndarray) -> None:
        """Set the (4, m) signed weight matrix and draw the confidence weightings; once."""
        signed = np.array(signed, dtype=float)
        magnitude = np.abs(signed)
        totals = magnitude.sum(axis=1, keepdims=True)
        if signed.shape != (N_PLAYS, len(self.criteria)):
            raise ValueError(f"expected a {N_PLAYS} x {len(self.criteria)} weight matrix, "
                             f"got {signed.shape}")
        if not np.all(np.isfinite(signed)) or np.any(totals <= 0):
            raise ValueError("every play needs at least one non-zero, finite weight")
        share = magnitude / totals  # (4, m), rows sum to 1
        rng = np.random.default_rng(self.seed)
        concentration = self.catalogue.settings.dirichlet_concentration
        draws = np.zeros((N_PLAYS, self.samples, len(self.criteria)))
        for p in range(N_PLAYS):
            nz = share[p] > 0
            draws[p][:, nz] = rng.dirichlet(concentration * share[p, nz], size=self.samples)
        self._put("signed", _frozen(signed))
        self._put("negative", _frozen(signed < 0))  # (4, m)
        self._put("share", _frozen(share))
        # What each criterion can earn each play at most: its points when fully earned.
        self._put("maxima", _frozen(100.0 * share))  # (4, m)
        # A score as a linear function of the values: what w < 0 criteria earn at x = 0, and
        # what each unit of x adds (or takes away) per play.
        self._put("_constant", _frozen(100.0 * (share * (signed < 0)).sum(axis=1)))
        self._put("_slope", _frozen(100.0 * share * np.where(signed < 0, -1.0, 1.0)))
        # float32 halves memory and time of the sample products; scores stay exact in float64.
        self._put("draws", _frozen((100.0 * draws).astype(np.float32)))  # (4, K, m)

    def weight_table(self) -> dict[str, dict[str, float]]:
        return {
            c.id: {p: float(self.signed[i, j]) for i, p in enumerate(PLAYS)}
            for j, c in enumerate(self.criteria)
        }

    # -- scoring -----------------------------------------------------------------------

    def features(self, profiles: Sequence[Profile]) -> Features:
        return self.features_from_raw(raw_rows(profiles))

    def features_from_raw(self, raw: np.ndarray) -> Features:
        """Features of raw rows (``RAW_COLUMNS``), with this engine's rate and as-of day."""
        return from_raw(raw, self.cny_per_usd, self.as_of, self.assumed,
                        override=self.as_of_override)

    def criterion_values(self, features: Features) -> tuple[np.ndarray, np.ndarray]:
        pairs = [rule(features) for rule in self._rules]
        values = np.stack([v for v, _ in pairs], axis=1) if pairs else np.zeros((len(features), 0))
        unknown = np.stack([u for _, u in pairs], axis=1)
        values = np.clip(values, 0.0, 1.0)
        # A market condition counts in full only in the region it describes (``regions``).
        applies = self.region_weight.T[features.codes["market.target_region"]]  # (n, m)
        pulled = np.where(applies == 1.0, values, 0.5 + applies * (values - 0.5))
        return pulled, unknown

    def earned(self, values: np.ndarray) -> np.ndarray:
        """(n, 4, m): the share of each criterion's weight earned (x, or 1 - x if w < 0)."""
        return np.where(self.negative[None, :, :], 1.0 - values[:, None, :], values[:, None, :])

    def score_values(self, values: np.ndarray, confidence: bool = True,
                     fails: np.ndarray | None = None,
                     insufficient: np.ndarray | None = None,
                     with_points: bool = True) -> dict[str, np.ndarray]:
        """Scores, the verdict, the play and confidence from criterion values (n, m).

        ``fails`` (n, r) are the failing requirements and ``insufficient`` (n,) the profiles
        that say too little; without them every play is open (what a score alone says).
        ``with_points=False`` (the flip search's tens of thousands of candidate rows) skips
        the (n, 4, m) points and takes the scores from one matrix product instead, which
        agrees with their sum to about 1e-13: the flip search's 0.15-point margin dwarfs it.
        """
        if with_points or confidence:
            earned = self.earned(values)
            points = 100.0 * earned * self.share[None, :, :]
            scores = points.sum(axis=2)
        else:
            points = None
            scores = self._constant[None, :] + values @ self._slope.T
        verdict, play = self.choose(scores, fails, insufficient)
        to_b = scores[:, B_PLAYS].max(axis=1)
        to_c = scores[:, C_PLAYS].max(axis=1)
        out = {"points": points, "scores": scores, "play": play, "to_b": to_b, "to_c": to_c,
               "side": PLAY_SIDE[play], "verdict": verdict}
        if confidence:
            conf, out["win_share"] = self.confidence(earned, play)
            # A play named for a profile that says too little is not a recommendation.
            conf[verdict == INSUFFICIENT] = 0.0
            out["confidence"] = conf
        return out

    def blocker_counts(self, fails: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(n, 4) each play's failing requirements, all of them and those with no partner route."""
        if fails.shape[1] <= _PATTERN_BITS:
            # Each row's failing set as one small integer, then two table look-ups: the flip
            # search asks this of ~40,000 rows dozens of times, and a product of (n, 7) by
            # (7, 4) cost 2 ms a call where this costs a tenth of that.
            code = self.fail_codes(fails)
            return self._pattern_total[code], self._pattern_hard[code]
        f = fails.astype(np.float64)
        return ((f @ self._gates_f).astype(np.int64), (f @ self._hard_gates_f).astype(np.int64))

    def choose(self, scores: np.ndarray, fails: np.ndarray | None = None,
               insufficient: np.ndarray | None = None,
               open_plays: tuple[np.ndarray, np.ndarray] | None = None,
               ) -> tuple[np.ndarray, np.ndarray]:
        """The verdict rule, in one place: (verdict (n,), play (n,)).

        - ``insufficient_data`` when the profile says too little; ``play`` is then the top
          score, named but not recommended.
        - ``go`` when some play is not blocked: the best-scoring open play.
        - ``not_yet`` when every play is blocked: the closest play, the one with the fewest
          requirements that no partner can lift, then the fewest in all, then the best score.

        ``open_plays`` is ``candidates(fails, insufficient)`` when the caller already has it
        (the flip search asks the rule of the same rows under several score offsets).
        """
        verdict, candidates = open_plays or self.candidates(len(scores), fails, insufficient)
        # Ties go to the earlier play, as argmax breaks them.
        play = np.where(candidates, scores, -np.inf).argmax(axis=1)
        return verdict, play

    @staticmethod
    def open_scores(scores: np.ndarray, open_plays: np.ndarray) -> list[np.ndarray]:
        """Each play's scores (n,) where the verdict rule may pick it, -inf where it may not."""
        return [np.where(open_plays[:, q], scores[:, q], -np.inf) for q in range(N_PLAYS)]

    @staticmethod
    def leads(open_scores: list[np.ndarray], among: np.ndarray, margin: float) -> np.ndarray:
        """(n,) where ``choose`` still picks one of the plays ``among`` (4,) with their scores
        lowered by ``margin``, given ``open_scores``: a lead that survives the margin.

        The same rule as ``choose`` (ties to the earlier play), worked play by play on (n,)
        planes: the flip search asks it of ~50,000 rows for each of five targets.
        """
        lowered = [s - margin if among[q] else s for q, s in enumerate(open_scores)]
        # Play q is picked where it beats every earlier open play and ties or beats every later.
        nothing = np.full(len(open_scores[0]), -np.inf)
        after = [nothing] * N_PLAYS
        for q in range(N_PLAYS - 2, -1, -1):
            after[q] = np.maximum(after[q + 1], lowered[q + 1])
        held = np.zeros(len(nothing), dtype=bool)
        before = nothing
        for q in range(N_PLAYS):
            if among[q]:
                held |= (lowered[q] > before) & (lowered[q] >= after[q])
            before = np.maximum(before, lowered[q])
        return held

    def candidates(self, n: int, fails: np.ndarray | None = None,
                   insufficient: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(verdict (n,), the plays the verdict rule may pick (n, 4)): see ``choose``."""
        if fails is not None and len(self.requirements):
            return self.candidates_of_codes(self.fail_codes(fails), insufficient)
        verdict = np.full(n, GO, dtype=np.int64)
        candidates = np.ones((n, N_PLAYS), dtype=bool)
        if insufficient is not None:
            verdict[insufficient] = INSUFFICIENT
        return verdict, candidates

    def candidates_of_codes(self, codes: np.ndarray, insufficient: np.ndarray | None = None,
                            ) -> tuple[np.ndarray, np.ndarray]:
        """``candidates`` from each row's failing set as ``fail_codes`` gives it."""
        if len(self.requirements) <= _PATTERN_BITS:
            # Up to 2**16 failing sets, each judged once when the engine is built: a look-up.
            all_blocked, candidates = self._pattern_blocked[codes], self._pattern_open[codes]
        else:
            bits = ((codes[:, None] >> np.arange(len(self.requirements))) & 1).astype(bool)
            all_blocked, candidates = self._blocked_plays(*self.blocker_counts(bits))
        verdict = np.where(all_blocked, NOT_YET, GO).astype(np.int64)
        if insufficient is not None:
            verdict[insufficient] = INSUFFICIENT
            candidates[insufficient] = True
        return verdict, candidates

    def _blocked_plays(self, total: np.ndarray, hard: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(n,) every play blocked, and (n, 4) the plays the rule may pick, from blocker counts."""
        blocked = total > 0
        all_blocked = blocked.all(axis=1)
        # Fewest hard blockers first, then fewest blockers: one key, smallest is closest.
        key = hard * (len(self.requirements) + 1) + total
        closest = key == key.min(axis=1, keepdims=True)
        return all_blocked, np.where(all_blocked[:, None], closest, ~blocked)

    def fail_codes(self, fails: np.ndarray) -> np.ndarray:
        """(n,) each row's failing requirements (n, r) as one integer, bit k for requirement k."""
        if fails.shape[1] <= _PATTERN_BITS:
            code = np.packbits(fails, axis=1, bitorder="little").astype(np.intp)
            if code.shape[1] > 1:
                return code[:, 0] | (code[:, 1] << 8)
            return code[:, 0] if code.shape[1] else np.zeros(len(fails), dtype=np.intp)
        return fails.astype(np.int64) @ (np.int64(1) << np.arange(fails.shape[1], dtype=np.int64))

    def stated_codes(self, stated: np.ndarray) -> np.ndarray:
        """(n,) each row's ``stated_conditions`` (n, c) as one integer, bit k for condition k."""
        return stated.astype(np.int64) @ self._condition_bits

    def missing_of_codes(self, codes: np.ndarray) -> np.ndarray:
        """``missing_from`` for conditions given as ``stated_codes``."""
        return (codes[:, None] & self._group_masks[None, :]) == 0

    def confidence(self, earned: np.ndarray, play: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Share of sampled weightings under which ``play`` comes out on top of all four plays,
        and each play's share.

        All four, blocked ones included: a play recommended because the better-scoring ones
        are blocked gets a low confidence, which is the truth (fix the blockers and another
        play may be better); counting only the open plays would give a lone open play 1.0.
        """
        n = len(earned)
        conf = np.empty(n)
        share = np.empty((n, N_PLAYS))
        # (4, n, m): one contiguous (n, m) block per play, so each play's sampled scores come
        # out of one matrix product as a contiguous (n, K) block.
        e32 = earned.astype(np.float32).transpose(1, 0, 2)
        draws = self.draws.transpose(0, 2, 1)  # (4, m, K)
        for start in range(0, n, CHUNK):
            stop = min(start + CHUNK, n)
            c = stop - start
            block = e32[:, start:stop]
            if c == 1:
                # BLAS takes a matrix-vector path for a single row, which sums in another
                # order (1 profile in 3,000 then differed by one sample from its score in a
                # batch); two identical rows take the matrix-matrix path every batch takes.
                block = np.repeat(block, 2, axis=1)
            # Every play's score under every draw: four (c, K) blocks.
            s0, s1, s2, s3 = np.matmul(block, draws)[:, :c]
            # The top play, ties to the earlier play as argmax breaks them, from three
            # comparisons of contiguous blocks (the best of each side, then the better side)
            # instead of an argmax across the strided plays axis: confidence for 10,000
            # profiles went from about 0.45 s to 0.11 s, and the results are bit for bit equal.
            api_wins = s1 > s0
            overseas_wins = s3 > s2
            c_wins = np.maximum(s2, s3) > np.maximum(s0, s1)
            counts = np.empty((c, N_PLAYS))
            counts[:, 3] = np.count_nonzero(c_wins & overseas_wins, axis=1)
            counts[:, 2] = np.count_nonzero(c_wins, axis=1) - counts[:, 3]
            counts[:, 1] = np.count_nonzero(api_wins & ~c_wins, axis=1)
            counts[:, 0] = self.samples - counts[:, 1:].sum(axis=1)
            share[start:stop] = counts / self.samples
            conf[start:stop] = counts[np.arange(c), play[start:stop]] / self.samples
        return conf, share

    def flag_masks(self, features: Features, play: np.ndarray, side: np.ndarray) -> np.ndarray:
        return self._flag_groups.holds(features, {"play": play, "side": side})

    def requirement_fails(self, features: Features) -> np.ndarray:
        """(n, r): where each requirement fails, blocking the plays it gates."""
        return self._requirement_groups.holds(features)

    def missing_groups(self, features: Features) -> tuple[np.ndarray, np.ndarray]:
        """(n, s) the sufficiency groups a profile does not state, and (n,) too little to judge.

        Too little: a group needed ``always`` is missing, or every ``either`` group is.
        """
        missing = self.missing_from(self.stated_conditions(features))
        return missing, self.too_little(missing)

    def stated_conditions(self, features: Features) -> np.ndarray:
        """(n, c): each condition of each sufficiency group, in the catalogue's order."""
        return self._stated_table.holds(features)

    def missing_from(self, stated: np.ndarray) -> np.ndarray:
        """(n, s) the groups none of whose conditions holds, from ``stated_conditions``."""
        if not len(self.sufficiency):
            return np.zeros((len(stated), 0), dtype=bool)
        return ~np.logical_or.reduceat(stated, self._group_starts, axis=1)

    def too_little(self, missing: np.ndarray) -> np.ndarray:
        """(n,) from the groups each profile does not state (n, s): too little to judge."""
        always = self._always_needed
        insufficient = missing[:, always].any(axis=1)
        if (~always).any():
            insufficient |= missing[:, ~always].all(axis=1)
        return insufficient

    def status(self, features: Features, fails: np.ndarray) -> np.ndarray:
        """(n, 4) per play: blocked by a requirement, conditional on a high-severity flag
        raised when that play is pursued, or ready."""
        return self._status(self._flag_groups.conditions.holds(features), fails)

    def _status(self, flag_table: np.ndarray, fails: np.ndarray) -> np.ndarray:
        """``status`` from the flags' condition table (pursued play and side not yet set)."""
        n = len(flag_table)
        total, _ = self.blocker_counts(fails)
        groups = self._flag_groups
        # The four plays pursued in turn, stacked: one group evaluation for all of them.
        pursued = np.concatenate([groups.conditions.with_pursued(
            flag_table, {"play": p, "side": int(PLAY_SIDE[p])}) for p in range(N_PLAYS)])
        raised = groups.of_table(pursued)[:, self._high_flags]
        high = raised.any(axis=1).reshape(N_PLAYS, n).T
        return np.where(total > 0, BLOCKED, np.where(high, CONDITIONAL, READY))

    def score_features(self, features: Features, confidence: bool = True) -> BatchScores:
        """Score a batch from its features in one pass (``confidence=False`` skips sampling)."""
        values, unknown = self.criterion_values(features)
        table = self._all_conditions.holds(features)
        fails = self._requirement_groups.of_table(table[:, self._requirement_columns])
        missing = self.missing_from(table[:, self._stated_columns])
        insufficient = self.too_little(missing)
        out = self.score_values(values, confidence=confidence, fails=fails,
                                insufficient=insufficient)
        n = len(features)
        if not confidence:
            out["confidence"] = np.full(n, np.nan)
            out["win_share"] = np.full((n, N_PLAYS), np.nan)
        flag_table = table[:, self._flag_columns]
        flags = self._flag_groups.of_table(self._flag_groups.conditions.with_pursued(
            flag_table, {"play": out["play"], "side": out["side"]}))
        partner_play = None
        if self.committee is not None:
            # The criterion values, failing requirements and sufficiency do not depend on
            # weights, so each partner costs one (n, m) x (m, 4) product and the verdict rule:
            # no per-profile loop, no second pass over the features.
            partner_play = np.stack(
                [e.score_values(values, confidence=False, fails=fails,
                                insufficient=insufficient, with_points=False)["play"]
                 for e in self.committee.engines], axis=1)
        return BatchScores(values=values, unknown=unknown, flags=flags,
                           status=self._status(flag_table, fails), fails=fails, missing=missing,
                           as_of=features.numeric["as_of"], partner_play=partner_play, **out)

    def score(self, profiles: Sequence[Profile], confidence: bool = True) -> BatchScores:
        """Score a batch in one pass. Set ``confidence=False`` to skip the sampling."""
        return self.score_features(self.features(profiles), confidence)

    def score_one(self, profile: Profile) -> BatchScores:
        return self.score([profile])


def play_name(index: int) -> str:
    return PLAYS[int(index)]


def side_name(index: int) -> str:
    return SIDES[int(index)]
