"""The decision tools' data: levers and moves are sound and cover the whole catalogue."""

from __future__ import annotations

import re

import datetime as dt

import numpy as np
import pytest

from gtmcompass.decide.levers import FEATURE_SOURCES, criterion_keys
from gtmcompass.decide.playbook import (
    check_levers,
    check_playbook,
    load_levers,
    load_playbook,
    play_label,
    side_label,
)
from gtmcompass.io.files import load_profile
from gtmcompass.model.catalogue import load_catalogue, load_evidence
from gtmcompass.scoring.features import (
    CATEGORIES,
    NUMERIC,
    PLAYS,
    RAW_COLUMNS,
    SIDES,
    from_raw,
    raw_rows,
)
from tests.conftest import PROFILES


def test_shipped_data_has_no_problems():
    assert check_levers(load_levers()) == []
    assert check_playbook(load_playbook(), load_levers(), load_catalogue()) == []


DAY = dt.date(2025, 7, 1)


def test_every_criterion_gap_has_a_move_for_every_play_that_weighs_it():
    playbook = load_playbook()
    for c in load_catalogue().criterion:
        for play in PLAYS:
            if c.weights[play]:
                assert playbook.for_criterion(c.id, play) is not None, (c.id, play)


def test_every_red_flag_has_a_move_for_every_play():
    playbook = load_playbook()
    for f in load_catalogue().flag:
        for play in PLAYS:
            assert playbook.for_flag(f.id, play) is not None, (f.id, play)


def test_moves_cite_known_facts_and_their_texts_name_them():
    facts = {f.id for f in load_evidence().fact}
    for action in load_playbook().action:
        assert set(action.evidence) <= facts
        # Every fact a move's text cites, in either language, is in its evidence list.
        for words in (action.en, action.zh):
            for fid in re.findall(r"(?<![A-Za-z0-9])([AB]\d{1,2})(?![0-9])", words):
                assert fid in action.evidence, (action.id, fid)


def test_a_typo_in_the_data_is_named():
    playbook = load_playbook().model_copy(update={"action": (
        load_playbook().action[0].model_copy(update={"criteria": ("similar_projcts",),
                                                      "evidence": ("B99",)}),)})
    problems = check_playbook(playbook, load_levers(), load_catalogue())
    assert any("similar_projcts" in p for p in problems)
    assert any("B99" in p for p in problems)


def test_labels_cover_plays_and_sides_in_both_languages():
    for lang in ("en", "zh"):
        assert all(play_label(p, lang) for p in PLAYS)
        assert all(side_label(s, lang) for s in SIDES)


@pytest.mark.parametrize("column", range(len(RAW_COLUMNS)))
def test_feature_sources_match_the_feature_arithmetic(column):
    """Changing one raw column changes only features whose sources name that field."""
    name = RAW_COLUMNS[column]
    if name in ("currency_is_usd", "as_of"):
        pytest.skip("the currency and the day scored for are not levers")
    rows = raw_rows([load_profile(p) for p in sorted(PROFILES.glob("*.toml"))])
    changed = rows.copy()
    if name == "compliance.qualifications":
        changed[:, column] = 63 - rows[:, column]  # every bit flipped
    elif name in CATEGORIES:
        changed[:, column] = np.where(rows[:, column] > 0, 0, 1)
    else:
        changed[:, column] = np.where(np.isnan(rows[:, column]), 0.3, rows[:, column] * 3 + 1)
    assume = {"market.d30_retention": 0.05, "market.paying_ratio": 0.01}
    a, b = from_raw(rows, 7.2, DAY, assume), from_raw(changed, 7.2, DAY, assume)
    for feature in NUMERIC:
        moved = not np.array_equal(a.numeric[feature], b.numeric[feature], equal_nan=True)
        if moved:
            assert name in FEATURE_SOURCES[feature], (name, feature)
    for feature, codes in a.codes.items():
        if not np.array_equal(codes, b.codes[feature]):
            assert name in FEATURE_SOURCES[feature], (name, feature)
    if name == "compliance.qualifications":
        assert not np.array_equal(a.qualification_bits, b.qualification_bits)


def test_every_criterion_knows_which_fields_move_it():
    for c in load_catalogue().criterion:
        keys = criterion_keys(c)
        assert (c.rule.kind == "constant") == (not keys), c.id
