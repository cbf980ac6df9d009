"""Counters for the hardening suite, printed at the end of a run.

Issue 5 asks for the numbers: how many inputs were tried against the loaders, how many
saving processes were killed with the file surviving, how many key sequences went into the
app. Each test adds to ``COUNTS``; the totals appear in the terminal summary. When the suite
runs in several processes (pytest-xdist), each worker hands its counts to the controller,
which adds them up (``tests/conftest.py``).
"""

from __future__ import annotations

COUNTS = {"inputs tried": 0, "kills survived": 0, "key sequences sent": 0, "keys pressed": 0}
WORKER_KEY = "hardening counts"


def count(kind: str, n: int = 1) -> None:
    COUNTS[kind] += n


def pytest_sessionfinish(session) -> None:
    output = getattr(session.config, "workeroutput", None)  # set only inside an xdist worker
    if output is not None:
        output[WORKER_KEY] = dict(COUNTS)


def summary(counts: dict[str, int]) -> str | None:
    """The summary line, or None when no hardening test ran."""
    if not any(counts.values()):
        return None
    return "hardening: " + ", ".join(f"{k}: {v:,}" for k, v in counts.items())
