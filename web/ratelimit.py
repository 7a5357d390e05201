"""In-memory rate limits (per process) for sign-in and other forms: sliding windows and delays."""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass, field

from aiohttp import web

MAX_KEYS = 100_000  # bound memory under a flood of distinct keys


def now() -> float:
    """A monotonic clock in seconds; one place, so tests can move time on."""
    return time.monotonic()


@dataclass
class RateLimit:
    """At most `limit` events per key within `window` seconds."""

    limit: int
    window: float
    _events: dict[str, deque[float]] = field(default_factory=dict)

    def retry_after(self, key: str) -> int:
        """Seconds until `key` may act again; 0 when it may act now."""
        events = self._recent(key)
        if len(events) < self.limit:
            return 0
        return max(1, int(events[0] + self.window - now()) + 1)

    def record(self, key: str) -> None:
        """Count one event for `key`."""
        if len(self._events) >= MAX_KEYS:
            self._forget_stale()
        self._recent(key).append(now())

    def clear(self, key: str) -> None:
        """Forget `key`'s events (after a successful sign-in, say)."""
        self._events.pop(key, None)

    def discard_one(self, key: str) -> None:
        """Take back `key`'s latest event (counted in advance, then not needed)."""
        events = self._events.get(key)
        if events:
            events.pop()

    def _recent(self, key: str) -> deque[float]:
        events = self._events.setdefault(key, deque())
        horizon = now() - self.window
        while events and events[0] <= horizon:
            events.popleft()
        return events

    def _forget_stale(self) -> None:
        horizon = now() - self.window
        for key in [key for key, events in self._events.items() if events[-1] <= horizon]:
            del self._events[key]
        if len(self._events) >= MAX_KEYS:
            self._events.clear()


@dataclass
class GrowingDelay:
    """After `free` failures of a key, each further one doubles the wait, from `first`.

    The wait never exceeds `longest`; a key quiet for `forget_after` seconds starts afresh.
    """

    free: int
    first: float
    longest: float
    forget_after: float
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)

    def retry_after(self, key: str) -> int:
        """Seconds until `key` may try again; 0 when it may try now."""
        count, last = self._current(key)
        if count < self.free:
            return 0
        delay = min(self.longest, self.first * 2 ** min(count - self.free, 40))
        left = last + delay - now()
        return 0 if left <= 0 else math.ceil(left)

    def record(self, key: str) -> None:
        """Count one failure of `key`."""
        if len(self._failures) >= MAX_KEYS:
            self._forget_stale()
        count, _ = self._current(key)
        self._failures[key] = (count + 1, now())

    def clear(self, key: str) -> None:
        """Forget `key`'s failures (after it succeeded)."""
        self._failures.pop(key, None)

    def _current(self, key: str) -> tuple[int, float]:
        count, last = self._failures.get(key, (0, 0.0))
        if count and now() - last > self.forget_after:
            del self._failures[key]
            return 0, 0.0
        return count, last

    def _forget_stale(self) -> None:
        horizon = now() - self.forget_after
        for key in [key for key, (_, last) in self._failures.items() if last <= horizon]:
            del self._failures[key]
        if len(self._failures) >= MAX_KEYS:
            self._failures.clear()


def client_address(request: web.Request) -> str:
    """The visitor's address; behind a local reverse proxy, the one it appended."""
    remote = request.remote or ""
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded and remote in ("127.0.0.1", "::1"):
        return forwarded.rsplit(",", 1)[-1].strip() or remote
    return remote


def too_many(retry_after: int, message: str) -> web.HTTPTooManyRequests:
    """A 429 that says when to try again."""
    if retry_after < 60:
        when = f"{retry_after} second{'s' if retry_after != 1 else ''}"
    else:
        minutes = round(retry_after / 60)
        when = f"{minutes} minute{'s' if minutes != 1 else ''}"
    return web.HTTPTooManyRequests(
        text=f"{message} Try again in {when}.", headers={"Retry-After": str(retry_after)}
    )
