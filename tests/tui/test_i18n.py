"""Every label exists in both languages; the catalogue's texts do too."""

from __future__ import annotations

import re

import pytest

from gtmcompass.model.catalogue import load_catalogue, load_evidence
from gtmcompass.tui.form_fields import FIELDS
from pathlib import Path

from gtmcompass.vocab.i18n import keys, messages, tr

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("key", keys())
def test_both_languages_present(key):
    assert set(messages()[key]) == {"en", "zh"}, key
    en, zh = messages()[key]["en"], messages()[key]["zh"]
    assert en.strip() and zh.strip()
    # Placeholders must match, or one language would fail to format.
    assert sorted(re.findall(r"\{(\w+)\}", en)) == sorted(re.findall(r"\{(\w+)\}", zh))


@pytest.mark.parametrize("prefix", ["field.", "section.", "play.", "play_long.", "play_short.c", "vertical.",
                                    "level.", "region.", "offering.", "results.", "about."])
def test_chinese_labels_are_chinese(prefix):
    for key in (k for k in keys() if k.startswith(prefix)):
        if key in ("results.sides",):
            continue
        assert CJK.search(tr(key, "zh")), key


def test_every_field_has_a_label_and_an_explanation():
    for path in FIELDS:
        assert tr(f"field.{path}", "en") and tr(f"about.{path}", "zh")


def test_catalogue_and_evidence_are_bilingual():
    cat = load_catalogue()
    for item in (*cat.criterion, *cat.flag):
        assert item.en and CJK.search(item.zh)
        assert item.rationale_en and CJK.search(item.rationale_zh)
    for fact in load_evidence().fact:
        assert fact.en and CJK.search(fact.zh)


def test_missing_key_or_language_fails_loudly():
    with pytest.raises(KeyError):
        tr("no.such.key", "en")
    with pytest.raises(KeyError):
        tr("results.title", "fr")


SRC = Path(__file__).resolve().parents[2] / "src" / "gtmcompass"
# tr("literal.key", ...) calls; keys built at run time (f-strings) are checked where they are made.
LITERAL_KEY = re.compile(r"""\btr\(\s*["']([a-z_][\w.]*)["']""")


def test_every_literal_key_in_the_source_exists():
    used = {k for path in SRC.rglob("*.py") for k in LITERAL_KEY.findall(path.read_text("utf-8"))}
    assert used, "the pattern found no tr() call at all"
    assert sorted(used - set(keys())) == []
