"""F8 on profiles at the ends of the ranges shows a decision (once: empty panels forever)."""

from __future__ import annotations

import tomli_w
import pytest

from gtmcompass.io.files import load_profile
from gtmcompass.model.profile import to_document
from gtmcompass.tui.screens.decide import FlipList, PlanList
from gtmcompass.vocab.schema import MONEY_MAX, PEOPLE_MAX
from tests.tui.conftest import PROFILES, running
from tests.tui.test_decide_screen import open_decide


@pytest.mark.parametrize("changes", [
    {("funding", "monthly_burn"): 5e-324},
    {("funding", "monthly_burn"): MONEY_MAX, ("funding", "cash"): 0.0},
    {("team", "headcount"): PEOPLE_MAX, ("team", "commercial_headcount"): 0},
], ids=["tiny-burn", "huge-burn-no-cash", "largest-team"])
async def test_decide_view_fills_at_the_extremes(tmp_path, changes):
    doc = to_document(load_profile(PROFILES / "medical-partners.toml"))
    for (section, key), value in changes.items():
        doc[section][key] = value
    path = tmp_path / "edge.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    async with running(path) as (app, pilot):
        screen = await open_decide(app, pilot)
        assert screen.query_one(PlanList).option_count > 0
        assert screen.query_one(FlipList).option_count > 0
