"""``gtmcompass serve`` in a real browser: headless Chromium types into the app, saves,
opens a second tab, and opens and closes tabs until any leaked process would show.

Skips when Chromium or Playwright is missing; ``.ci/run`` installs both."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.web import browser
from tests.web.conftest import ROOT, serving, wait_for

pytest.importorskip("textual_serve")
pytest.importorskip("playwright")
pytestmark = pytest.mark.skipif(not browser.available(),
                                reason=f"no Chromium at {browser.CHROMIUM}")

CYCLES = 20
SCREENSHOT = ROOT / "docs" / "serve.png"
# Set to refresh the README's picture of the page from this test's run.
SCREENSHOT_ENV = "GTMCOMPASS_UPDATE_SCREENSHOT"


def only_local(tab: browser.Tab, url: str) -> list[str]:
    """Every request the page made that did not go to the server at ``url``."""
    local = (url, url.replace("http://", "ws://", 1))
    return [seen for seen in tab.requests if not seen.startswith(local)]


def test_typing_in_the_browser_saves_to_the_profiles_folder(folder, tmp_path):
    target = folder / "medical-partners.toml"
    with serving("--dir", str(folder), str(target)) as served, browser.chromium() as chromium:
        context = chromium.new_context(viewport=browser.VIEWPORT)
        tab = browser.open_tab(context, served.url)
        # The form is drawn from the file, and the verdict once the core has scored it.
        tab.wait_drawn("Medical Partner Models")
        tab.wait_drawn("Go To-B")
        page = tab.page
        # Keys go to the terminal's input box, as a user's typing does; the name box has focus.
        page.focus(".xterm-helper-textarea")
        page.keyboard.press("End")
        page.keyboard.type(" Web")
        tab.wait_drawn("Medical Partner Models Web")
        page.keyboard.press("Control+s")
        wait_for("the profile saved from the browser",
                 lambda: 'name = "Medical Partner Models Web"' in target.read_text())
        tab.wait_drawn("Saved")
        # In Chinese for the picture: the page's fonts draw CJK text in the terminal's grid.
        page.keyboard.press("F4")
        tab.wait_drawn("公司")
        tab.wait_drawn("建议")
        shot = tmp_path / "serve.png"
        page.screenshot(path=str(shot))
        if os.environ.get(SCREENSHOT_ENV):
            SCREENSHOT.parent.mkdir(exist_ok=True)
            shutil.copy(shot, SCREENSHOT)
        assert shot.stat().st_size > 0
        assert only_local(tab, served.url) == []
        assert any(seen.endswith(".ttf") for seen in tab.requests)  # the font came from us
        context.close()


def test_each_tab_is_its_own_app_process_and_closing_it_ends_that(folder):
    with serving("--dir", str(folder)) as served, browser.chromium() as chromium:
        context = chromium.new_context(viewport=browser.VIEWPORT)
        first = browser.open_tab(context, served.url)
        one = wait_for("the first tab's app process", served.sessions)
        second = browser.open_tab(context, served.url)
        wait_for("a second app process for the second tab",
                 lambda: len(served.sessions()) == 2)
        assert set(one) < set(served.sessions())
        # Each tab draws its own app's screen.
        first.wait_drawn("Company")
        second.wait_drawn("Company")
        second.page.close()
        wait_for("the second tab's process to end after its tab closed",
                 lambda: served.sessions() == one)
        first.page.close()
        wait_for("no app process once every tab is closed", lambda: served.sessions() == [])
        context.close()


def test_opening_and_closing_tabs_leaks_no_process(folder):
    with serving("--dir", str(folder)) as served, browser.chromium() as chromium:
        context = chromium.new_context(viewport=browser.VIEWPORT)
        for cycle in range(CYCLES):
            tab = browser.open_tab(context, served.url)
            wait_for(f"tab {cycle + 1}'s app process", lambda: len(served.sessions()) == 1)
            tab.page.close()
            wait_for(f"tab {cycle + 1}'s app process to end after its tab closed",
                     lambda: served.sessions() == [])
        context.close()
