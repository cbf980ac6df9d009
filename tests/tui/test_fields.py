"""The form's field specs against the contract, and widget values <-> documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtmcompass.io.files import load_profile, validate_document
from gtmcompass.model.profile import SCHEMA_VERSION, SECTIONS, Profile, to_document
from gtmcompass.tui.checking import check
from gtmcompass.tui.form_fields import (
    FIELDS,
    GROUPS,
    build_document,
    field_for_error,
    widget_values,
)

PROFILES = sorted((Path(__file__).resolve().parents[2] / "profiles").glob("*.toml"))


def contract_paths() -> set[str]:
    top = {k for k in Profile.model_fields if k not in SECTIONS and k != "schema_version"}
    nested = {f"{s}.{k}" for s, model in SECTIONS.items() for k in model.model_fields}
    return top | nested


def test_every_contract_field_has_exactly_one_widget():
    assert set(FIELDS) == contract_paths()


def test_groups_follow_the_files_sections_in_order():
    sections = [g for g, _ in GROUPS if g in SECTIONS]
    assert sections == list(SECTIONS)
    for group, specs in GROUPS:
        if group in SECTIONS:
            assert all(spec.section == group for spec in specs)


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_widget_values_round_trip_every_example(path: Path):
    profile = load_profile(path)
    values = widget_values(to_document(profile))
    assert check(values).profile == profile


def test_empty_optional_figure_means_unknown_not_zero():
    profile = load_profile(PROFILES[0])
    values = widget_values(to_document(profile))
    values["market.d30_retention"] = ""
    values["market.cac"] = "   "
    doc = build_document(values, SCHEMA_VERSION)
    assert "d30_retention" not in doc["market"] and "cac" not in doc["market"]
    assert check(values).profile.market.d30_retention is None


def test_non_numbers_reach_the_validator_and_come_back_under_their_field():
    values = widget_values(to_document(load_profile(PROFILES[0])))
    values["funding.cash"] = "-5"
    values["team.headcount"] = "1.5"
    values["name"] = ""
    checked = check(values)
    assert checked.profile is None
    assert set(checked.errors) == {"funding.cash", "team.headcount", "name"}
    assert "from 0 to 1,000,000,000" in checked.errors["funding.cash"]
    assert "integer" in checked.errors["team.headcount"]


def test_empty_required_box_says_required():
    values = widget_values(to_document(load_profile(PROFILES[0])))
    values["funding.raised"] = ""
    assert "required" in check(values).errors["funding.raised"]


def test_widget_values_survive_a_broken_document():
    doc = {"name": 7, "funding": "oops", "team": {"headcount": True},
           "sector": {"vertical": "space"}, "compliance": {"qualifications": ["mlps3", 3]}}
    values = widget_values(doc)
    assert values["funding.cash"] == ""
    assert values["sector.vertical"] in FIELDS["sector.vertical"].choices
    assert values["compliance.qualifications"] == ("mlps3",)
    assert values["team.headcount"] == ""  # a boolean is not a number


@pytest.mark.parametrize(("key_path", "field"), [
    ("team.commercial_headcount", "team.commercial_headcount"),
    ("compliance.qualifications[2]", "compliance.qualifications"),
    ("name", "name"),
    ("", None),
    ("funding", None),
    ("market.bogus", None),
])
def test_errors_are_filed_under_their_field(key_path, field):
    assert field_for_error(key_path) == field


def test_a_validator_error_keeps_the_cores_wording():
    values = widget_values(to_document(load_profile(PROFILES[0])))
    values["team.commercial_headcount"] = "99999"
    doc = build_document(values, SCHEMA_VERSION)
    core = validate_document(doc, "x").errors[0].message
    assert check(values).errors["team.commercial_headcount"] == core
