"""Failure reports of the interop tier: which peer, which step, what was sent, what came back.

A scenario opens a `Step` per thing it checks and records each exchange with it; an assertion
that fails raises `InteropFailure` with all of that in its message. Waiting is by polling
(`Step.until`), never by sleeping a fixed time.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")
DELIVERY_TIMEOUT = 40.0  # real servers deliver in the background, some take up to ~10 s
POLL_SECONDS = 0.25
SHOWN_CHARS = 1500


class InteropFailure(AssertionError):
    """A scenario step failed against a real peer."""


def shown(value: Any) -> str:
    """A value as it goes into a report: JSON when possible, cut to a readable length."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if not isinstance(value, str):
        try:
            value = json.dumps(value, indent=1, sort_keys=True, default=str)
        except (TypeError, ValueError):
            value = repr(value)
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + " …(cut)"


@dataclass
class Exchange:
    """One request and its answer."""

    request: str
    sent: Any
    status: Any
    answered: Any


@dataclass
class Step:
    """One step of a scenario with one peer."""

    peer: str
    name: str
    exchanges: list[Exchange] = field(default_factory=list)

    def record(self, request: str, sent: Any, status: Any, answered: Any) -> None:
        """Note an exchange so that a failure can show it."""
        self.exchanges.append(Exchange(request, sent, status, answered))

    def fail(self, why: str, last_seen: Any = None) -> InteropFailure:
        """The failure to raise: the peer, the step, why, and every exchange of the step."""
        lines = [f"[{self.peer}] step failed: {self.name}", f"  why: {why}"]
        for number, exchange in enumerate(self.exchanges, 1):
            lines.append(f"  exchange {number}: {exchange.request}")
            if exchange.sent is not None:
                lines.append("    sent: " + shown(exchange.sent).replace("\n", "\n      "))
            lines.append(f"    answered: {exchange.status}")
            if exchange.answered is not None:
                lines.append("      " + shown(exchange.answered).replace("\n", "\n      "))
        if last_seen is not None:
            lines.append("  last seen: " + shown(last_seen).replace("\n", "\n    "))
        return InteropFailure("\n".join(lines))

    def check(self, condition: bool, why: str, last_seen: Any = None) -> None:
        """Fail the step unless `condition` holds."""
        if not condition:
            raise self.fail(why, last_seen)

    async def until(
        self,
        probe: Callable[[], Awaitable[T]],
        check: Callable[[T], bool],
        what: str,
        timeout: float = DELIVERY_TIMEOUT,
    ) -> T:
        """Poll `probe` until `check` holds; fail with the last value after `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            value = await probe()
            if check(value):
                return value
            if time.monotonic() > deadline:
                raise self.fail(f"{what} did not happen within {timeout:.0f} s", value)
            await asyncio.sleep(POLL_SECONDS)
