"""Settings read from the environment, in one place, each checked when first used.

A malformed value is a usage error (exit status 2) reported on one line, never a traceback at
import time. Every setting is read lazily, so importing the package never fails; ``check``
validates them all at once, which the command line does before any command or the app runs.
"""

from __future__ import annotations

import functools
import math
import os

MAX_FILE_MB_ENV = "GTMCOMPASS_MAX_FILE_MB"
WEIGHTS_DIR_ENV = "GTMCOMPASS_WEIGHTS_DIR"
# 100,000 profiles of about 700 bytes each fit well below this; anything larger is not a
# profile collection but a mistake or an attack.
DEFAULT_MAX_FILE_MB = 256.0
# The upper bound of the setting: above 16 GiB a file could never be parsed anyway (tomllib
# holds about six times the text in parsed objects, so a 16 GiB file needs about 100 GB), and
# 1e30 megabytes no longer fits the integers a read is sized by. Any positive value below one
# byte means one byte.
MAX_FILE_MB = 16 * 1024.0


class SettingError(Exception):
    """An environment setting that cannot be used; its message is one line."""


@functools.lru_cache(maxsize=8)
def _file_bytes(text: str | None) -> int:
    # Cached by the text itself: each distinct value is parsed and checked once, and a changed
    # environment (a test, a long-lived app) is still seen.
    if text is None or not text.strip():
        return int(DEFAULT_MAX_FILE_MB * 1024 * 1024)
    try:
        megabytes = float(text)
    except ValueError:
        megabytes = math.nan
    if not (math.isfinite(megabytes) and 0 < megabytes <= MAX_FILE_MB):
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise SettingError(f"{MAX_FILE_MB_ENV}: expected a number of megabytes above 0 and "
                           f"at most {MAX_FILE_MB:,.0f}, got {shown!r}")
    return max(1, int(megabytes * 1024 * 1024))


def max_file_bytes() -> int:
    """The largest file any command or the app reads: ``$GTMCOMPASS_MAX_FILE_MB`` megabytes.

    Unset or empty means the default, as for the other settings. Readers never allocate by
    this number: it only bounds how far they read.
    """
    return _file_bytes(os.environ.get(MAX_FILE_MB_ENV))


def weights_dir_override() -> str | None:
    """``$GTMCOMPASS_WEIGHTS_DIR`` if set and not empty."""
    return os.environ.get(WEIGHTS_DIR_ENV) or None


def config_home() -> str | None:
    """``$XDG_CONFIG_HOME`` if set and not empty (the XDG default is ~/.config)."""
    return os.environ.get("XDG_CONFIG_HOME") or None


def check() -> None:
    """Every setting validated now: SettingError (one line) for the first that cannot be used."""
    max_file_bytes()


CONFINE_ENV = "GTMCOMPASS_CONFINE_TO"


def confined_root() -> str | None:
    """``$GTMCOMPASS_CONFINE_TO`` if set and not empty: the only folder the app may read or
    write below. ``gtmcompass serve`` sets it for every browser session (io/confine.py)."""
    return os.environ.get(CONFINE_ENV) or None
