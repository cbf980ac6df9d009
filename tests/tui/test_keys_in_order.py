"""Keys typed in a burst land in the box that had focus when they were typed, in order.

The events go straight into the app's message queue, the way a terminal delivers a burst,
with no wait between them (``pilot.press`` waits for each key to be handled, which hides
the reordering). The model below says what the boxes must hold afterwards.
"""

from __future__ import annotations

import asyncio
import os
import random
import shlex
import shutil
import subprocess
import sys
import time
import tomllib

import pytest
from textual import events
from textual.widgets import Input

from tests.tui.conftest import running, settle

FIELDS = ("funding.raised", "funding.cash", "funding.monthly_burn")


def _key(name: str) -> events.Key:
    return events.Key(name, name if len(name) == 1 else None)


def _edit(value: str, keys: list[str]) -> str:
    """What one box holds after ``keys``, its cursor at the end: the editing model."""
    text, cursor = value, len(value)
    for key in keys:
        if key == "end":
            cursor = len(text)
        elif key == "home":
            cursor = 0
        elif key == "left":
            cursor = max(cursor - 1, 0)
        elif key == "backspace":
            if cursor:
                text, cursor = text[:cursor - 1] + text[cursor:], cursor - 1
        else:
            text, cursor = text[:cursor] + key + text[cursor:], cursor + 1
    return text


def _burst(rng: random.Random, count: int) -> list[list[str]]:
    """For each of ``count`` boxes: move to the end, delete some, type digits, move around."""
    out = []
    for _ in range(count):
        keys = ["end"] + ["backspace"] * rng.randint(0, 6)
        for _ in range(rng.randint(1, 6)):
            keys.append(rng.choice(["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "0",
                                    "left", "backspace", "home", "end"]))
        keys.append(str(rng.randint(1, 9)))  # never an empty box: the save must be allowed
        out.append(keys)
    return out


async def _wait_for(pilot, what: str, done) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20.0
    while not done():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.01)


@pytest.mark.parametrize("seed", range(6))
async def test_a_burst_across_three_boxes_is_kept_and_saved_as_typed(medical, seed):
    rng = random.Random(seed)
    async with running(medical) as (app, pilot):
        boxes = [app.form.control(path) for path in FIELDS]
        assert all(isinstance(box, Input) for box in boxes)
        chain = app.screen.focus_chain
        # The three money boxes follow one another in the focus order, so Tab goes to the next.
        assert [chain.index(b) for b in boxes] == list(range(chain.index(boxes[0]),
                                                             chain.index(boxes[0]) + 3))
        boxes[0].focus()
        await pilot.pause()
        before = [box.value for box in boxes]
        plan = _burst(rng, len(boxes))
        keys = [k for i, box_keys in enumerate(plan) for k in (box_keys + ["tab"] * (i < 2))]
        for key in keys:
            app.post_message(_key(key))
        expected = [_edit(value, box_keys) for value, box_keys in zip(before, plan)]
        await _wait_for(pilot, f"the boxes to hold {expected}",
                        lambda: [box.value for box in boxes] == expected)
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await _wait_for(pilot, "the save", lambda: [
            tomllib.loads(medical.read_text("utf-8"))["funding"][p.split(".")[1]]
            for p in FIELDS] == [float(v) for v in expected])
        assert tomllib.loads(medical.read_text("utf-8"))["name"] == "Medical Partner Models"


async def test_a_burst_of_deletions_and_digits_in_one_box_applies_in_order(medical):
    async with running(medical) as (app, pilot):
        box = app.form.control("funding.raised")
        box.focus()
        await pilot.pause()
        start = box.value
        keys = ["end", *["backspace"] * len(start), "4", "0", "0", "left", "left", "9"]
        for key in keys:
            app.post_message(_key(key))
        await _wait_for(pilot, "the box to read 4900", lambda: box.value == "4900")
        assert _edit(start, keys) == "4900"


def _tmux(socket: str, *args: str) -> str:
    return subprocess.run(["tmux", "-L", socket, *args], check=True, capture_output=True,
                          text=True).stdout


def _poll(what: str, done, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_a_burst_sent_through_a_real_terminal_is_saved_as_typed(medical):
    """One ``tmux send-keys`` call: the keys reach the app as fast as a terminal sends them."""
    socket = f"gtm-keys-{os.getpid()}"
    command = f"{shlex.quote(sys.executable)} -m gtmcompass {shlex.quote(str(medical))}"
    _tmux(socket, "new-session", "-d", "-s", "t", "-x", "120", "-y", "40", command)
    try:
        _poll("the app's first result", lambda: "Confidence" in _tmux(
            socket, "capture-pane", "-p", "-t", "t"))
        _poll("the name box to have focus", lambda: "Medical Partner Models" in _tmux(
            socket, "capture-pane", "-p", "-t", "t"))
        # Name -> Currency -> As of -> Raised, then the burst across three boxes.
        _tmux(socket, "send-keys", "-t", "t", "Tab", "Tab", "Tab",
              "End", *["BSpace"] * 4, "4", "0", "0", "Tab",
              "End", *["BSpace"] * 3, "9", "0", "Tab",
              "End", *["BSpace"] * 2, "7")
        _poll("the boxes to show the typed values", lambda: all(
            row in _tmux(socket, "capture-pane", "-p", "-t", "t")
            for row in ("Raised (M CNY)         400 ", "Cash on hand (M CNY)   90 ",
                        "Monthly burn (M CNY)   7 ")))
        _tmux(socket, "send-keys", "-t", "t", "C-s")
        _poll("the save", lambda: tomllib.loads(medical.read_text("utf-8"))["funding"] == {
            "raised": 400.0, "cash": 90.0, "monthly_burn": 7.0})
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
