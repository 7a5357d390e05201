"""In-memory sliding-window rate limits (per process) for sign-in and other forms."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

from aiohttp import web

MAX_KEYS = 100_000  # bound memory under a flood of distinct keys


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
        return max(1, int(events[0] + self.window - time.monotonic()) + 1)

    def record(self, key: str) -> None:
        """Count one event for `key`."""
        if len(self._events) >= MAX_KEYS:
            self._forget_stale()
        self._recent(key).append(time.monotonic())

    def clear(self, key: str) -> None:
        """Forget `key`'s events (after a successful sign-in, say)."""
        self._events.pop(key, None)

    def _recent(self, key: str) -> deque[float]:
        events = self._events.setdefault(key, deque())
        horizon = time.monotonic() - self.window
        while events and events[0] <= horizon:
            events.popleft()
        return events

    def _forget_stale(self) -> None:
        horizon = time.monotonic() - self.window
        for key in [key for key, events in self._events.items() if events[-1] <= horizon]:
            del self._events[key]
        if len(self._events) >= MAX_KEYS:
            self._events.clear()


def client_address(request: web.Request) -> str:
    """The visitor's address; behind a local reverse proxy, the one it appended."""
    remote = request.remote or ""
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded and remote in ("127.0.0.1", "::1"):
        return forwarded.rsplit(",", 1)[-1].strip() or remote
    return remote


def too_many(retry_after: int, message: str) -> web.HTTPTooManyRequests:
    """A 429 that says when to try again."""
    minutes = max(1, round(retry_after / 60))
    return web.HTTPTooManyRequests(
        text=f"{message} Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
        headers={"Retry-After": str(retry_after)},
    )
