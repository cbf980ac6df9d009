"""The committee's two means against published multi-person worked examples.

- AIJ: Dong, Zhang, Hong & Xu (2010), "Consensus models for AHP group decision making under
  row geometric mean prioritization method", Decision Support Systems 49(3) 281-289,
  doi:10.1016/j.dss.2010.03.003, section 5 "Numerical examples": five decision makers' full
  4x4 judgement matrices A(1)..A(5) (A(1)..A(4) first given by Xu, the paper's ref. 43), weights
  lambda = (0.1, 0.3, 0.1, 0.2, 0.3), the collective matrix A(c) by AIJ and its priorities
  w(c), printed to 4 decimals.
- AIP: Srdjevic (2007), "Linking analytic hierarchy process and social choice methods to
  support group decision-making in water management", Decision Support Systems (2007),
  doi:10.1016/j.dss.2006.08.001, section 5: six interest groups' priorities of
  five management plans (Table 3a standard AHP, Table 3b multiplicative AHP, 3 decimals)
  and the group's priorities by the geometric mean method (Table 4, 3 decimals).
"""

from __future__ import annotations

import numpy as np
import pytest

from gtmcompass.decide import ahp_weights, pairwise_matrix
from gtmcompass.decide.committee import aip_matrix, geometric_mean_matrix
from gtmcompass.model.catalogue import load_catalogue

CAT = load_catalogue()

# -- AIJ: Dong et al. 2010, section 5 ---------------------------------------------------------

ITEMS = ("x1", "x2", "x3", "x4")
# Each decision maker's judgements above the diagonal, as printed. The paper prints row 3 of
# A(5) as (1, 1/2, 1, 4), which is not reciprocal to a_23 = 1/2; its own w(5) (0.2247,
# 0.2958, 0.378, 0.1015) and A(c) (a_32 = 0.5086 = 1/1.9663) are those of a_32 = 2, the
# reciprocal, which is what the upper triangle gives.
DONG_UPPER = (
    {("x1", "x2"): 4, ("x1", "x3"): 6, ("x1", "x4"): 7,
     ("x2", "x3"): 3, ("x2", "x4"): 4, ("x3", "x4"): 2},
    {("x1", "x2"): 5, ("x1", "x3"): 7, ("x1", "x4"): 9,
     ("x2", "x3"): 4, ("x2", "x4"): 6, ("x3", "x4"): 2},
    {("x1", "x2"): 3, ("x1", "x3"): 5, ("x1", "x4"): 8,
     ("x2", "x3"): 4, ("x2", "x4"): 5, ("x3", "x4"): 2},
    {("x1", "x2"): 4, ("x1", "x3"): 5, ("x1", "x4"): 6,
     ("x2", "x3"): 3, ("x2", "x4"): 3, ("x3", "x4"): 2},
    {("x1", "x2"): 1 / 2, ("x1", "x3"): 1, ("x1", "x4"): 2,
     ("x2", "x3"): 1 / 2, ("x2", "x4"): 3, ("x3", "x4"): 4},
)
# lambda = (0.1, 0.3, 0.1, 0.2, 0.3): the weighted geometric mean with weights k/10 is the
# plain geometric mean of a committee where decision maker k holds k tenths of the seats.
DONG_SEATS = (1, 3, 1, 2, 3)
DONG_W = (  # w(k) by the row geometric mean, as printed
    (0.6145, 0.2246, 0.0985, 0.0624),
    (0.6461, 0.227, 0.0793, 0.0476),
    (0.5693, 0.2764, 0.0967, 0.0575),
    (0.5967, 0.2208, 0.1089, 0.0736),
    (0.2247, 0.2958, 0.378, 0.1015),
)
DONG_AC = (
    (1, 2.227, 3.4756, 5.0937),
    (0.4490, 1, 1.9663, 4.0005),
    (0.2877, 0.5086, 1, 2.4623),
    (0.1963, 0.2500, 0.4061, 1),
)
DONG_WC = (0.4984, 0.2727, 0.1541, 0.0747)
HALF_4DP = 5e-5  # half a unit of the 4th decimal the paper prints


def row_geometric_mean(matrix: np.ndarray) -> np.ndarray:
    """The paper's prioritisation (RGMM, Crawford & Williams 1985); the committee itself
    takes the eigenvector, which for an inconsistent 4x4 matrix differs slightly."""
    g = np.exp(np.log(matrix).mean(axis=1))
    return g / g.sum()


def dong_matrices() -> list[np.ndarray]:
    return [pairwise_matrix(ITEMS, upper) for upper in DONG_UPPER]


def test_dong_individual_priorities_are_the_printed_matrices():
    # Guards the transcription: each matrix as entered gives the paper's own w(k).
    for matrix, printed in zip(dong_matrices(), DONG_W, strict=True):
        assert row_geometric_mean(matrix) == pytest.approx(printed, abs=HALF_4DP)


def test_aij_reproduces_dongs_collective_matrix_to_four_decimals():
    seats = [m for m, k in zip(dong_matrices(), DONG_SEATS, strict=True) for _ in range(k)]
    group = geometric_mean_matrix(seats)
    assert group == pytest.approx(np.array(DONG_AC), abs=HALF_4DP)
    # The paper's collective priorities, by its own method on the committee's matrix.
    assert row_geometric_mean(group) == pytest.approx(DONG_WC, abs=HALF_4DP)


def test_aij_with_equal_seats_is_not_dongs_matrix():
    # The example weighs its decision makers; one seat each gives another matrix (a_12 is
    # (4*5*3*4*0.5)^(1/5) = 2.61, not 2.227), so the seat counts above are what reproduces it.
    group = geometric_mean_matrix(dong_matrices())
    assert group[0, 1] == pytest.approx(120 ** (1 / 5), rel=1e-12)
    assert abs(group[0, 1] - DONG_AC[0][1]) > 0.3


def test_eigenvector_of_dongs_collective_matrix_keeps_its_order():
    # The committee weighs families by the eigenvector (ahp_weights), not the paper's RGMM:
    # on this nearly consistent group matrix (the paper's GCI 0.056) both give the same
    # order and differ by under 0.002 per item.
    seats = [m for m, k in zip(dong_matrices(), DONG_SEATS, strict=True) for _ in range(k)]
    result = ahp_weights(geometric_mean_matrix(seats))
    assert list(np.argsort(-result.weights)) == list(np.argsort(-np.array(DONG_WC)))
    assert result.weights == pytest.approx(DONG_WC, abs=2e-3)
    assert result.consistent


# -- AIP: Srdjevic 2007, Tables 3a, 3b and 4 ------------------------------------------------

SAHP = (  # Table 3a: IG1..IG6 over plans A1..A5
    (0.312, 0.379, 0.099, 0.143, 0.066),
    (0.389, 0.248, 0.166, 0.098, 0.100),
    (0.089, 0.121, 0.071, 0.240, 0.479),
    (0.080, 0.233, 0.439, 0.090, 0.157),
    (0.433, 0.246, 0.045, 0.097, 0.179),
    (0.388, 0.087, 0.303, 0.065, 0.157),
)
MAHP = (  # Table 3b
    (0.352, 0.464, 0.054, 0.108, 0.022),
    (0.505, 0.264, 0.135, 0.025, 0.071),
    (0.025, 0.043, 0.016, 0.141, 0.774),
    (0.032, 0.202, 0.599, 0.049, 0.119),
    (0.558, 0.215, 0.013, 0.057, 0.157),
    (0.501, 0.043, 0.309, 0.028, 0.120),
)
GMM_SAHP = (0.276, 0.236, 0.166, 0.134, 0.187)  # Table 4, SAHP (GMM)
GMM_MAHP = (0.315, 0.250, 0.138, 0.095, 0.202)  # Table 4, MAHP (GMM)
WAMM_SAHP = (0.282, 0.219, 0.187, 0.122, 0.190)  # Table 4, SAHP (WAMM), arithmetic mean
HALF_3DP = 5e-4  # half a unit of the 3rd decimal the tables print


def committee_aip(table: np.ndarray) -> np.ndarray:
    """The committee's AIP of priority rows: each row becomes a partner's weights on the
    first criteria of every play (the rest 0 for all, so 0 for the group), and the group's
    shares of those criteria are read back from the first play."""
    n = table.shape[1]
    signed = np.zeros((len(table), 4, len(CAT.criterion_ids)))
    signed[:, :, :n] = table[:, None, :]
    row = aip_matrix(list(signed), CAT)[0, :n]
    return row / row.sum()


def bounds(table: tuple[tuple[float, ...], ...]) -> tuple[np.ndarray, np.ndarray]:
    """The range of each group priority over inputs anywhere in their printed rounding
    interval (+-0.0005). A normalised geometric mean rises with its own item's inputs and
    falls with the others', so each end is one corner of that box."""
    t = np.array(table)
    n = t.shape[1]
    lo, hi = np.empty(n), np.empty(n)
    for j in range(n):
        up = np.full(n, -HALF_3DP)
        up[j] = HALF_3DP
        hi[j] = committee_aip(t + up)[j]
        lo[j] = committee_aip(t - up)[j]
    return lo, hi


@pytest.mark.parametrize(("table", "printed"), [(SAHP, GMM_SAHP), (MAHP, GMM_MAHP)],
                         ids=["standard AHP", "multiplicative AHP"])
def test_aip_reproduces_srdjevics_geometric_mean_to_the_printed_precision(table, printed):
    lo, hi = bounds(table)
    # The printed group value, give or take its own rounding, is reached by inputs within
    # the rounding of the printed individual values.
    assert np.all(lo - HALF_3DP <= np.array(printed))
    assert np.all(np.array(printed) <= hi + HALF_3DP)
    centre = committee_aip(np.array(table))
    assert centre == pytest.approx(printed, abs=1e-3)
    # Table 4's order of the plans: A1 > A2 > A5 > A3 > A4.
    assert list(np.argsort(-centre)) == [0, 1, 4, 2, 3]


def test_srdjevics_arithmetic_mean_is_not_what_aip_gives():
    # Table 4 also prints the weighted arithmetic mean; the committee's geometric mean is
    # not it (A2: 0.219 against 0.236), so the test above tells the two means apart.
    lo, hi = bounds(SAHP)
    outside = (np.array(WAMM_SAHP) < lo - HALF_3DP) | (np.array(WAMM_SAHP) > hi + HALF_3DP)
    assert outside.any()
