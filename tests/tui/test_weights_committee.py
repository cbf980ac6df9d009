"""The Weights screen's committee (ctrl+g): several saved sets combined, consensus shown,
each result saying how many partners' own weights pick its play."""

from __future__ import annotations

import numpy as np
import pytest
from textual.widgets import Static

from gtmcompass.decide.committee import combine
from gtmcompass.io.weights import load_named_weights, parse_weights, save_named_weights
from gtmcompass.tui.screens.weights import PartnersPrompt, WeightsScreen
from tests.tui.conftest import running, settle
from tests.tui.test_weights_screen import open_weights, rescored, wait_for


@pytest.mark.asyncio
async def test_a_committee_of_saved_sets_combines_and_reports_consensus(medical, tmp_path,
                                                                        monkeypatch):
    folder = tmp_path / "weights"
    monkeypatch.setenv("GTMCOMPASS_WEIGHTS_DIR", str(folder))
    save_named_weights(parse_weights(
        {"name": "alice", "judgements": {"procurement": {"funding": 9, "overseas": 9}}},
        "alice.toml"), folder)
    save_named_weights(parse_weights(
        {"name": "bob", "judgements": {"funding": {"procurement": 5}}}, "bob.toml"), folder)
    expected = combine([load_named_weights("alice", folder), load_named_weights("bob", folder)])
    async with running(medical) as (app, pilot):
        screen = await open_weights(app, pilot)
        await pilot.press("ctrl+g")
        prompt = await wait_for(app, pilot, PartnersPrompt)
        await pilot.press("enter")  # nothing marked yet: the dialog stays
        await pilot.pause(0.05)
        assert app.screen is prompt
        await pilot.press("space", "down", "space", "enter")
        await wait_for(app, pilot, WeightsScreen)
        await rescored(app, pilot)
        engine = app.scorer.engine
        assert engine.weights_name == "alice+bob"
        assert np.allclose(engine.signed, expected.weight_set.matrix(engine.catalogue))
        assert engine.committee is not None and engine.committee.partners == ("alice", "bob")
        line = str(screen.query_one("#weights-current", Static).render())
        assert f"{expected.consensus:.2f}" in line and "AIJ" in line
        assert app.result.committee is not None and app.result.committee["of"] == 2
        # Editing a weight by hand leaves the committee: the partners no longer describe it.
        assert screen.set_weight("runway", "b_private", "20")
        await settle(app, pilot)
        assert app.scorer.engine.committee is None
