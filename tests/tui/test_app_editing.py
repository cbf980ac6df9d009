"""Pilot tests of the editor: typing, bad values, selects, switches, qualifications, results."""

from __future__ import annotations

from textual.widgets import Select, SelectionList, Static, Switch

from gtmcompass.tui.widgets.form import FieldGroup
from tests.tui.conftest import PROFILES, running, settle, type_into


async def test_typing_a_number_rescores_and_updates_derived_runway(medical):
    async with running(medical) as (app, pilot):
        before = app.result
        assert "16.7 months" in str(app.query_one("#d-funding").render())
        await type_into(app, pilot, "funding.monthly_burn", "100")
        assert app.result is not before
        assert app.checked.profile.funding.monthly_burn == 100.0
        assert "5.0 months" in str(app.query_one("#d-funding").render())
        assert "runway_under_six_months" in app.result.flags
        assert app.latencies, "each edit's time to results is recorded"


async def test_bad_value_shows_error_beside_field_and_keeps_last_valid_result(medical):
    async with running(medical) as (app, pilot):
        await type_into(app, pilot, "funding.cash", "250")
        valid = app.result
        cash = app.form.control("funding.cash")
        await pilot.press("home", "-")  # one keystroke from valid to invalid
        await settle(app, pilot)
        assert cash.value == "-250", "what was typed stays"
        assert cash.has_class("-bad")
        error = app.form.query_one("#ef-funding-cash", Static)
        assert "from 0 to 1,000,000,000" in str(error.render())
        assert app.result is valid, "the last valid profile is still shown"
        assert app.last_valid.funding.cash == 250.0
        assert "1 field" in str(app.panel.query_one("#verdict", Static).render())
        assert "unsaved" in app.sub_title
        # Fixing it clears the error and scores again.
        await type_into(app, pilot, "funding.cash", "300")
        assert not app.form.query("#ef-funding-cash")
        assert not cash.has_class("-bad")
        assert app.result is not valid and app.last_valid.funding.cash == 300.0


async def test_letters_cannot_enter_a_number_box_and_empty_required_box_is_flagged(medical):
    async with running(medical) as (app, pilot):
        headcount = app.form.control("team.headcount")
        headcount.focus()
        await pilot.press("end", "x", "y")
        assert headcount.value == "220"
        await type_into(app, pilot, "team.headcount", "")
        assert "required" in app.form.errors["team.headcount"]
        assert app.app.is_running


async def test_commercial_staff_above_headcount_is_an_error_of_that_field(medical):
    async with running(medical) as (app, pilot):
        await type_into(app, pilot, "team.commercial_headcount", "500")
        assert "headcount" in app.form.errors["team.commercial_headcount"]


async def test_switching_a_select_changes_the_profile_and_scores(medical):
    async with running(medical) as (app, pilot):
        before = app.result.score("c_domestic")
        vertical = app.form.control("sector.vertical")
        assert isinstance(vertical, Select)
        vertical.focus()
        await pilot.press("enter")  # open the menu
        await pilot.pause()
        for _ in range(20):  # down to the last-but-one: companionship is near the end
            await pilot.press("down")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.checked.profile.sector.vertical == vertical.value != "healthcare"
        assert app.result.score("c_domestic") != before


async def test_currency_relabels_money_fields(medical):
    async with running(medical) as (app, pilot):
        assert "M CNY" in str(app.query_one("#lf-funding-cash").render())
        app.form.control("currency").value = "USD"
        await settle(app, pilot)
        assert "M USD" in str(app.query_one("#lf-funding-cash").render())
        assert app.checked.profile.currency == "USD"


async def test_toggling_a_switch_raises_the_professor_flag(tmp_path):
    source = (PROFILES / "medical-partners.toml").read_text()
    path = tmp_path / "p.toml"
    path.write_text(source.replace("commercial_headcount = 25", "commercial_headcount = 0"))
    async with running(path) as (app, pilot):
        assert "professor_led_no_commercial" not in app.result.flags
        switch = app.form.control("team.research_led")
        assert isinstance(switch, Switch)
        switch.focus()
        await pilot.press("space")
        await settle(app, pilot)
        assert app.checked.profile.team.research_led is True
        assert "professor_led_no_commercial" in app.result.flags
        state = switch.parent.query_one(".switch-state")
        assert str(state.render()) == "yes"


async def test_toggling_qualifications(medical):
    async with running(medical) as (app, pilot):
        quals = app.form.control("compliance.qualifications")
        assert isinstance(quals, SelectionList)
        before = app.result.score("b_private")
        quals.focus()
        await pilot.press("down", "space")  # ISO 27001 on
        await settle(app, pilot)
        assert app.checked.profile.compliance.qualifications == ("mlps3", "genai_filing",
                                                                 "iso27001")
        assert app.result.score("b_private") > before
        await pilot.press("up", "space")  # MLPS 3 off
        await settle(app, pilot)
        assert app.checked.profile.compliance.qualifications == ("genai_filing", "iso27001")


async def test_selecting_a_criterion_shows_rationale_and_evidence(medical):
    async with running(medical) as (app, pilot):
        await pilot.press("f7")
        await pilot.press("down")
        await pilot.pause()
        detail = str(app.panel.query_one("#detail", Static).render())
        criterion = app.panel.selected[1]
        assert app.panel.selected[0] == "criterion"
        from gtmcompass.model.catalogue import load_catalogue
        c = load_catalogue().criterion_by_id(criterion)
        assert c.en in detail and c.evidence[0] in detail
        assert "Why it matters" in detail
        # The article is named by its titles, outlet and date, not by the file it is kept in.
        from gtmcompass.model.catalogue import load_evidence
        evidence = load_evidence()
        article = evidence.article_by_id(evidence.fact_by_id(c.evidence[0]).article)
        assert all(part in detail for part in (article.title, article.source, article.date))
        assert "seeds/" not in detail


async def test_selecting_a_flag_shows_its_evidence(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text((PROFILES / "medical-partners.toml").read_text().replace(
        "cash = 500.0", "cash = 20.0"))
    async with running(path) as (app, pilot):
        assert app.result.flags
        app.panel.query_one("#flags").focus()
        await pilot.press("home")
        await pilot.pause()
        assert app.panel.selected == ("flag", app.result.flags[0])
        detail = str(app.panel.query_one("#detail", Static).render())
        assert "A2" in detail or "A14" in detail


async def test_next_play_key_ranks_contributions_for_another_play(medical):
    async with running(medical) as (app, pilot):
        await pilot.press("f7", "p")
        await pilot.pause()
        assert app.panel.play != app.result.play
        ranked = [c.criterion for c in app.result.ranked(app.panel.play)]
        assert list(app.panel.contribution_order) == ranked


async def test_every_group_mounts_after_the_first_frame(medical):
    async with running(medical) as (app, pilot):
        assert len(app.form.query(FieldGroup)) == 8
        assert all(app.form.control(path) is not None for path in app.form.store)


async def test_at_80_columns_the_results_sit_below_the_form_and_f7_shows_them_whole(medical):
    from tests.tui.conftest import until
    from gtmcompass.tui.app import CompassApp
    from tests.tui.conftest import YEAR

    app = CompassApp(medical, as_of_year=YEAR)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.screen.has_class("-narrow")
        form, panel = app.form.region, app.panel.region
        assert panel.y >= form.bottom and panel.width == 80  # stacked, whole width
        assert panel.bottom <= 23  # above the footer: nothing to scroll to see the verdict
        await pilot.press("f7")
        await until(pilot, "the results to fill the screen",
                    lambda: app.screen.maximized is app.panel)
        await pilot.press("f7")
        await until(pilot, "the form to come back", lambda: app.screen.maximized is None)
    app = CompassApp(medical, as_of_year=YEAR)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert not app.screen.has_class("-narrow")
        assert app.panel.region.x >= app.form.region.right  # side by side
