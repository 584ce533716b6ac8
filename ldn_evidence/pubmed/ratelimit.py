"""A process-wide request spacer for NCBI services.

NCBI allows 3 requests a second without an API key and 10 with one, counted per IP / key,
so every client of a process must share one limiter per rate (`shared_rate_limiter`).
Requests are spaced a little more than ``1 / rate`` apart (0.358 s without a key, 0.125 s
with one): NCBI counts arrivals, which jitter by milliseconds, and answers 429 to requests
that are only just within the limit (Biopython settled on 0.37 s for the same reason).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

#: Added to ``1 / rate``: more than the arrival jitter of a request.
MARGIN = 0.025

RATE_WITHOUT_KEY = 3.0
RATE_WITH_KEY = 10.0


class RateLimiter:
    """Spaces calls to `wait()` at least ``interval`` seconds apart, across threads.

    A caller reserves the next free slot under a lock and sleeps outside it, so threads
    queue fairly and never sleep while holding the lock.
    """

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, not {rate!r}")
        self.rate = float(rate)
        self.interval = 1.0 / self.rate + MARGIN
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_slot: float | None = None

    def wait(self) -> float:
        """Block until this caller may send a request; return the seconds slept."""
        with self._lock:
            now = self._clock()
            slot = now if self._next_slot is None else max(now, self._next_slot)
            self._next_slot = slot + self.interval
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
        return max(delay, 0.0)

    # `acquire` reads better at some call sites; same operation.
    acquire = wait

    def __repr__(self) -> str:
        return f"RateLimiter(rate={self.rate:g}, interval={self.interval:.3f}s)"


_shared: dict[float, RateLimiter] = {}
_shared_lock = threading.Lock()


def shared_rate_limiter(rate: float) -> RateLimiter:
    """The process-wide limiter for ``rate`` requests a second (created on first use)."""
    key = float(rate)
    with _shared_lock:
        limiter = _shared.get(key)
        if limiter is None:
            limiter = _shared[key] = RateLimiter(key)
        return limiter


def default_rate(api_key: str | None) -> float:
    """NCBI's allowance: 10 requests a second with an API key, 3 without."""
    return RATE_WITH_KEY if api_key else RATE_WITHOUT_KEY
