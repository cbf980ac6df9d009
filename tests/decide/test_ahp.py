"""AHP against published worked examples, and family weights applied to the engine."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmcompass.decide.ahp import (
    RANDOM_INDEX,
    AHPError,
    ahp_weight_set,
    ahp_weights,
    apply_family_weights,
    family_ids,
    family_shares,
    pairwise_matrix,
)
from gtmcompass.io.weights import load_weights, save_weights
from gtmcompass.scoring.engine import Engine
from gtmcompass.scoring.features import PLAYS

# Saaty, T. L. (2008) "Decision making with the analytic hierarchy process", Int. J. Services
# Sciences 1(1), 83-98: relative consumption of drinks in the US. Published: coffee .177,
# wine .019, tea .042, beer .116, sodas .190, milk .129, water .327; C.R. = .022.
DRINKS = [[1, 9, 5, 2, 1, 1, 1 / 2], [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
          [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9], [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
          [1, 9, 4, 2, 1, 2, 1 / 2], [1, 9, 3, 1, 1 / 2, 1, 1 / 3], [2, 9, 9, 3, 2, 3, 1]]
DRINKS_WEIGHTS = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]

# Saaty, T. L. (1977) "A scaling method for priorities in hierarchical structures", J. Math.
# Psychology 15, 234-281: relative wealth of nations (US, USSR, China, France, UK, Japan,
# W. Germany). Published eigenvector .427 .230 .021 .052 .052 .123 .094, lambda_max 7.61.
NATIONS = [[1, 4, 9, 6, 6, 5, 5], [1 / 4, 1, 7, 5, 5, 3, 4],
           [1 / 9, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 7, 1 / 5], [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3],
           [1 / 6, 1 / 5, 5, 1, 1, 1 / 3, 1 / 3], [1 / 5, 1 / 3, 7, 3, 3, 1, 2],
           [1 / 5, 1 / 4, 5, 3, 3, 1 / 2, 1]]
NATIONS_WEIGHTS = [0.427, 0.230, 0.021, 0.052, 0.052, 0.123, 0.094]

# Wikipedia, "Analytic hierarchy process - leader example": criteria experience, education,
# charisma, age. Published priorities .547 .127 .270 .056; consistency ratio 4.4 %.
LEADER = {("experience", "education"): 4, ("experience", "charisma"): 3,
          ("experience", "age"): 7, ("charisma", "education"): 3, ("education", "age"): 3,
          ("charisma", "age"): 5}
LEADER_ITEMS = ("experience", "education", "charisma", "age")
LEADER_WEIGHTS = [0.547, 0.127, 0.270, 0.056]


def test_saaty_drinks():
    weights, lam, ci, cr = ahp_weights(DRINKS)
    assert np.round(weights, 3).tolist() == DRINKS_WEIGHTS
    assert round(cr, 3) == 0.022
    assert ci == pytest.approx((lam - 7) / 6)


def test_saaty_wealth_of_nations():
    result = ahp_weights(NATIONS)
    assert np.round(result.weights, 3).tolist() == NATIONS_WEIGHTS
    assert round(result.lambda_max, 2) == 7.61
    assert result.cr == pytest.approx(result.ci / 1.32)


def test_wikipedia_leader_criteria():
    result = ahp_weights(pairwise_matrix(LEADER_ITEMS, LEADER))
    # Published to three decimals; experience is 0.5476, printed there as .547.
    assert result.weights == pytest.approx(LEADER_WEIGHTS, abs=1e-3)
    assert round(result.cr, 3) == 0.044 and result.consistent


def test_random_index_is_saatys():
    assert RANDOM_INDEX == (0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)


@given(st.lists(st.floats(0.05, 20.0), min_size=1, max_size=10))
def test_a_consistent_matrix_gives_back_its_weights(raw):
    w = np.array(raw) / sum(raw)
    result = ahp_weights(np.outer(w, 1 / w))
    assert result.weights == pytest.approx(w, rel=1e-6)
    assert result.lambda_max == pytest.approx(len(w), rel=1e-9)
    assert result.cr == pytest.approx(0.0, abs=1e-9) and result.warning() is None


def test_contradictory_judgements_warn_above_ten_per_cent():
    # a beats b 9x, b beats c 9x, yet c beats a 9x: a cycle.
    cyclic = pairwise_matrix("abc", {("a", "b"): 9, ("b", "c"): 9, ("c", "a"): 9})
    result = ahp_weights(cyclic)
    assert result.cr > 0.10 and not result.consistent
    assert "CR" in result.warning() and "0.10" in result.warning()
    assert "一致性比率" in result.warning("zh")


@pytest.mark.parametrize("bad, words", [
    ([[1, 2], [2, 1]], "reciprocal"),
    ([[1, 0], [0, 1]], "positive"),
    ([[2, 1], [1, 1]], "diagonal"),
    ([[1, 2, 3], [0.5, 1, 2]], "square"),
    (np.ones((11, 11)), "at most 10"),
    ([[1, float("nan")], [1, 1]], "finite"),
])
def test_a_bad_matrix_is_refused_with_its_reason(bad, words):
    with pytest.raises(AHPError, match=words):
        ahp_weights(bad)


def test_judgements_must_be_on_saatys_scale_and_given_once():
    with pytest.raises(AHPError, match="1/9 to 9"):
        pairwise_matrix("ab", {("a", "b"): 12})
    with pytest.raises(AHPError, match="twice"):
        pairwise_matrix("ab", {("a", "b"): 3, ("b", "a"): 1 / 3})
    with pytest.raises(AHPError, match="unknown item"):
        pairwise_matrix("ab", {("a", "z"): 3})
    assert pairwise_matrix("abc", {}).tolist() == np.ones((3, 3)).tolist()


@given(st.lists(st.floats(0.01, 1.0), min_size=5, max_size=5))
def test_family_weights_scale_each_family_by_its_relative_importance(raw):
    engine = Engine(samples=16)
    fams = family_ids()
    wanted = dict(zip(fams, raw))
    signed = apply_family_weights(engine.signed, wanted)
    assert np.array_equal(np.sign(signed), np.sign(engine.signed))
    assert np.abs(signed).sum(axis=1) == pytest.approx(np.abs(engine.signed).sum(axis=1))
    before, after = family_shares(engine.signed), family_shares(signed)
    for play in PLAYS:
        total = sum(before[play][f] * wanted[f] for f in fams)
        for f in fams:
            assert after[play][f] == pytest.approx(before[play][f] * wanted[f] / total, abs=1e-9)


def test_equal_family_weights_leave_the_catalogue_unchanged():
    engine = Engine(samples=16)
    signed = apply_family_weights(engine.signed, dict.fromkeys(family_ids(), 0.2))
    assert np.allclose(signed, engine.signed)


def test_a_zero_family_weight_silences_that_family():
    engine = Engine(samples=16)
    fams = family_ids()
    wanted = dict.fromkeys(fams, 1.0) | {"funding": 0.0}
    signed = apply_family_weights(engine.signed, wanted)
    funding = [j for j, c in enumerate(engine.criteria) if c.family == "funding"]
    assert not signed[:, funding].any()
    with pytest.raises(AHPError, match="every family has weight 0"):
        apply_family_weights(engine.signed, dict.fromkeys(fams, 0.0))
    only_overseas = dict.fromkeys(fams, 0.0) | {"overseas": 1.0}
    with pytest.raises(AHPError, match="play b_private: every family it uses has weight 0"):
        apply_family_weights(engine.signed, only_overseas)
    with pytest.raises(AHPError, match="no weight for families"):
        apply_family_weights(engine.signed, {"funding": 1.0})


def test_an_ahp_weight_set_saves_loads_and_names_the_results(tmp_path):
    n = len(family_ids())
    matrix = np.ones((n, n))
    matrix[0, -1], matrix[-1, 0] = 3.0, 1 / 3  # procurement 3x funding
    weight_set, result = ahp_weight_set("procurement-first", matrix)
    assert "AHP" in weight_set.description and f"{result.cr:.3f}" in weight_set.description
    path = tmp_path / "w.toml"
    save_weights(weight_set, path)
    loaded = load_weights(str(path))
    assert loaded.name == "procurement-first"
    assert np.allclose(loaded.matrix(), weight_set.matrix())
    engine = Engine(weight_set=loaded, samples=16)
    assert engine.weights_name == "procurement-first"
    # Procurement's weight against funding's grows by the AHP ratio in every play.
    base = family_shares(Engine(samples=16).signed)["b_private"]
    shares = family_shares(engine.signed)["b_private"]
    assert (shares["procurement"] / shares["funding"]) == pytest.approx(
        base["procurement"] / base["funding"] * result.weights[0] / result.weights[-1])
    with pytest.raises(AHPError, match="5 x 5"):
        ahp_weight_set("x", np.ones((3, 3)))
