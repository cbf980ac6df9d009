"""The interactive terminal app. Importing this package costs nothing: ``run_app`` imports
Textual and the app only when called, so the batch commands never load them."""

from __future__ import annotations

import os
import traceback
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gtmcompass.tui.app import CompassApp


def run_app(path: str | os.PathLike | None = None) -> int:
    """Open the app on a new profile, on a profile FILE, or on a FOLDER's file picker."""
    from gtmcompass.tui.app import CompassApp

    app = CompassApp(path)
    try:
        result = app.run()
    except Exception:  # noqa: BLE001  raised past Textual (the driver starting): a crash too
        traceback.print_exc()
        return app.recover_after_crash()
    return exit_status(app, result)


def exit_status(app: CompassApp, result: int | None) -> int:
    """The status of a finished app. Textual ends an app on an unhandled exception with
    ``return_code`` 1 and prints the traceback; the unsaved profile is then written to a
    recovery file and the status says the app crashed, never 0."""
    if app.return_code not in (None, 0):
        return app.recover_after_crash()
    return 0 if result is None else int(result)
