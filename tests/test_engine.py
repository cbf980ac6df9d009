"""The engine: scores move the way the evidence says, for every field, and nothing else moves them."""

from __future__ import annotations

import copy
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gtmcompass.io.files import load_profile
from gtmcompass.model.profile import LEVELS, QUALIFICATIONS, Profile
from gtmcompass.scoring.engine import BLOCKED, GO, INSUFFICIENT, NOT_YET, Engine
from gtmcompass.scoring.features import PLAYS
from tests.conftest import PROFILES
from tests.strategies import profile_documents

ENGINE = Engine()
B_PRIVATE, B_API, C_DOMESTIC, C_OVERSEAS = range(4)
CONSUMER = (C_DOMESTIC, C_OVERSEAS)
TOL = 1e-9


def scores(doc: dict, engine: Engine = ENGINE) -> np.ndarray:
    return engine.score([Profile.model_validate(doc)], confidence=False).scores[0]


def bumped(doc: dict, section: str, key: str, value) -> dict:
    out = copy.deepcopy(doc)
    out[section][key] = value
    return out


def assert_not_lower(before: np.ndarray, after: np.ndarray, plays) -> None:
    for p in plays:
        assert after[p] >= before[p] - TOL, (PLAYS[p], before[p], after[p])


def assert_not_higher(before: np.ndarray, after: np.ndarray, plays) -> None:
    for p in plays:
        assert after[p] <= before[p] + TOL, (PLAYS[p], before[p], after[p])


# -- monotone in every field, the way the articles say --------------------------------------

INCREASING_B_PRIVATE = [
    ("cloud", "private_deployments", st.integers(0, 50)),
    ("funding", "cash", st.floats(0, 1e5)),
    ("funding", "raised", st.floats(0, 1e5)),
    ("market", "enterprise_customers", st.integers(0, 200)),
    ("market", "largest_deal", st.floats(0, 1e3)),
]


@pytest.mark.parametrize(("section", "key", "step"), INCREASING_B_PRIVATE)
@given(data=st.data())
def test_more_never_lowers_b_private(section, key, step, data):
    doc = data.draw(profile_documents())
    extra = data.draw(step)
    before = scores(doc)
    after = scores(bumped(doc, section, key, doc[section][key] + extra))
    assert_not_lower(before, after, [B_PRIVATE])


@given(doc=profile_documents(), extra=st.integers(0, 500))
def test_more_commercial_staff_never_lowers_the_enterprise_plays(doc, extra):
    more = copy.deepcopy(doc)
    more["team"]["commercial_headcount"] += extra
    more["team"]["headcount"] = max(more["team"]["headcount"], more["team"]["commercial_headcount"])
    assert_not_lower(scores(doc), scores(more), [B_PRIVATE, B_API])


@given(doc=profile_documents(), years=st.integers(0, 30))
def test_older_company_never_scores_lower_for_private_deployment(doc, years):
    older = bumped(doc, "team", "founded_year", max(1000, doc["team"]["founded_year"] - years))
    assert_not_lower(scores(doc), scores(older), [B_PRIVATE])


@given(doc=profile_documents(), extra=st.floats(0, 1e5))
def test_higher_burn_never_raises_any_play(doc, extra):
    more = bumped(doc, "funding", "monthly_burn", doc["funding"]["monthly_burn"] + extra)
    assert_not_higher(scores(doc), scores(more), range(4))


@pytest.mark.parametrize(("section", "key"), [
    ("cloud", "experience"), ("team", "enterprise_sales_experience"),
])
@given(doc=profile_documents())
def test_stronger_enterprise_skills_never_lower_b_private(section, key, doc):
    ladder = [scores(bumped(doc, section, key, level)) for level in LEVELS]
    for lower, higher in pairwise(ladder):
        assert_not_lower(lower, higher, [B_PRIVATE, B_API])


@given(doc=profile_documents(), qualification=st.sampled_from(QUALIFICATIONS))
def test_a_new_qualification_never_lowers_any_play(doc, qualification):
    quals = doc["compliance"]["qualifications"]
    more = copy.deepcopy(doc)
    more["compliance"]["qualifications"] = sorted(set(quals) | {qualification})
    assert_not_lower(scores(doc), scores(more), range(4))


@given(doc=profile_documents())
def test_compute_delivery_never_lowers_b_private(doc):
    without = scores(bumped(doc, "cloud", "compute_delivery", False))
    with_ = scores(bumped(doc, "cloud", "compute_delivery", True))
    assert_not_lower(without, with_, [B_PRIVATE])


@given(doc=profile_documents())
def test_research_led_never_raises_any_play(doc):
    no = scores(bumped(doc, "team", "research_led", False))
    yes = scores(bumped(doc, "team", "research_led", True))
    assert_not_higher(no, yes, range(4))


@given(doc=profile_documents())
def test_more_differentiation_never_lowers_b_api(doc):
    ladder = [scores(bumped(doc, "sector", "differentiation", d)) for d in ("low", "medium", "high")]
    for lower, higher in pairwise(ladder):
        assert_not_lower(lower, higher, [B_API])


@pytest.mark.parametrize("key", ["d30_retention", "paying_ratio"])
@given(doc=profile_documents(), a=st.floats(0, 1), b=st.floats(0, 1))
def test_better_retention_or_paying_ratio_never_lowers_consumer_plays(key, doc, a, b):
    low, high = sorted((a, b))
    assert_not_lower(scores(bumped(doc, "market", key, low)),
                     scores(bumped(doc, "market", key, high)), CONSUMER)


@given(doc=profile_documents(), a=st.floats(0, 1e4), b=st.floats(0, 1e4))
def test_higher_acquisition_cost_never_raises_consumer_plays(doc, a, b):
    low, high = sorted((a, b))
    assert_not_higher(scores(bumped(doc, "market", "cac", low)),
                      scores(bumped(doc, "market", "cac", high)), CONSUMER)


@given(doc=profile_documents(), a=st.floats(0, 1e4), b=st.floats(0, 1e4))
def test_higher_arpu_never_lowers_consumer_plays(doc, a, b):
    low, high = sorted((a, b))
    assert_not_lower(scores(bumped(doc, "market", "arpu_monthly", low)),
                     scores(bumped(doc, "market", "arpu_monthly", high)), CONSUMER)


@given(doc=profile_documents(), extra=st.integers(0, 10**8))
def test_more_users_never_lower_consumer_plays(doc, extra):
    more = bumped(doc, "market", "monthly_active_users", doc["market"]["monthly_active_users"] + extra)
    assert_not_lower(scores(doc), scores(more), CONSUMER)


@given(doc=profile_documents())
def test_consumer_experience_never_lowers_consumer_plays(doc):
    ladder = [scores(bumped(doc, "team", "consumer_product_experience", lv)) for lv in LEVELS]
    for lower, higher in pairwise(ladder):
        assert_not_lower(lower, higher, CONSUMER)


# -- unknown is not zero ---------------------------------------------------------------------

@pytest.mark.parametrize("key", ["d30_retention", "paying_ratio"])
@given(doc=profile_documents())
def test_unknown_is_scored_above_a_known_zero(key, doc):
    unknown = copy.deepcopy(doc)
    unknown["market"].pop(key, None)
    zero = bumped(doc, "market", key, 0.0)
    a, b = scores(unknown), scores(zero)
    for p in CONSUMER:
        assert a[p] > b[p]


def test_unknown_inputs_are_marked():
    doc = load_profile(PROFILES / "tender-veteran.toml")
    batch = ENGINE.score([doc])
    ids = ENGINE.catalogue.criterion_ids
    unknown = {ids[j] for j in np.flatnonzero(batch.unknown[0])}
    assert unknown == {"consumer_retention", "paying_ratio", "unit_economics", "revenue_vs_burn"}


# -- invariants of every result ----------------------------------------------------------------

@given(st.lists(profile_documents(), min_size=1, max_size=6))
def test_results_are_finite_in_range_and_consistent(docs):
    batch = ENGINE.score([Profile.model_validate(d) for d in docs])
    assert np.all(np.isfinite(batch.scores))
    assert np.all((batch.scores >= 0) & (batch.scores <= 100))
    assert np.allclose(batch.points.sum(axis=2), batch.scores)
    assert np.all(batch.points >= -TOL)
    assert np.allclose(batch.to_b, batch.scores[:, :2].max(axis=1))
    assert np.allclose(batch.to_c, batch.scores[:, 2:].max(axis=1))
    blocked = batch.status == BLOCKED
    open_scores = np.where(blocked, -np.inf, batch.scores)
    go = batch.verdict == GO
    # go: the best open play; not_yet: every play blocked; insufficient: the top score
    assert np.array_equal(batch.play[go], open_scores[go].argmax(axis=1))
    assert np.all(blocked[batch.verdict == NOT_YET])
    assert not np.any(blocked[go].all(axis=1))
    insufficient = batch.verdict == INSUFFICIENT
    assert np.array_equal(batch.play[insufficient], batch.scores[insufficient].argmax(axis=1))
    assert np.all(batch.confidence[insufficient] == 0)
    assert np.array_equal(batch.side, (batch.play >= 2).astype(int))
    assert np.all((batch.confidence >= 0) & (batch.confidence <= 1))
    assert np.allclose(batch.win_share.sum(axis=1), 1.0)
    chosen = batch.win_share[np.arange(len(docs)), batch.play]
    assert np.allclose(chosen[~insufficient], batch.confidence[~insufficient])


@given(st.lists(profile_documents(), min_size=2, max_size=5), st.randoms())
def test_a_result_never_depends_on_the_rest_of_the_batch(docs, rnd):
    profiles = [Profile.model_validate(d) for d in docs]
    together = ENGINE.score(profiles)
    order = list(range(len(profiles)))
    rnd.shuffle(order)
    shuffled = ENGINE.score([profiles[i] for i in order])
    for new_i, old_i in enumerate(order):
        alone = ENGINE.score([profiles[old_i]])
        for field in ("scores", "confidence", "win_share", "flags", "points"):
            assert np.array_equal(getattr(shuffled, field)[new_i], getattr(together, field)[old_i])
            assert np.array_equal(getattr(alone, field)[0], getattr(together, field)[old_i])


@given(profile_documents())
def test_scores_are_identical_across_engines_and_runs(doc):
    profile = Profile.model_validate(doc)
    a, b = Engine().score([profile]), Engine().score([profile])
    assert np.array_equal(a.scores, b.scores)
    assert np.array_equal(a.confidence, b.confidence)


MONEY = [("funding", "raised"), ("funding", "cash"), ("funding", "monthly_burn"),
         ("market", "largest_deal")]


@given(profile_documents(), st.floats(0.5, 20))
def test_cny_profile_scores_as_its_usd_twin(doc, rate):
    engine = Engine(cny_per_usd=rate)
    usd = bumped(doc, "team", "headcount", doc["team"]["headcount"])
    usd["currency"] = "USD"
    cny = copy.deepcopy(usd)
    cny["currency"] = "CNY"
    for section, key in MONEY:
        cny[section][key] = usd[section][key] * rate
    for key in ("arpu_monthly", "cac", "annual_revenue"):  # converted alike
        if key in usd["market"]:
            cny["market"][key] = usd["market"][key] * rate
    a = engine.score([Profile.model_validate(usd)])
    b = engine.score([Profile.model_validate(cny)])
    assert np.allclose(a.scores, b.scores, atol=1e-6)
    assert np.array_equal(a.flags, b.flags)


def test_documented_default_rate_is_used():
    assert ENGINE.cny_per_usd == ENGINE.catalogue.settings.cny_per_usd == 7.2


def test_confidence_reflects_how_close_the_plays_are():
    """A runaway winner keeps its place under every weighting; a near tie does not."""
    veteran = load_profile(PROFILES / "tender-veteran.toml")
    batch = ENGINE.score([veteran])
    top, second = np.sort(batch.scores[0])[::-1][:2]
    assert top - second > 15 and batch.confidence[0] > 0.95
    # Shrink the winner's lead by moving the company abroad with a consumer product.
    tied = veteran.model_copy(update={"market": veteran.market.model_copy(
        update={"target_region": "global"})})
    close = ENGINE.score([tied])
    gap = np.sort(close.scores[0])[::-1]
    assert (gap[0] - gap[1]) < (top - second)
    assert close.confidence[0] <= batch.confidence[0]


def test_scoring_without_confidence_leaves_it_unknown():
    batch = ENGINE.score([load_profile(PROFILES / "compute-bidder.toml")], confidence=False)
    assert np.isnan(batch.confidence).all()
