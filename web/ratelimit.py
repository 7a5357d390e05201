"""Rate limits for sign-in and other forms: sliding windows and growing delays, counted in the
database (node/services/rate_limits.py) so every web process of a node counts the same."""

from __future__ import annotations

import time
from dataclasses import dataclass

from aiohttp import web

from node.i18n import ngettext_
from node.services import rate_limits


def now() -> float:
    """Seconds since the epoch (every process of a node shares the clock, as it shares the
    counts); one place, so tests can move time on."""
    return time.time()


@dataclass
class RateLimit:
    """At most `limit` events per key within `window` seconds, counted under `name`."""

    limit: int
    window: float
    name: str = "limit"

    def key(self, key: str) -> str:
        """The stored key: this limit's name and who or what it counts."""
        return f"{self.name}\n{key}"

    def rule(self) -> rate_limits.Window:
        """The limit as the node counts it."""
        return rate_limits.Window(self.limit, self.window)

    async def retry_after(self, key: str) -> int:
        """Seconds until `key` may act again; 0 when it may act now."""
        return await rate_limits.retry_after([(self.key(key), self.rule())], now())

    async def take(self, key: str) -> int:
        """Seconds until `key` may act again, or 0 and the event counted at once."""
        return await rate_limits.take([(self.key(key), self.rule())], [self.key(key)], now())

    async def record(self, key: str) -> None:
        """Count one event for `key`."""
        await rate_limits.record(self.key(key), now())

    async def clear(self, key: str) -> None:
        """Forget `key`'s events (after a successful sign-in, say)."""
        await rate_limits.clear(self.key(key))

    async def discard_one(self, key: str) -> None:
        """Take back `key`'s latest event (counted in advance, then not needed)."""
        await rate_limits.discard_newest(self.key(key))


@dataclass
class GrowingDelay:
    """After `free` failures of a key, each further one doubles the wait, from `first`.

    The wait never exceeds `longest`; a key quiet for `forget_after` seconds starts afresh.
    """

    free: int
    first: float
    longest: float
    forget_after: float
    name: str = "delay"

    def key(self, key: str) -> str:
        """The stored key: this delay's name and who or what it counts."""
        return f"{self.name}\n{key}"

    def rule(self) -> rate_limits.Growing:
        """The delay as the node counts it."""
        return rate_limits.Growing(self.free, self.first, self.longest, self.forget_after)

    async def retry_after(self, key: str) -> int:
        """Seconds until `key` may try again; 0 when it may try now."""
        return await rate_limits.retry_after([(self.key(key), self.rule())], now())

    async def record(self, key: str) -> None:
        """Count one failure of `key`."""
        await rate_limits.record(self.key(key), now())

    async def clear(self, key: str) -> None:
        """Forget `key`'s failures (after it succeeded)."""
        await rate_limits.clear(self.key(key))


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
        when = ngettext_(
            "Try again in %(count)d second.", "Try again in %(count)d seconds.", retry_after
        ) % {"count": retry_after}
    else:
        minutes = round(retry_after / 60)
        when = ngettext_(
            "Try again in %(count)d minute.", "Try again in %(count)d minutes.", minutes
        ) % {"count": minutes}
    return web.HTTPTooManyRequests(
        text=f"{message} {when}",
        headers={"Retry-After": str(retry_after)},
    )
