"""Profiles as the contract defines them: every key, range, default, and clear errors."""

from __future__ import annotations

import os
import tomllib

import pytest
import tomli_w
from hypothesis import given

from gtmcompass.io import files
from gtmcompass.io.files import (
    entries_from_bytes,
    load_all,
    load_path,
    load_profile,
    safe_file_stem,
    save_profile,
)
from gtmcompass.model.profile import Profile, current_year, to_document
from tests.conftest import PROFILES
from tests.strategies import profile_documents, profiles

MINIMAL = b"""
schema_version = 1
name = "Min"
[funding]
raised = 1.0
cash = 1.0
monthly_burn = 0.5
[team]
headcount = 3
founded_year = 2022
commercial_headcount = 1
[sector]
vertical = "finance"
[cloud]
experience = "none"
[market]
target_region = "china"
"""


def one(data: bytes, source: str = "p.toml"):
    entries = entries_from_bytes(data, source)
    assert len(entries) == 1
    return entries[0]


def error_text(data: bytes) -> str:
    entry = one(data)
    assert not entry.ok, "expected the profile to be rejected"
    return str(entry.errors[0])


def test_minimal_profile_takes_the_contract_defaults():
    p = one(MINIMAL).profile
    assert p.currency == "USD"
    assert p.notes == ""
    assert p.team.research_led is False
    assert p.team.enterprise_sales_experience == "none"
    assert p.sector.offering == "model" and p.sector.differentiation == "medium"
    assert p.cloud.private_deployments == 0 and p.cloud.compute_delivery is False
    assert p.compliance.qualifications == ()
    m = p.market
    assert (m.monthly_active_users, m.enterprise_customers, m.largest_deal) == (0, 0, 0.0)
    # Unknown, not zero.
    assert m.d30_retention is None and m.paying_ratio is None
    assert m.arpu_monthly is None and m.cac is None


def test_contract_example_loads():
    text = (MINIMAL.decode() + "").replace('name = "Min"', 'name = "Example AI"\ncurrency = "CNY"')
    assert one(text.encode()).profile.currency == "CNY"


@pytest.mark.parametrize(
    ("old", "new", "path", "expected"),
    [
        ("headcount = 3", "headcount = 0", "team.headcount", "from 1 to 10,000,000"),
        ("headcount = 3", "headcount = true", "team.headcount", "an integer, got true"),
        ("raised = 1.0", "raised = true", "funding.raised", "a number, got true"),
        ("raised = 1.0", "raised = -1.0", "funding.raised", "from 0 to 1,000,000,000"),
        ("raised = 1.0", "raised = nan", "funding.raised", "finite"),
        ("cash = 1.0", "cash = inf", "funding.cash", "finite"),
        ("raised = 1.0", 'raised = "1"', "funding.raised", "a number"),
        ("commercial_headcount = 1", "commercial_headcount = 4", "team.commercial_headcount",
         "headcount (3)"),
        ('vertical = "finance"', 'vertical = "fintech"', "sector.vertical", "'finance'"),
        ('experience = "none"', 'experience = "lots"', "cloud.experience", "'strong'"),
        ("schema_version = 1", "schema_version = 2", "schema_version", "newer gtmcompass"),
        ("schema_version = 1", "schema_version = 1.0", "schema_version", "an integer"),
        ('name = "Min"', 'name = ""', "name", "at least 1"),
        ('name = "Min"', f'name = "{"x" * 121}"', "name", "at most 120"),
        ("founded_year = 2022", f"founded_year = {current_year() + 1}", "team.founded_year",
         "not in the future"),
        ("founded_year = 2022", "founded_year = 22", "team.founded_year", "from 1000 to 9999"),
    ],
)
def test_bad_values_name_the_key_path_and_what_was_expected(old, new, path, expected):
    data = MINIMAL.decode().replace(old, new, 1).encode()
    message = error_text(data)
    assert message.startswith(f"p.toml: {path}: expected"), message
    assert expected in message
    assert "\n" not in message


def test_market_shares_out_of_range_are_rejected():
    data = MINIMAL + b"d30_retention = 1.5\n"
    assert "market.d30_retention: expected a number from 0 to 1" in error_text(data)


def test_unknown_key_suggests_the_intended_one():
    data = MINIMAL.replace(b"monthly_burn", b"montly_burn")
    message = error_text(data)
    assert "funding.montly_burn: unknown key 'montly_burn' in [funding]" in message
    assert "did you mean 'monthly_burn'?" in message


def test_unknown_section_suggests_the_intended_one():
    data = MINIMAL + b"[compliance_]\nqualifications = []\n"
    assert "did you mean 'compliance'?" in error_text(data)


def test_qualifications_must_be_known_and_unique():
    bad = MINIMAL + b'[compliance]\nqualifications = ["mlps3", "iso9001"]\n'
    assert "compliance.qualifications[1]" in error_text(bad)
    dup = MINIMAL + b'[compliance]\nqualifications = ["mlps3", "mlps3"]\n'
    assert "each qualification at most once" in error_text(dup)


def test_missing_required_key_is_named():
    data = MINIMAL.replace(b"cash = 1.0\n", b"")
    assert "funding.cash: expected a value (this key is required)" in error_text(data)


def test_malformed_toml_gives_one_line_with_the_position():
    message = error_text(b"name = \n")
    assert message.startswith("p.toml: not valid TOML:") and "line 1" in message


def test_non_utf8_file_is_refused_with_the_line():
    message = error_text(MINIMAL + b"notes = \"\xff\xfe\"\n")
    assert "not UTF-8" in message and "line" in message


def test_oversized_file_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setenv("GTMCOMPASS_MAX_FILE_MB", str(100 / 1024 / 1024))
    path = tmp_path / "big.toml"
    path.write_bytes(MINIMAL)
    [entry] = load_path(path)
    assert "expected at most 100" in str(entry.errors[0])


def test_absurd_nesting_is_refused():
    data = b"x = " + b"[" * 50 + b"]" * 50 + b"\n"
    assert "nested too deeply" in error_text(data)


def test_missing_file_and_folder_without_profiles(tmp_path):
    [entry] = load_path(tmp_path / "nope.toml")
    assert str(entry.errors[0]).endswith("nope.toml: no such file")
    [entry] = load_all([str(tmp_path)])
    assert "folder holds no .toml files" in str(entry.errors[0])


def test_batch_file_reports_bad_profiles_and_keeps_the_rest():
    good = tomllib.loads(MINIMAL.decode())
    bad = tomllib.loads(MINIMAL.decode().replace("headcount = 3", "headcount = -3"))
    batch = tomli_w.dumps({"profile": [good, bad, good]})
    entries = entries_from_bytes(batch.encode(), "b.toml")
    assert [e.ok for e in entries] == [True, False, True]
    assert [e.source for e in entries] == ["b.toml#1", "b.toml#2", "b.toml#3"]
    assert str(entries[1].errors[0]).startswith("b.toml#2: team.headcount:")


def test_batch_file_with_stray_top_level_key_is_refused():
    text = 'name = "x"\n' + tomli_w.dumps({"profile": [tomllib.loads(MINIMAL.decode())]})
    message = error_text(text.encode())
    assert "a batch file holds only [[profile]] tables" in message


def test_misspelt_batch_key_is_suggested():
    text = tomli_w.dumps({"profiles": [tomllib.loads(MINIMAL.decode())]})
    assert "did you mean '[[profile]]'?" in error_text(text.encode())


def test_folder_is_scanned_recursively_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.toml").write_bytes(MINIMAL)
    (tmp_path / "a.toml").write_bytes(MINIMAL)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.toml").write_bytes(b"broken")
    sources = [e.source for e in load_all([str(tmp_path)])]
    assert sources == [str(tmp_path / "a.toml"), str(tmp_path / "b" / "two.toml")]


def test_examples_all_load(example_paths):
    assert len(example_paths) >= 8
    for path in example_paths:
        assert isinstance(load_profile(path), Profile)


@given(profiles())
def test_save_then_load_is_identity(tmp_path_factory, profile):
    path = tmp_path_factory.mktemp("rt") / "p.toml"
    save_profile(profile, path)
    assert load_profile(path) == profile


@given(profile_documents())
def test_written_files_leave_unknown_values_out(doc):
    profile = Profile.model_validate(doc)
    written = tomllib.loads(files.dumps(profile))
    for key in ("d30_retention", "paying_ratio", "arpu_monthly", "cac"):
        assert (key in written["market"]) == (key in doc["market"])
    assert to_document(profile) == written


def test_save_is_atomic_and_leaves_no_temporary_files(tmp_path):
    profile = one(MINIMAL).profile
    target = tmp_path / "p.toml"
    target.write_text("old content")
    save_profile(profile, target)
    assert load_profile(target) == profile
    assert os.listdir(tmp_path) == ["p.toml"]


def test_save_failures_are_clear_and_keep_the_old_file(tmp_path):
    profile = one(MINIMAL).profile
    with pytest.raises(files.SaveError, match="is a folder"):
        save_profile(profile, tmp_path)
    with pytest.raises(files.SaveError, match="could not save"):
        save_profile(profile, tmp_path / "missing-folder" / "p.toml")


@pytest.mark.parametrize(
    ("name", "stem"),
    [("Acme AI", "acme-ai"), ("../../etc/passwd", "etc-passwd"), ("...", "profile"),
     ("智谱 AI", "智谱-ai"), ("a/b\\c", "a-b-c"), ("x" * 200, "x" * 80)],
)
def test_safe_file_stem_never_leaves_the_folder(name, stem):
    result = safe_file_stem(name)
    assert result == stem
    assert "/" not in result and "\\" not in result and not result.startswith(".")


def test_a_misspelt_vocabulary_word_gets_a_did_you_mean(tmp_path):
    from gtmcompass.io.files import load_path

    path = tmp_path / "typo.toml"
    text = (PROFILES / "medical-partners.toml").read_text("utf-8")
    path.write_text(text.replace('vertical = "healthcare"', 'vertical = "heathcare"'), "utf-8")
    assert 'vertical = "heathcare"' in path.read_text("utf-8")
    (entry,) = load_path(path)
    (error,) = entry.errors
    assert error.key_path == "sector.vertical"
    assert error.message.endswith("got 'heathcare'; did you mean 'healthcare'?")
