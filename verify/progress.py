"""A progress line on stderr for long measurements: done/total and elapsed time.

On a terminal the line is redrawn in place; into a file or pipe a line is
written at most every ``LOG_INTERVAL`` seconds, and once at the end, so logs
stay short.
"""

from __future__ import annotations

import sys
import time

LOG_INTERVAL = 10.0  # seconds between lines when stderr is not a terminal


class Progress:
    """Counts the finished points of one batch of work and reports them."""

    def __init__(self, label: str, total: int, *, reused: int = 0, enabled: bool = True):
        self.label, self.total, self.reused, self.failed = label, total, reused, 0
        self.done = reused  # points found in the store count as done
        self.enabled = enabled and total > 0
        self._start = self._last_shown = time.monotonic()
        self._redraw = sys.stderr.isatty()

    def advance(self, failed: bool = False) -> None:
        """One more point finished (``failed``: it raised instead of measuring)."""
        self.done += 1
        self.failed += failed
        now = time.monotonic()
        if self._redraw or now - self._last_shown >= LOG_INTERVAL:
            self._show(now)

    def finish(self) -> None:
        """The final line."""
        self._show(time.monotonic(), final=True)

    def _show(self, now: float, final: bool = False) -> None:
        if not self.enabled:
            return
        self._last_shown = now
        text = (f"{self.label}: {self.done}/{self.total} points"
                + (f" ({self.reused} from the store)" if self.reused else "")
                + (f", {self.failed} failed" if self.failed else "")
                + f", {now - self._start:.1f} s")
        if self._redraw:  # back to the line's start, then erase what the last one left
            sys.stderr.write("\r" + text + "\033[K" + ("\n" if final else ""))
        else:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()
