"""The catalogue is data grounded in the evidence: every fact cited, every citation real."""

from __future__ import annotations

import re

import pytest

from gtmcompass.model.catalogue import load_catalogue, load_evidence
from gtmcompass.scoring.features import PLAYS
from tests.conftest import SHARED

CATALOGUE = load_catalogue()
EVIDENCE = load_evidence()
ALL_IDS = [f"A{i}" for i in range(1, 16)] + [f"B{i}" for i in range(1, 23)]


def test_evidence_holds_exactly_the_checklist_facts():
    assert [f.id for f in EVIDENCE.fact] == ALL_IDS


@pytest.mark.parametrize("fact_id", ALL_IDS)
def test_every_fact_is_cited_by_a_criterion_flag_or_explanation(fact_id):
    assert fact_id in CATALOGUE.cited_facts()


def test_every_citation_names_a_real_fact():
    known = {f.id for f in EVIDENCE.fact}
    assert CATALOGUE.cited_facts() <= known


def test_every_rationale_mentions_the_facts_it_cites():
    """The rationale says why, so it should name the facts the criterion rests on."""
    for item in (*CATALOGUE.criterion, *CATALOGUE.flag):
        named = set(re.findall(r"\b[AB]\d{1,2}\b", item.rationale_en))
        assert named <= set(item.evidence), (item.id, named - set(item.evidence))
        assert named, item.id


def test_bilingual_texts_are_present():
    for item in (*CATALOGUE.criterion, *CATALOGUE.flag, *CATALOGUE.family):
        assert item.en.strip() and item.zh.strip()
        assert re.search(r"[\u4e00-\u9fff]", item.zh), item.id


def test_the_five_families_of_the_issue_are_all_used():
    used = {c.family for c in CATALOGUE.criterion}
    assert used == {f.id for f in CATALOGUE.family} and len(used) == 5


def test_every_play_has_positive_and_some_criteria_weigh_against():
    for play in PLAYS:
        weights = [c.weights[play] for c in CATALOGUE.criterion]
        assert sum(w > 0 for w in weights) >= 5


def test_article_prices_are_the_deal_size_breakpoints():
    """B13 (0.45 M and 40 M yuan), B2 (1 M), B19 (3 M), B15 (10 M) fix the deal-size rule."""
    deal = CATALOGUE.criterion_by_id("deal_size").rule
    assert [x for x, _ in deal.points] == [0, 0.45, 1, 3, 10, 40]


@pytest.mark.skipif(not SHARED.joinpath("seeds").is_dir(), reason="articles not beside the repo")
def test_every_quote_is_verbatim_in_its_article():
    for fact in EVIDENCE.fact:
        article = EVIDENCE.article_by_id(fact.article)
        text = SHARED.joinpath(article.file).read_text("utf-8")
        assert fact.quote in text, fact.id


@pytest.mark.skipif(not SHARED.joinpath("evidence-checklist.md").is_file(),
                    reason="checklist not beside the repo")
def test_english_facts_match_the_checklist():
    checklist = SHARED.joinpath("evidence-checklist.md").read_text("utf-8")
    for fact in EVIDENCE.fact:
        assert f"| {fact.id} | {fact.en} |" in checklist


def test_ordered_rules_rise_so_the_weight_sign_alone_sets_direction():
    """Every breakpoint rule rises with its input; a criterion that hurts says so by a negative
    weight. This is what makes each play's score monotone in every numeric field."""
    for c in CATALOGUE.criterion:
        assert c.rule.is_monotone_increasing() in (True, None), c.id


def test_level_lookups_rise_with_the_level():
    for c in CATALOGUE.criterion:
        table = c.rule.table
        if set(table) == {"none", "some", "strong"}:
            assert table["none"] <= table["some"] <= table["strong"], c.id
        if set(table) == {"low", "medium", "high"}:
            assert table["low"] <= table["medium"] <= table["high"], c.id
