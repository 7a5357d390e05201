"""The inbox worker gives way to accepting: it waits while activities keep arriving, unless
the item in hand has waited too long, and it stops waiting when the worker stops."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from node.workers.inbox import GiveWay

NEVER = lambda: False  # noqa: E731 - a stopping() that says no


@pytest.fixture
async def arrivals() -> AsyncIterator[tuple[GiveWay, asyncio.Event]]:
    """A GiveWay that hears of an arrival every 20 ms until the event is set. Its busy window
    is a whole second, so a loaded machine that wakes the arrivals late still reads busy."""
    give_way = GiveWay(busy_window=1.0, max_lag=10.0)
    enough = asyncio.Event()

    async def arrive() -> None:
        while not enough.is_set():
            give_way.arrived()
            await asyncio.sleep(0.02)

    task = asyncio.create_task(arrive())
    await asyncio.sleep(0)
    yield give_way, enough
    enough.set()
    await task


async def test_an_idle_inbox_lets_applying_go_on_at_once() -> None:
    give_way = GiveWay()
    started = time.monotonic()
    assert await give_way.wait_turn(datetime.now(UTC), NEVER) is False
    assert time.monotonic() - started < 0.05


async def test_applying_waits_until_the_arrivals_stop(
    arrivals: tuple[GiveWay, asyncio.Event],
) -> None:
    give_way, enough = arrivals
    asyncio.get_running_loop().call_later(0.4, enough.set)
    started = time.monotonic()
    assert await give_way.wait_turn(datetime.now(UTC), NEVER) is False
    assert time.monotonic() - started >= 0.4


async def test_an_item_that_waited_too_long_goes_on_during_a_flood(
    arrivals: tuple[GiveWay, asyncio.Event],
) -> None:
    give_way, _ = arrivals
    give_way.max_lag = 0.3
    started = time.monotonic()
    assert await give_way.wait_turn(datetime.now(UTC), NEVER) is True
    assert 0.25 <= time.monotonic() - started < 5
    # and an item that arrived long ago goes on at once
    long_ago = datetime.now(UTC) - timedelta(seconds=1)
    assert await give_way.wait_turn(long_ago, NEVER) is True
    assert give_way.busy()


async def test_a_stopping_worker_does_not_wait(arrivals: tuple[GiveWay, asyncio.Event]) -> None:
    give_way, _ = arrivals
    started = time.monotonic()

    def stopping() -> bool:
        return time.monotonic() - started > 0.2

    assert await give_way.wait_turn(datetime.now(UTC), stopping) is False
    assert 0.2 <= time.monotonic() - started < 5
    assert give_way.busy()
