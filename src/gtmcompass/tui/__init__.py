"""The interactive terminal app. Importing this package costs nothing: ``run_app`` imports
Textual and the app only when called, so the batch commands never load them."""

from __future__ import annotations

import os


def run_app(path: str | os.PathLike | None = None) -> int:
    """Open the app on a new profile, on a profile FILE, or on a FOLDER's file picker."""
    from gtmcompass.tui.app import CompassApp

    result = CompassApp(path).run()
    return 0 if result is None else int(result)
