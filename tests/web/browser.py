"""Headless Chromium for the web tests: Debian's /usr/bin/chromium driven by Playwright
(no browser download), and a page that records what it fetched and the screen bytes the
server sent, so a wait can look for text the app drew."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

CHROMIUM = os.environ.get("GTMCOMPASS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# --disable-background-networking and friends: without them Chromium keeps trying to reach
# Google's update and sync servers, which a closed network refuses over and over.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}


def available() -> bool:
    return os.access(CHROMIUM, os.X_OK)


class Tab:
    """A page on the server: every request it made, and every byte of screen it received."""

    def __init__(self, page) -> None:
        self.page = page
        self.requests: list[str] = []
        self.screen = bytearray()
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("websocket", self._socket)

    def _socket(self, socket) -> None:
        self.requests.append(socket.url)
        socket.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        if isinstance(payload, (bytes, bytearray)):
            self.screen += payload

    def drew(self, text: str) -> bool:
        """Whether the app has drawn ``text`` (one run of characters in its screen output)."""
        return text.encode() in self.screen

    def wait_drawn(self, text: str, timeout_ms: float = 60_000) -> None:
        """Until the app has drawn ``text``; raises naming it otherwise."""
        deadline = timeout_ms
        while not self.drew(text):
            if deadline <= 0:
                raise AssertionError(f"timed out waiting for the page to draw {text!r}")
            self.page.wait_for_timeout(50)
            deadline -= 50


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_tab(context, url: str) -> Tab:
    """A new page on ``url``, once textual-serve's page has had its first screen bytes."""
    page = context.new_page()
    tab = Tab(page)
    page.goto(url)
    try:
        page.wait_for_selector("body.-first-byte", state="attached", timeout=60_000)
    except Exception as exc:  # Playwright's TimeoutError, named for what was awaited
        raise AssertionError("timed out waiting for the page's body.-first-byte "
                             "(the first bytes of the app's screen)") from exc
    return tab
