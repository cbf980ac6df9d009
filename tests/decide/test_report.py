"""Reports: complete, bilingual, escaped, and drawn without anything to fetch."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from gtmcompass.io.files import load_profile
from gtmcompass.io.weights import WeightSet
from gtmcompass.model.profile import Profile
from gtmcompass.render.report import build_report, render_html, render_markdown
from gtmcompass.scoring.engine import Engine
from tests.conftest import PROFILES

SECTIONS_EN = ("## Verdict", "## Confidence", "## Play scores", "## What drives the score",
               "## Red flags", "## What would flip it", "## Action plan",
               "## How stable is the verdict", "## Evidence")
SECTIONS_ZH = ("## 结论", "## 置信度", "## 各打法得分", "的得分构成", "## 风险警示",
               "## 什么会改变结论", "的行动计划", "## 结论有多稳定", "## 依据")


@pytest.fixture(scope="module")
def docs(engine):
    out = {}
    for path in sorted(PROFILES.glob("*.toml")):
        profile = load_profile(path)
        for lang in ("en", "zh"):
            out[path.stem, lang] = build_report(engine, profile, str(path), lang)
    return out


def test_markdown_has_every_section_in_both_languages(docs):
    for (_, lang), doc in docs.items():
        md = render_markdown(doc)
        for heading in SECTIONS_EN if lang == "en" else SECTIONS_ZH:
            assert heading in md, (lang, heading)


def test_the_report_says_what_the_engine_says(engine, docs):
    for (stem, lang), doc in docs.items():
        batch = engine.score([load_profile(PROFILES / f"{stem}.toml")])
        v = doc["verdict"]
        assert v["score"] == pytest.approx(float(batch.scores[0, batch.play[0]]))
        assert v["confidence"] == pytest.approx(float(batch.confidence[0]))
        assert sum(r["points"] for r in doc["contributions"]) == pytest.approx(v["score"])
        md = render_markdown(doc)
        assert f"{v['score']:.1f}" in md and v["play"] in md


def test_every_flip_move_and_fact_cited_is_in_the_text(docs):
    for doc in docs.values():
        md, page = render_markdown(doc), render_html(doc)
        for group in ("levers", "structural"):
            for t in doc["flips"][group]:
                for flip in (t["single"], t["pair"]):
                    if flip:
                        assert flip["text"] in md.replace("\\|", "|")
        for item in doc["plan"]["items"]:
            assert item["move"][:30] in md
        cited = {fid for item in doc["plan"]["items"] for fid in item["evidence"]}
        listed = {f["id"] for f in doc["evidence"]}
        assert cited <= listed
        for fid in listed:
            assert f'id="fact-{fid}"' in page


def test_html_is_self_contained_and_its_charts_are_well_formed(docs):
    for doc in docs.values():
        page = render_html(doc)
        assert "http" not in page and "<script" not in page.lower()
        assert not re.search(r"\b(src|href)\s*=", page)
        assert "@import" not in page and "url(" not in page
        charts = re.findall(r"<svg.*?</svg>", page, re.DOTALL)
        assert len(charts) == 4  # play scores, confidence, contributions, tornado
        for chart in charts:
            ET.fromstring(chart)


def test_a_hostile_name_is_escaped(engine):
    profile = load_profile(PROFILES / "tender-veteran.toml").model_copy(
        update={"name": "<script>alert(1)</script> | **x**"})
    doc = build_report(engine, profile, "x.toml", "en")
    page = render_html(doc)
    assert "<script>" not in page and "&lt;script&gt;" in page
    md = render_markdown(doc)
    # A Markdown viewer with HTML enabled would run a raw <script>: entities, and the pipe
    # and emphasis escaped, so the name reads as written and cannot break a table.
    assert "<script>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\| \\*\\*x\\*\\*" in md


def test_the_report_records_its_weight_set(examples):
    weighted = Engine(weight_set=WeightSet("cautious", {"runway": {"b_private": 20.0}}),
                      samples=64)
    doc = build_report(weighted, examples[0], "x.toml", "en")
    assert doc["weights"] == "cautious"
    assert "weight set: cautious" in render_markdown(doc)
    assert "cautious" in render_html(doc)


def test_a_robust_verdict_says_so(engine):
    doc = build_report(engine, load_profile(PROFILES / "compute-bidder.toml"), "", "en")
    assert all(t["single"] is None and t["pair"] is None for t in doc["flips"]["levers"])
    md = render_markdown(doc)
    flips = md[md.index("## What would flip it"):md.index("## Action plan")]
    assert flips.count("no change to one or two fields") == len(doc["flips"]["levers"]) * 2 or (
        "No change to one or two fields makes another play win" in flips)


def test_a_not_yet_report_leads_with_what_to_fix_first(docs):
    for lang, heading in (("en", "## Not yet — what to fix first"), ("zh", "## 暂不推进")):
        md = render_markdown(docs["professor-lab", lang])
        first = [line for line in md.splitlines() if line.startswith("## ")][0]
        assert first.startswith(heading), first
        assert "B5" in md.split("## ", 2)[1]  # the partner route, with its evidence
        page = render_html(docs["professor-lab", lang])
        assert page.index('class="lead"') < page.index("<h2>", page.index("</section>"))


def test_every_play_has_its_status_and_blockers_in_words(docs):
    for (stem, lang), doc in docs.items():
        md = render_markdown(doc)
        assert doc["as_of"] in md
        for row in doc["plays"]:
            assert row["status_label"] in md
            for b in row["blockers"]:
                assert b["name"] in md and ", ".join(b["evidence"]) in md
                assert b["id"] not in md.split("## ")[1]  # words, not ids, up front


def test_an_insufficient_report_lists_the_keys_and_recommends_nothing(engine):
    blank = load_profile(PROFILES / "professor-lab.toml").model_dump()
    blank["funding"] = {"raised": 0, "cash": 0, "monthly_burn": 0}
    profile = Profile.model_validate(blank)
    doc = build_report(engine, profile, "", "en")
    assert doc["verdict"]["verdict"] == "insufficient_data" and doc["missing"]
    md = render_markdown(doc)
    lead = md.split("## ", 2)[1]
    assert lead.startswith("Not enough information")
    assert all(f"`{k}`" in lead for k in doc["missing"])
    assert "not a recommendation" in lead
    assert "not certainty" in md


def test_contributions_add_up_as_shown(docs):
    for doc in docs.values():
        shown = [float(r["points_shown"]) for r in doc["contributions"]]
        assert round(sum(shown), 1) == float(f"{doc['verdict']['score']:.1f}")
        assert round(sum(float(r["max_shown"]) for r in doc["contributions"]), 1) == 100.0
        for r in doc["contributions"]:
            assert abs(float(r["points_shown"]) - r["points"]) <= 0.1 + 1e-9
