"""Counters for the hardening suite, printed at the end of a run.

Issue 5 asks for the numbers: how many inputs were tried against the loaders, how many
saving processes were killed with the file surviving, how many key sequences went into the
app. Each test adds to ``COUNTS``; the totals appear in the terminal summary.
"""

from __future__ import annotations

COUNTS = {"inputs tried": 0, "kills survived": 0, "key sequences sent": 0, "keys pressed": 0}


def count(kind: str, n: int = 1) -> None:
    COUNTS[kind] += n


def pytest_terminal_summary(terminalreporter) -> None:
    if any(COUNTS.values()):
        totals = ", ".join(f"{k}: {v:,}" for k, v in COUNTS.items())
        terminalreporter.write_line(f"hardening: {totals}")
