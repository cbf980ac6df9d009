"""A one-line count of profiles scored, on standard error, for a batch too big to wait on in
silence: a single 50,000-profile file took about 15 s and showed nothing (the files bar of
``gtmcompass score`` counts files, and one file is one step).

The line is rewritten in place (carriage return) at most every ``MIN_INTERVAL_S`` and erased
at the end, so a terminal is left as it was and nothing of it reaches standard output.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

# Four updates a second read as live; more would only cost terminal writes (one slice of
# 2,048 profiles takes about 0.5 s, so most slices get their own update).
MIN_INTERVAL_S = 0.25


class ProfileCounter:
    """``update(n)`` with the profiles scored so far; ``close()`` erases the line."""

    def __init__(self, stream: TextIO, *, min_interval: float = MIN_INTERVAL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.min_interval = min_interval
        self.clock = clock
        self.started = clock()
        self._last: float | None = None
        self.writes = 0

    def update(self, scored: int) -> None:
        now = self.clock()
        # The first slice is shown at once (a long run says so early); later ones at most
        # every min_interval.
        if self._last is not None and now - self._last < self.min_interval:
            return
        self._last = now
        elapsed = now - self.started
        rate = f" ({scored / elapsed:,.0f}/s)" if elapsed > 0 else ""
        self.stream.write(f"\rScoring: {scored:,} profiles{rate}\x1b[K")
        self.stream.flush()
        self.writes += 1

    def close(self) -> None:
        if self.writes:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
