"""Keep a test's counted requests inside one rate-limit window.

The limiter's sliding-window-counter strategy counts in windows aligned to the clock (a
"per minute" limit in minutes since the epoch) and weighs the previous window by the share of
it still in view. Ten attempts that straddle a window boundary therefore count a little less
than ten, and an exact "the 11th is refused" can fail by chance. Tests that count call
``start_in_one_window`` first: when less than ``needed`` seconds of the current window remain,
it waits for the next window to begin.
"""

from __future__ import annotations

import time


def start_in_one_window(needed: float = 20.0, window: float = 60.0) -> None:
    """Return at a moment with at least ``needed`` seconds left in the current window."""
    left = window - time.time() % window
    if left < needed:
        time.sleep(left + 0.05)
