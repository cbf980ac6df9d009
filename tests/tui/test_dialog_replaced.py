"""A dialog action replaced by another while its work runs in a thread: the app keeps going.

F5 builds the report in a thread, then asks where to write it. Pressing another dialog key
before the report is ready replaces the F5 action (dialog actions share one exclusive worker
group). That once ended the app: the cancellation reached the awaited report worker and came
back as an exception. The report here waits on an event the test sets, so the order of events
is fixed and the test does not depend on timing.
"""

from __future__ import annotations

import threading

from textual.worker import WorkerState

import gtmcompass.render.report as report
from gtmcompass.tui.screens.dialogs import PathPrompt
from gtmcompass.tui.screens.picker import FilePicker
from tests.tui.conftest import running, until


async def test_report_replaced_by_open_while_it_is_built(medical, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    started, release = threading.Event(), threading.Event()
    real = report.report_text

    def slow_report_text(*args, **kwargs):
        started.set()
        if not release.wait(timeout=60):
            raise AssertionError("the test never released the report")
        return real(*args, **kwargs)

    monkeypatch.setattr(report, "report_text", slow_report_text)
    async with running(medical) as (app, pilot):
        await pilot.press("f5")
        await until(pilot, "the report to start building", started.is_set)
        await pilot.press("ctrl+o")
        await until(pilot, "the Open dialog", lambda: isinstance(app.screen, FilePicker))
        release.set()
        await pilot.pause(0.3)
        # The replaced report never asks for a path, the Open dialog stays, the app runs.
        assert isinstance(app.screen, FilePicker)
        assert not any(isinstance(s, PathPrompt) for s in app.screen_stack)
        assert app.is_running
        assert not [w for w in app.workers if w.state == WorkerState.ERROR]
        await pilot.press("escape")
        await until(pilot, "the Open dialog to close", lambda: not isinstance(app.screen,
                                                                              FilePicker))
        # F5 still works afterwards.
        await pilot.press("f5")
        await until(pilot, "the report's path prompt", lambda: isinstance(app.screen, PathPrompt))
