"""Settings read from the environment, in one place, each checked when first used.

A malformed value is a usage error (exit status 2) reported on one line, never a traceback at
import time. Every setting is read lazily, so importing the package never fails.
"""

from __future__ import annotations

import math
import os

MAX_FILE_MB_ENV = "GTMCOMPASS_MAX_FILE_MB"
WEIGHTS_DIR_ENV = "GTMCOMPASS_WEIGHTS_DIR"
# 100,000 profiles of about 700 bytes each fit well below this; anything larger is not a
# profile collection but a mistake or an attack.
DEFAULT_MAX_FILE_MB = 256.0


class SettingError(Exception):
    """An environment setting that cannot be used; its message is one line."""


def max_file_bytes() -> int:
    """The largest file any command or the app reads: ``$GTMCOMPASS_MAX_FILE_MB`` megabytes."""
    text = os.environ.get(MAX_FILE_MB_ENV)
    if text is None or not text.strip():
        return int(DEFAULT_MAX_FILE_MB * 1024 * 1024)
    try:
        megabytes = float(text)
    except ValueError:
        megabytes = math.nan
    if not math.isfinite(megabytes) or megabytes <= 0:
        raise SettingError(f"{MAX_FILE_MB_ENV}: expected a positive number of megabytes, "
                           f"got {text!r}")
    return max(1, int(megabytes * 1024 * 1024))


def weights_dir_override() -> str | None:
    """``$GTMCOMPASS_WEIGHTS_DIR`` if set and not empty."""
    return os.environ.get(WEIGHTS_DIR_ENV) or None


def config_home() -> str | None:
    """``$XDG_CONFIG_HOME`` if set and not empty (the XDG default is ~/.config)."""
    return os.environ.get("XDG_CONFIG_HOME") or None
