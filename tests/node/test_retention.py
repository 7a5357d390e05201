"""Pruning the queues: old finished deliveries, unused payloads and applied inbox items go."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from node.models import (
    Actor,
    Delivery,
    DeliveryPayload,
    DeliveryState,
    InboxItem,
    InboxState,
    RateEvent,
)
from node.services import rate_limits
from node.services.delivery_queue import enqueue
from node.workers import retention
from node.workers.retention import Pruned, Retention, prune_deliveries, prune_every, prune_inbox
from tests.node.conftest import URLS

NOW = datetime.now(UTC)
DAY = timedelta(days=1)


async def queue(organisation: Actor, key: str, *hosts: str) -> None:
    """Queue activity `key` to one inbox on each host."""
    activity = {"id": URLS.activity(key), "type": "Create", "actor": organisation.uri}
    await enqueue(activity, organisation, [f"https://{host}/inbox" for host in hosts])


async def age(key: str, host: str, state: DeliveryState, days_ago: float) -> None:
    """Make activity `key`'s delivery to `host` finished (`state`) `days_ago` days ago."""
    when = NOW - days_ago * DAY
    await Delivery.filter(activity_uri=URLS.activity(key), host=host).update(
        state=state,
        delivered_at=when if state is DeliveryState.DELIVERED else None,
        created_at=when,
    )
    await DeliveryPayload.filter(activity_uri=URLS.activity(key)).update(created_at=when)


async def remaining() -> set[tuple[str, str]]:
    """(activity key, host) of every delivery left."""
    rows = await Delivery.all().values_list("activity_uri", "host")
    return {(uri.rsplit("/", 1)[1], host) for uri, host in rows}


async def test_old_finished_deliveries_go_and_everything_else_stays(organisation: Actor) -> None:
    # Given deliveries of every state and age
    await queue(organisation, "old", "done.example", "failed.example", "queued.example")
    await age("old", "done.example", DeliveryState.DELIVERED, days_ago=8)
    await age("old", "failed.example", DeliveryState.FAILED, days_ago=31)
    await age("old", "queued.example", DeliveryState.QUEUED, days_ago=40)  # still retrying
    await queue(organisation, "recent", "done.example", "failed.example")
    await age("recent", "done.example", DeliveryState.DELIVERED, days_ago=6)
    await age("recent", "failed.example", DeliveryState.FAILED, days_ago=29)
    # When the queue is pruned
    pruned = await prune_deliveries(NOW, Retention())
    # Then only the delivered row older than a week and the failed one older than a month go
    assert pruned == Pruned(delivered=1, failed=1, payloads=0)
    assert await remaining() == {
        ("old", "queued.example"),
        ("recent", "done.example"),
        ("recent", "failed.example"),
    }
    # and both payloads stay: each still has a delivery
    assert await DeliveryPayload.all().count() == 2


async def test_a_payload_goes_with_its_last_delivery(organisation: Actor) -> None:
    # Given an activity whose every delivery finished long ago, and a fresh one
    await queue(organisation, "old", "a.example", "b.example")
    await age("old", "a.example", DeliveryState.DELIVERED, days_ago=10)
    await age("old", "b.example", DeliveryState.FAILED, days_ago=40)
    await queue(organisation, "new", "a.example")
    # When the queue is pruned
    pruned = await prune_deliveries(NOW, Retention())
    # Then the old activity's payload is gone with its rows, the fresh one stays
    assert pruned == Pruned(delivered=1, failed=1, payloads=1)
    stored = await DeliveryPayload.all().values_list("activity_uri", flat=True)
    assert stored == [URLS.activity("new")]


async def test_a_payload_stored_moments_ago_is_kept_even_without_rows(
    organisation: Actor,
) -> None:
    # Given a payload with no delivery yet, as while its rows are being committed
    await DeliveryPayload.create(
        activity_uri=URLS.activity("x"), signer_uri=organisation.uri, body="{}", created_at=NOW
    )
    # When the queue is pruned, Then it stays
    assert await prune_deliveries(NOW, Retention()) == Pruned(0, 0, 0)
    assert await DeliveryPayload.all().count() == 1


async def test_more_rows_than_a_batch_are_all_pruned(
    organisation: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retention, "BATCH_ROWS", 3)
    hosts = [f"h{n}.example" for n in range(7)]
    await queue(organisation, "old", *hosts)
    for host in hosts:
        await age("old", host, DeliveryState.DELIVERED, days_ago=8)
    assert await prune_deliveries(NOW, Retention()) == Pruned(delivered=7, failed=0, payloads=1)
    assert await Delivery.all().count() == 0


async def inbox_item(key: str, state: InboxState, days_ago: float) -> None:
    """A received activity in `state`, received `days_ago` days ago."""
    await InboxItem.create(
        activity_uri=f"https://remote.example/activities/{key}",
        activity_type="Like",
        actor_uri="https://remote.example/users/x",
        signer_key_id="https://remote.example/users/x#main-key",
        payload="{}",
        state=state,
        received_at=NOW - days_ago * DAY,
    )


async def test_applied_inbox_items_go_after_a_month_pending_ones_never(
    organisation: Actor,
) -> None:
    # Given received activities of every state and age
    await inbox_item("done-old", InboxState.DONE, days_ago=31)
    await inbox_item("failed-old", InboxState.FAILED, days_ago=31)
    await inbox_item("pending-old", InboxState.PENDING, days_ago=90)  # the worker is behind
    await inbox_item("done-recent", InboxState.DONE, days_ago=29)
    # When the inbox is pruned
    deleted = await prune_inbox(NOW, Retention())
    # Then the applied and failed ones older than a month go, nothing else
    assert deleted == 2
    kept = await InboxItem.all().values_list("activity_uri", flat=True)
    assert sorted(uri.rsplit("/", 1)[1] for uri in kept) == ["done-recent", "pending-old"]


async def test_pruning_runs_at_once_and_goes_on_after_a_failure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[datetime] = []

    async def flaky_prune(now: datetime) -> None:
        calls.append(now)
        if len(calls) == 1:
            raise RuntimeError("database hiccup")

    task = asyncio.create_task(prune_every(0.01, flaky_prune, "test"))
    try:
        async with asyncio.timeout(5):
            while len(calls) < 3:
                await asyncio.sleep(0.01)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert calls == sorted(calls)
    assert [r.message for r in caplog.records] == ["retention.prune_failed"]


async def test_rate_limit_events_older_than_a_day_go_and_the_limits_still_count(
    organisation: Actor,
) -> None:
    # Given a sign-in limit's events from two days ago and from just now
    rule = rate_limits.Window(limit=2, window=900)
    old = (NOW - 2 * DAY).timestamp()
    for _ in range(3):
        await rate_limits.record("sign_in.address\n192.0.2.1", old)
    await rate_limits.record("sign_in.address\n192.0.2.1", NOW.timestamp())
    await rate_limits.record("sign_in.address\n192.0.2.1", NOW.timestamp())
    key = [("sign_in.address\n192.0.2.1", rule)]
    assert await rate_limits.retry_after(key, NOW.timestamp()) > 0
    # When the events are pruned
    assert await retention.prune_rate_events(NOW) == 3
    # Then only the recent ones are left, and they still hold the limit
    assert await RateEvent.all().count() == 2
    assert await rate_limits.retry_after(key, NOW.timestamp()) > 0
    assert await retention.prune_rate_events(NOW) == 0
