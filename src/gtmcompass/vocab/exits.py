"""Exit statuses of every ``gtmcompass`` command: an API, documented in the README.

Scripts branch on these numbers, so a value never changes meaning; new outcomes get new values.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    """Every input was read and scored (or validated)."""
    REJECTED = 1
    """At least one input was rejected; the others were still scored and printed."""
    USAGE = 2
    """Bad arguments or settings, an unreadable ``--weights`` file, an unwritable output."""
    CRASHED = 3
    """The app stopped on an internal error; its unsaved profile went to a recovery file."""
    INTERRUPTED = 130
    """Interrupted (Ctrl-C): 128 + SIGINT, as shells report it."""
