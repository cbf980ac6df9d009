"""A committee's weights: AIJ / AIP aggregation, Goepel's consensus, per-partner verdicts."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gtmcompass.cli import main
from gtmcompass.decide import ahp_weight_set, ahp_weights, family_ids, pairwise_matrix
from gtmcompass.decide.committee import (
    AIJ,
    AIP,
    CommitteeError,
    ahp_consensus,
    aip_matrix,
    combine,
    geometric_mean_matrix,
    relative_homogeneity,
    resolve,
)
from gtmcompass.io.files import load_profile
from gtmcompass.io.weights import WeightSet, WeightsError, parse_weights
from gtmcompass.model.catalogue import load_catalogue
from gtmcompass.scoring.engine import Engine
from gtmcompass.vocab.terms import PLAYS
from tests.conftest import PROFILES

CAT = load_catalogue()
FAMS = family_ids(CAT)
SAATY = st.sampled_from([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1 / 2, 1, 2, 3, 5, 7, 9])


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


# -- published examples ---------------------------------------------------------------------

def test_aij_reproduces_saatys_apple_and_orange():
    # Saaty's group example (Aczel & Saaty 1983, J. Math. Psych. 27(1) 93-102; retold in
    # Decision Lens, "Combining group members' judgments", 2007): three people judge an apple
    # 2, 3 and 4 times larger than an orange; the group judgement is the geometric mean,
    # 24^(1/3), and its reciprocal (1/24)^(1/3) is what the reciprocals combine to.
    people = [pairwise_matrix(("apple", "orange"), {("apple", "orange"): x}) for x in (2, 3, 4)]
    group = geometric_mean_matrix(people)
    assert group[0, 1] == pytest.approx(24 ** (1 / 3), rel=1e-12)
    assert group[1, 0] == pytest.approx((1 / 24) ** (1 / 3), rel=1e-12)
    # The arithmetic mean (3) would not be reciprocal: (1/2 + 1/3 + 1/4) / 3 = 13/36, not 1/3.
    assert group[0, 1] != pytest.approx(3.0)
    g = 24 ** (1 / 3)
    assert ahp_weights(group).weights == pytest.approx([g / (1 + g), 1 / (1 + g)], rel=1e-12)


@pytest.mark.parametrize(("xs", "n"), [((9,), 4), ((9, 1), 4), ((9, 3, 1), 5), ((7, 5), 3)])
def test_aij_follows_goepels_closed_form(xs, n):
    # Goepel 2018 (AHP-OS, IJAHP 10(3) 469-487, eq. 41, the validation case): one criterion
    # judged x times as important as each of the n - 1 others gets x / (x + n - 1); for four
    # criteria and x = 9, 9/12 = 75 %. Partners judging x_1..x_K combine (AIJ) to the same
    # case with x = the geometric mean of the x_k.
    items = tuple(f"c{i}" for i in range(n))
    matrices = [pairwise_matrix(items, {("c0", c): x for c in items[1:]}) for x in xs]
    x = math.prod(xs) ** (1 / len(xs))
    weights = ahp_weights(geometric_mean_matrix(matrices)).weights
    assert weights[0] == pytest.approx(x / (x + n - 1), abs=5e-7)
    if xs == (9,) and n == 4:
        assert round(100 * weights[0], 1) == 75.0


def test_goepel_consensus_is_1_for_one_mind_and_0_for_his_calibration_case():
    # Goepel 2013 / AHP-OS: S* = 1 when every participant gives the same priorities, and 0
    # when n participants each put a different criterion M = 9 times above all others (the
    # case that fixes D_alpha,min and D_gamma,max = n).
    n = 5
    one = np.array([[9 if i == k else 1 for i in range(n)] for k in range(n)], dtype=float)
    one /= one.sum(axis=1, keepdims=True)
    assert one[0, 0] == pytest.approx(9 / 13)
    assert ahp_consensus(one) == pytest.approx(0.0, abs=1e-12)
    same = np.tile(one[:1], (3, 1))
    assert ahp_consensus(same) == pytest.approx(1.0, abs=1e-12)
    assert relative_homogeneity(same) == pytest.approx(1.0, abs=1e-12)
    # Two partners with nothing in common (disjoint criteria): relative homogeneity
    # (1/D_beta - 1/n)/(1 - 1/n) with D_beta = 2 and n = 4 is (1/2 - 1/4)/(3/4) = 1/3.
    apart = np.array([[0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]])
    assert relative_homogeneity(apart) == pytest.approx(1 / 3)


# -- properties -----------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from([(a, b) for i, a in enumerate(FAMS)
                                                 for b in FAMS[i + 1:]]), SAATY),
                min_size=1, max_size=5))
def test_aij_is_reciprocal_order_free_and_unanimous(judged):
    matrices = [pairwise_matrix(FAMS, j) for j in judged]
    group = geometric_mean_matrix(matrices)
    assert np.allclose(group * group.T, 1.0)
    assert np.allclose(geometric_mean_matrix(matrices[::-1]), group)
    # Every partner giving the same judgement gives that judgement.
    assert np.allclose(geometric_mean_matrix([matrices[0]] * 3), matrices[0])
    # Between the smallest and the largest judgement, cell by cell.
    stack = np.array(matrices)
    assert np.all(group <= stack.max(axis=0) * (1 + 1e-12))
    assert np.all(group >= stack.min(axis=0) * (1 - 1e-12))
    value = ahp_consensus(np.array([ahp_weights(m).weights for m in matrices]))
    assert value <= 1.0 + 1e-12


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.floats(0.5, 30.0), min_size=32, max_size=32), min_size=2,
                max_size=4))
def test_aip_is_the_normalised_geometric_mean_of_shares(rows):
    base = WeightSet("catalogue").matrix(CAT)
    partners = [np.sign(base) * np.abs(base) * np.array(r)[None, :] for r in rows]
    out = aip_matrix(partners, CAT)
    assert np.array_equal(np.sign(out), np.sign(base))
    share = np.abs(np.array(partners)) / np.abs(np.array(partners)).sum(axis=2, keepdims=True)
    with np.errstate(divide="ignore"):
        expected = np.exp(np.log(share).mean(axis=0))
    expected /= expected.sum(axis=1, keepdims=True)
    got = np.abs(out) / np.abs(out).sum(axis=1, keepdims=True)
    assert np.allclose(got, expected)


# -- one partner is the single weight set ---------------------------------------------------

def test_one_partner_is_exactly_the_single_weight_set(tmp_path):
    ws = parse_weights({"name": "solo", "weights": {"runway": {"b_private": 12.0}}}, "solo.toml")
    committee = combine([ws])
    assert committee.weight_set is ws and committee.consensus == 1.0
    engine = committee.engine(as_of=None)
    single = Engine(weight_set=ws)
    assert engine.committee is None
    assert np.array_equal(engine.signed, single.signed)
    profiles = [load_profile(p) for p in sorted(PROFILES.glob("*.toml"))]
    a, b = engine.score(profiles), single.score(profiles)
    assert np.array_equal(a.scores, b.scores) and np.array_equal(a.play, b.play)
    assert np.array_equal(a.confidence, b.confidence)


def test_one_judgement_partner_is_exactly_the_ahp_weight_set():
    judgements = {"procurement": {"api_price_war": 5, "funding": 3}}
    ws = parse_weights({"name": "ahp-one", "judgements": judgements}, "ahp-one.toml")
    own, result = resolve(ws, CAT)
    expected, expected_result = ahp_weight_set(
        "ahp-one", pairwise_matrix(FAMS, ws.judgement_pairs()))
    assert np.array_equal(own.matrix(CAT), expected.matrix(CAT))
    assert np.array_equal(result.weights, expected_result.weights)
    committee = combine([ws])
    assert committee.method == AIJ
    assert np.array_equal(committee.weight_set.matrix(CAT), expected.matrix(CAT))


def test_one_weights_file_on_the_command_line_behaves_as_before(tmp_path, capsys):
    path = write(tmp_path / "solo.toml", 'name = "solo"\n[weights.runway]\nb_private = 12.0\n')
    code, out, err = run(capsys, "score", str(PROFILES), "--format", "json", "--weights", path)
    assert code == 0 and err == ""
    results = json.loads(out)
    assert all("committee" not in r and r["weights"] == "solo" for r in results)
    single = Engine(weight_set=WeightSet("solo", {"runway": {"b_private": 12.0}}))
    profiles = [load_profile(p) for p in sorted(PROFILES.glob("*.toml"))]
    plays = single.score(profiles).play
    assert [r["play"] for r in results] == [PLAYS[q] for q in plays]


# -- a committee on the command line --------------------------------------------------------

@pytest.fixture
def partners(tmp_path):
    return [
        write(tmp_path / "alice.toml", 'name = "alice"\n[judgements.procurement]\n'
              "api_price_war = 9\nfunding = 9\nretention_monetisation = 9\noverseas = 9\n"),
        write(tmp_path / "bob.toml", 'name = "bob"\n[judgements.retention_monetisation]\n'
              "procurement = 9\napi_price_war = 9\nfunding = 9\noverseas = 9\n"),
        write(tmp_path / "carol.toml", 'name = "carol"\n[judgements.overseas]\n'
              "procurement = 3\n"),
    ]


def test_a_committee_result_says_which_play_each_partner_would_pick(partners, capsys):
    argv = ["score", str(PROFILES), "--format", "json"]
    code, out, err = run(capsys, *argv, *sum((["--weights", p] for p in partners), []))
    assert code == 0
    assert "Committee of 3 partners (combined by AIJ)" in err
    results = json.loads(out)
    alone = []
    for p in partners:
        _, solo, _ = run(capsys, *argv, "--weights", p)
        alone.append([r["play"] for r in json.loads(solo)])
    for i, r in enumerate(results):
        c = r["committee"]
        assert c["partners"] == ["alice", "bob", "carol"] and c["of"] == 3
        assert c["method"] == AIJ and 0 <= c["consensus"] <= 1
        # Each partner's play is what that partner's file alone gives.
        assert c["plays"] == [solo[i] for solo in alone]
        assert c["agree"] == c["plays"].count(r["play"])
    # Partners this far apart disagree somewhere, and the consensus says they are apart.
    assert any(r["committee"]["agree"] < 3 for r in results)
    assert results[0]["committee"]["consensus"] < 0.75


def test_plain_weight_sets_combine_by_aip(tmp_path, capsys):
    a = write(tmp_path / "a.toml", 'name = "a"\n[weights.runway]\nb_private = 12.0\n')
    b = write(tmp_path / "b.toml", 'name = "b"\n')
    code, out, err = run(capsys, "rank", str(PROFILES), "--format", "json",
                         "--weights", a, "--weights", b)
    assert code == 0 and "AIP" in err
    results = json.loads(out)
    assert all(r["committee"]["method"] == AIP and r["weights"] == "a+b" for r in results)


def test_table_and_report_say_it_in_words(partners, capsys):
    weights = sum((["--weights", p] for p in partners), [])
    code, out, _ = run(capsys, "score", str(PROFILES), *weights)
    assert code == 0 and "Partners" in out
    profile = sorted(PROFILES.glob("*.toml"))[0]
    code, out, _ = run(capsys, "report", str(profile), *weights)
    assert code == 0
    line = next(ln for ln in out.splitlines() if "partners' weights give" in ln)
    assert not any(p in line for p in PLAYS)  # the play by its name, never its id
    code, out, _ = run(capsys, "report", str(profile), "--lang", "zh", *weights)
    assert "位合伙人中有" in out


def test_partners_opposite_signs_are_refused_naming_the_weight(tmp_path, capsys):
    base = WeightSet("catalogue").matrix(CAT)
    i, j = map(int, np.argwhere(base < 0)[0])
    cid, play = CAT.criterion_ids[j], PLAYS[i]
    a = write(tmp_path / "a.toml", f'name = "a"\n[weights.{cid}]\n{play} = 5.0\n')
    b = write(tmp_path / "b.toml", 'name = "b"\n')
    code, out, err = run(capsys, "score", str(PROFILES), "--weights", a, "--weights", b)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert f"weights.{cid}.{play}" in err and "a.toml" in err and "one sign" in err
    with pytest.raises(CommitteeError):
        combine([parse_weights({"weights": {cid: {play: 5.0}}}, "a.toml"), WeightSet("b")])


@pytest.mark.parametrize(("text", "expected"), [
    ("[judgements.procurment]\nfunding = 3\n", "did you mean 'procurement'"),
    ("[judgements.procurement]\nfunding = 12\n", "1/9 to 9"),
    ("[judgements.procurement]\nprocurement = 3\n", "not compared with itself"),
    ("[judgements.procurement]\nfunding = 3\n[judgements.funding]\nprocurement = 2\n",
     "each pair once"),
    ("judgements = 3\n", "expected a table of families"),
    ("[judgements.procurement]\nfunding = \"x\"\n", "finite number"),
])
def test_bad_judgement_files_get_one_clear_line(tmp_path, capsys, text, expected):
    path = write(tmp_path / "bad.toml", text)
    code, out, err = run(capsys, "score", str(PROFILES), "--weights", path,
                         "--weights", path)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "bad.toml" in err and expected in err
    with pytest.raises(WeightsError):
        parse_weights(__import__("tomllib").loads(text), "bad.toml")


def test_judgements_survive_a_save_and_load(tmp_path):
    from gtmcompass.io.weights import load_weights, save_weights

    ws = parse_weights({"name": "j", "judgements": {"funding": {"overseas": 1 / 3}}}, "j.toml")
    save_weights(ws, tmp_path / "j.toml")
    again = load_weights(str(tmp_path / "j.toml"))
    assert again.judgements == ws.judgements
