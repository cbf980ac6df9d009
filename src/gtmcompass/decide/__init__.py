"""Decision tools on top of the engine: what would flip the verdict, what to do next, how
stable it is, and weights from pairwise comparisons. Pure numpy; never imports Textual.

Functions the app calls (each takes an :class:`~gtmcompass.scoring.engine.Engine`, whose current
weights it uses, so editing weights with ``Engine.set_weights`` takes effect at once):

- ``find_flips(engine, profile) -> FlipReport``: for each other play and the other side, the
  smallest one-field and best two-field change after which it wins, split into ``levers``
  and ``structural``; ``Flip.describe(lang)`` says it in words, ``Flip.apply(profile)`` makes
  it. Every candidate row goes through the engine's verdict rule (blockers included), a few
  tenths of a second a profile. Levers move only in their direction (``data/levers.toml``).
- ``unblock(engine, profile) -> Unblock | None``: for a ``not_yet`` verdict, the blockers of
  the closest play (words, fix, evidence, partner route) and the fewest, smallest moves that
  lift them all, checked against the engine.
- ``action_plan(engine, profile, lang="en", top=5) -> ActionPlan``: the recommended play's
  biggest gaps and raised red flags, each with a move, evidence, implied changes and gain.
- ``stability_intervals(engine, profile) -> Sensitivity``: the interval of every weight over
  which the verdict holds; ``Sensitivity.tornado()`` for the chart, ``win_share`` for the
  confidence distribution.
- ``ahp_weights(matrix) -> AHPResult(weights, lambda_max, ci, cr)`` with ``.warning(lang)``
  above CR 0.10; ``pairwise_matrix(items, judgements)`` builds the matrix from a grid;
  ``family_ids()``, ``family_shares(signed)``, ``apply_family_weights(signed, weights)`` and
  ``ahp_weight_set(name, matrix)`` turn it into engine weights.
- ``rank_results(engine, entries, by)`` orders many profiles (``gtmcompass rank``).
- ``gtmcompass.decide.committee``: ``combine(weight_sets)`` / ``load_committee(paths)`` give a
  ``Committee`` (partners' weights by AIJ or AIP, Goepel's consensus) whose ``engine()``
  says per profile which play each partner's own weights pick.

Named weight sets live in ``gtmcompass.io.weights`` (``save_named_weights``,
``list_weight_sets``, ``load_named_weights``); reports in ``gtmcompass.render.report``.
"""

from gtmcompass.decide.actions import ActionPlan, PlanItem, action_plan
from gtmcompass.decide.ahp import (
    AHPError,
    AHPResult,
    ahp_weight_set,
    ahp_weights,
    apply_family_weights,
    family_ids,
    family_shares,
    pairwise_matrix,
)
from gtmcompass.decide.flips import Flip, FlipReport, TargetFlips, find_flips
from gtmcompass.decide.levers import Change, apply_changes
from gtmcompass.decide.portfolio import RANK_BY, rank_results
from gtmcompass.decide.sensitivity import Sensitivity, Stability, stability_intervals
from gtmcompass.decide.unblock import Blocker, Unblock, unblock

__all__ = [
    "Blocker",
    "Unblock",
    "unblock",
    "RANK_BY",
    "AHPError",
    "AHPResult",
    "ActionPlan",
    "Change",
    "Flip",
    "FlipReport",
    "PlanItem",
    "Sensitivity",
    "Stability",
    "TargetFlips",
    "action_plan",
    "ahp_weight_set",
    "ahp_weights",
    "apply_changes",
    "apply_family_weights",
    "family_ids",
    "family_shares",
    "find_flips",
    "pairwise_matrix",
    "rank_results",
    "stability_intervals",
]
