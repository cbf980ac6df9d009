"""Decision tools on top of the engine: what would flip the verdict, what to do next, how
stable it is, and weights from pairwise comparisons. Pure numpy; never imports Textual.

Functions the app calls (each takes an :class:`~gtmcompass.scoring.engine.Engine`, whose current
weights it uses, so editing weights with ``Engine.set_weights`` takes effect at once):

- ``find_flips(engine, profile) -> FlipReport``: for each other play and the other side, the
  smallest one-field and best two-field change after which it wins, split into ``levers``
  and ``structural``; ``Flip.describe(lang)`` says it in words, ``Flip.apply(profile)`` makes
  it. About 10-15 ms a profile, so it can run on every edit.
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

__all__ = [
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
