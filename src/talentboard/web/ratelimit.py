"""A small in-memory sliding-window rate limiter for sign-in attempts.

Kept per server process: with several processes each counts its own attempts, and the
per-account lock-out in the database still holds across all of them.
"""

from __future__ import annotations

import threading
import time
from collections import deque


class RateLimiter:
    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count one attempt for ``key``; False when the window already holds ``limit``."""
        at = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= at - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(at)
            if len(self._hits) > 10_000:
                self._forget_idle(at)
            return True

    def _forget_idle(self, at: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or v[-1] <= at - self.window]:
            del self._hits[key]
