"""The delivery worker over real HTTP: a signed POST per inbox, retries, breakers, leases."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from federation.client import FederationClient
from federation.delivery import BreakerPolicy, ContextSigner
from node.config import Config, ConfigError, FederationConfig
from node.db import close_database, open_database
from node.models import (
    AccessRole,
    Actor,
    ActorType,
    Delivery,
    DeliveryPayload,
    DeliveryState,
    Follow,
    FollowState,
    Host,
)
from node.services.actors import create_local_actor
from node.services.delivery_queue import (
    DeliveryWakeup,
    enqueue,
    follower_inboxes,
    outbox_transaction,
)
from node.services.keyring import KeyRing
from node.services.members import add_member
from node.services.moderation import BlockTarget, add_block
from node.urls import NodeUrls
from node.workers.delivery import (
    SENDS_PER_HOST,
    DeliverySettings,
    DeliveryWorker,
    SignerKeys,
    UnknownSigner,
)
from node.workers.host_slots import HostSlots
from tests.support.inboxes import RecordingInbox, Reply, StaticKeys, wait_until
from tests.support.processes import free_port

URLS = NodeUrls("http://127.0.0.1:8000")
FAST = DeliverySettings(
    concurrency=4,
    retry_base=timedelta(milliseconds=50),
    lease=timedelta(seconds=10),
    poll_interval=30.0,  # far longer than any test: only wake-ups and due times drive work
    breaker=BreakerPolicy(failure_threshold=100, cool_down=timedelta(seconds=60)),
)


@dataclass
class Harness:
    """A database with the organisation, a remote server, and workers to start."""

    organisation: Actor
    remote: RecordingInbox
    wakeup: DeliveryWakeup = field(default_factory=DeliveryWakeup)
    workers: list[asyncio.Task[None]] = field(default_factory=list)
    clients: list[FederationClient] = field(default_factory=list)
    serial: int = 0

    def start_worker(self, settings: DeliverySettings = FAST) -> asyncio.Task[None]:
        """Run one more worker with its own client, sharing the wake-up."""
        signer = ContextSigner()
        client = FederationClient(user_agent="test", allow_private_addresses=True, signer=signer)
        keys = SignerKeys(KeyRing())
        worker = DeliveryWorker(client, signer, keys, self.wakeup, settings, rng=random.Random(1))
        task = asyncio.create_task(worker.run())
        self.workers.append(task)
        self.clients.append(client)
        return task

    async def publish(self, *inboxes: str) -> str:
        """Queue a new activity to `inboxes` (URLs or paths on the remote) and commit."""
        self.serial += 1
        activity = {
            "id": URLS.activity(str(self.serial)),
            "type": "Create",
            "actor": self.organisation.uri,
            "object": {"id": URLS.object(str(self.serial)), "type": "Note", "content": "hi"},
        }
        targets = [i if i.startswith("http") else self.remote.url(i) for i in inboxes]
        async with outbox_transaction(self.wakeup) as connection:
            await enqueue(activity, self.organisation, targets, connection=connection)
        return str(activity["id"])

    async def stop(self) -> None:
        """Cancel the workers and close their clients."""
        for task in self.workers:
            task.cancel()
        for task in self.workers:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for client in self.clients:
            await client.close()


@pytest.fixture
async def harness(database_url: str) -> AsyncIterator[Harness]:
    """The organisation in a fresh database and a remote server that knows its key."""
    await open_database(database_url)
    organisation = await create_local_actor(URLS, "testorg", ActorType.GROUP, "Test Org")
    keys = StaticKeys()
    keys.add(organisation.key_id, organisation.uri, organisation.public_key_pem)
    remote = await RecordingInbox(keys).start()
    subject = Harness(organisation, remote)
    try:
        yield subject
    finally:
        await subject.stop()
        await remote.stop()
        await close_database()


async def eventually(check: Callable[[], Any], timeout: float = 10.0) -> None:
    """Poll an async or plain check until it is truthy, failing after `timeout` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"still false after {timeout} s: {check}")
        await asyncio.sleep(0.02)


async def row_for(activity_id: str) -> Delivery:
    """The one delivery of an activity."""
    return await Delivery.get(activity_uri=activity_id)


async def test_a_new_activity_arrives_within_two_seconds_signed(harness: Harness) -> None:
    # Given an idle worker that would not poll for 30 s
    harness.start_worker()
    await asyncio.sleep(0)
    # When an activity is queued and the worker woken
    started = asyncio.get_running_loop().time()
    activity_id = await harness.publish("/inbox")
    # Then it arrives within 2 s, signed with the organisation's key
    assert await wait_until(lambda: bool(harness.remote.delivered()), timeout=2.0)
    assert asyncio.get_running_loop().time() - started < 2.0
    assert harness.remote.bad_signatures == []
    assert [a.key_id for a in harness.remote.arrivals] == [harness.organisation.key_id]
    assert harness.remote.delivered() == {("/inbox", activity_id): 1}
    await eventually(lambda: _state_is(activity_id, DeliveryState.DELIVERED))
    row = await row_for(activity_id)
    assert row.attempts == 1 and row.last_status == 202 and row.delivered_at is not None
    assert row.locked_until is None


async def test_503_twice_then_202_is_retried_and_delivered_once(harness: Harness) -> None:
    harness.remote.script("/inbox", Reply(503), Reply(503))
    harness.start_worker()
    activity_id = await harness.publish("/inbox")
    await eventually(lambda: _state_is(activity_id, DeliveryState.DELIVERED))
    assert [a.status for a in harness.remote.arrivals] == [503, 503, 202]
    assert harness.remote.delivered() == {("/inbox", activity_id): 1}
    row = await row_for(activity_id)
    assert row.attempts == 3 and row.last_status == 202 and row.last_error == ""
    # the host's two failures were recorded, and the answer cleared them
    host = await Host.get(domain=row.host)
    assert host.consecutive_failures == 0 and host.first_failure_at is None
    assert host.open_until is None and not host.unavailable
    assert host.last_success_at is not None and host.last_success_at >= row.created_at


async def test_a_starting_worker_prunes_deliveries_finished_long_ago(harness: Harness) -> None:
    # Given a delivery that finished eight days ago, and one still queued
    old = await harness.publish("/old")
    long_ago = datetime.now(UTC) - timedelta(days=8)
    await Delivery.filter(activity_uri=old).update(
        state=DeliveryState.DELIVERED, delivered_at=long_ago
    )
    await DeliveryPayload.filter(activity_uri=old).update(created_at=long_ago)
    new = await harness.publish("/inbox")
    # When a worker starts
    harness.start_worker()
    # Then the old row and its payload are gone, and the queued one is delivered
    await eventually(lambda: _state_is(new, DeliveryState.DELIVERED))
    assert await Delivery.filter(activity_uri=old).count() == 0
    assert await DeliveryPayload.filter(activity_uri=old).count() == 0
    assert harness.remote.delivered() == {("/inbox", new): 1}


async def test_410_fails_at_once_without_retry(harness: Harness) -> None:
    harness.remote.script("/gone", Reply(410))
    harness.start_worker()
    activity_id = await harness.publish("/gone")
    await eventually(lambda: _state_is(activity_id, DeliveryState.FAILED))
    row = await row_for(activity_id)
    assert row.attempts == 1 and row.last_status == 410 and "HTTP 410" in row.last_error
    assert len(harness.remote.posts) == 1
    host = await Host.get_or_none(domain=row.host)
    assert host is None or host.consecutive_failures == 0  # a 410 is an answer, not an outage


async def test_a_hostile_error_body_is_stored_safely(harness: Harness) -> None:
    harness.remote.script("/inbox", Reply(400, body="no\x00pe " + "x" * 5000))
    harness.start_worker()
    activity_id = await harness.publish("/inbox")
    await eventually(lambda: _state_is(activity_id, DeliveryState.FAILED))
    row = await row_for(activity_id)
    assert row.last_error.startswith("HTTP 400: nope ") and len(row.last_error) <= 500


async def test_retry_after_is_honoured(harness: Harness) -> None:
    harness.remote.script("/inbox", Reply(503, {"Retry-After": "1"}))
    harness.start_worker()
    activity_id = await harness.publish("/inbox")
    await eventually(lambda: _state_is(activity_id, DeliveryState.DELIVERED))
    first, second = harness.remote.arrivals
    assert first.status == 503 and second.status == 202
    # the backoff alone would have retried after ~50 ms
    assert second.at - first.at >= 0.95


async def test_a_refused_connection_is_retried_until_the_server_is_up(harness: Harness) -> None:
    port = free_port()
    inbox = f"http://127.0.0.1:{port}/inbox"
    harness.start_worker()
    activity_id = await harness.publish(inbox)
    await eventually(lambda: _attempts_at_least(activity_id, 2))
    row = await row_for(activity_id)
    assert row.state is DeliveryState.QUEUED and row.last_status is None
    assert "NetworkError" in row.last_error
    late = await RecordingInbox(harness.remote.keys, port=port).start()
    try:
        await eventually(lambda: _state_is(activity_id, DeliveryState.DELIVERED))
        assert late.delivered() == {("/inbox", activity_id): 1}
    finally:
        await late.stop()


async def test_followers_on_one_host_share_one_post(harness: Harness) -> None:
    # Given two followers on one host with a shared inbox, and one there without
    base = harness.remote.url("")
    for handle, shared in (("a", True), ("b", True), ("c", False)):
        follower = await Actor.create(
            uri=f"{base}/users/{handle}",
            type=ActorType.PERSON,
            handle=handle,
            domain=harness.remote.url("").split("//")[1],
            inbox_uri=f"{base}/users/{handle}/inbox",
            shared_inbox_uri=f"{base}/inbox" if shared else "",
        )
        await Follow.create(
            uri=f"{follower.uri}#f",
            follower=follower,
            followee=harness.organisation,
            state=FollowState.ACCEPTED,
        )
    harness.start_worker()
    # When the organisation posts to its followers
    activity_id = await harness.publish(*await follower_inboxes(harness.organisation))
    # Then the shared inbox gets one POST and the third follower's inbox another
    expected = {("/inbox", activity_id): 1, ("/users/c/inbox", activity_id): 1}
    await eventually(lambda: harness.remote.delivered() == expected)
    assert len(harness.remote.posts) == 2


async def test_host_slots_admit_two_per_host_and_forget_idle_hosts() -> None:
    slots = HostSlots(2)
    inside: dict[str, int] = {"a": 0, "b": 0}
    most: dict[str, int] = {"a": 0, "b": 0}

    async def send(host: str) -> None:
        async with slots.turn(host):
            inside[host] += 1
            most[host] = max(most[host], inside[host])
            await asyncio.sleep(0.01)
            inside[host] -= 1

    await asyncio.gather(*(send(host) for host in ("a", "b") * 5))
    assert most == {"a": 2, "b": 2}
    assert slots.busy_hosts() == 0


async def test_many_inboxes_on_one_host_take_turns_on_kept_alive_connections(
    harness: Harness,
) -> None:
    # Given twelve personal inboxes on one host, each answering after a short while
    paths = [f"/users/{number}/inbox" for number in range(12)]
    for path in paths:
        harness.remote.script(path, Reply(202, delay=0.05))
    harness.start_worker(replace(FAST, concurrency=8))
    # When one activity goes to all of them
    activity_id = await harness.publish(*paths)
    # Then each gets it once, never more than two at a time, over at most two connections
    await eventually(lambda: len(harness.remote.delivered()) == 12)
    assert harness.remote.delivered() == {(path, activity_id): 1 for path in paths}
    assert harness.remote.most_at_once == SENDS_PER_HOST == 2
    assert len(set(harness.remote.client_ports)) <= SENDS_PER_HOST


async def test_the_breaker_stops_sending_to_a_failing_host(harness: Harness) -> None:
    breaker = BreakerPolicy(failure_threshold=3, cool_down=timedelta(seconds=60))
    harness.remote.script("/inbox", *[Reply(503)] * 20)
    harness.start_worker(replace(FAST, concurrency=1, breaker=breaker))
    ids = [await harness.publish("/inbox") for _ in range(10)]
    host = harness.remote.url("").split("//")[1]
    await eventually(lambda: _host_held(host))
    # nothing goes out after the third failure, not even rows already in hand
    assert len(harness.remote.posts) == 3
    assert not await wait_until(lambda: len(harness.remote.posts) > 3, timeout=1.0)
    queued = await Delivery.filter(activity_uri__in=ids, state=DeliveryState.QUEUED).count()
    assert queued == 10
    record = await Host.get(domain=host)
    assert record.consecutive_failures >= 3 and not record.unavailable


async def test_two_workers_never_send_a_row_twice(harness: Harness) -> None:
    harness.start_worker()
    harness.start_worker()
    ids = [await harness.publish("/inbox", "/users/x/inbox") for _ in range(40)]
    await eventually(lambda: len(harness.remote.delivered()) == 80, timeout=20)
    assert set(harness.remote.delivered().values()) == {1}
    assert len(harness.remote.posts) == 80

    async def all_recorded() -> bool:
        return await Delivery.filter(state=DeliveryState.DELIVERED).count() == 80

    # outcomes are written in batches; a loaded CI database may take a while to show them
    await eventually(all_recorded, timeout=30)
    assert {a.activity_id for a in harness.remote.arrivals} == set(ids)


async def test_a_cancelled_send_is_retried_after_its_lease(harness: Harness) -> None:
    settings = replace(FAST, lease=timedelta(seconds=3))
    harness.remote.script("/inbox", Reply(503, delay=30))
    first = harness.start_worker(settings)
    activity_id = await harness.publish("/inbox")
    await eventually(lambda: len(harness.remote.posts) == 1)
    # When the worker is stopped with the POST in flight
    first.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await first
    # Then the row stays leased, and another worker delivers it once the lease is over
    row = await row_for(activity_id)
    assert row.state is DeliveryState.QUEUED and row.attempts == 1
    assert row.locked_until is not None and row.locked_until > datetime.now(UTC)
    harness.start_worker(replace(settings, poll_interval=0.2))
    await eventually(lambda: _state_is(activity_id, DeliveryState.DELIVERED), timeout=10)
    assert harness.remote.delivered() == {("/inbox", activity_id): 1}


async def _state_is(activity_id: str, state: DeliveryState) -> bool:
    return (await row_for(activity_id)).state is state


async def _attempts_at_least(activity_id: str, attempts: int) -> bool:
    row = await row_for(activity_id)
    return row.attempts >= attempts and row.locked_until is None


async def _host_held(host: str) -> bool:
    record = await Host.get_or_none(domain=host)
    return (
        record is not None
        and record.open_until is not None
        and (record.open_until > datetime.now(UTC))
    )


def test_settings_come_from_the_config_and_the_environment(tmp_path: Path) -> None:
    config = Config(
        data_dir=tmp_path,
        url="http://127.0.0.1:8000",
        database_url="sqlite://x",
        federation=FederationConfig(delivery_workers=7),
    )
    default = DeliverySettings.from_config(config, {})
    assert default.concurrency == 7 and default.lease == timedelta(minutes=2)
    assert default.poll_interval == 2.0 and default.breaker == BreakerPolicy()
    env = {
        "TOWNHALL_DELIVERY_RETRY_BASE_SECONDS": "0.05",
        "TOWNHALL_DELIVERY_LEASE_SECONDS": "3",
        "TOWNHALL_DELIVERY_POLL_SECONDS": "0.2",
        "TOWNHALL_DELIVERY_BREAKER_THRESHOLD": "3",
        "TOWNHALL_DELIVERY_BREAKER_COOLDOWN_SECONDS": "0.5",
    }
    fast = DeliverySettings.from_config(config, env)
    assert fast.retry_base == timedelta(milliseconds=50) and fast.lease == timedelta(seconds=3)
    assert fast.poll_interval == 0.2
    assert fast.breaker.failure_threshold == 3
    assert fast.breaker.cool_down == timedelta(seconds=0.5)
    for bad in (
        {"TOWNHALL_DELIVERY_POLL_SECONDS": "soon"},
        {"TOWNHALL_DELIVERY_LEASE_SECONDS": "1"},
    ):
        with pytest.raises(ConfigError):
            DeliverySettings.from_config(config, bad)


async def test_signer_keys_read_a_signer_once_however_many_rows_ask_at_once(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    real_read = Actor.get_or_none

    def counting_read(*args: Any, **kwargs: Any) -> Any:
        reads.append(kwargs.get("uri", ""))
        return real_read(*args, **kwargs)

    monkeypatch.setattr(Actor, "get_or_none", counting_read)
    keys = SignerKeys(KeyRing())
    uri = harness.organisation.uri
    found = await asyncio.gather(*(keys.key_for(uri) for _ in range(50)))
    assert {key.key_id for key in found} == {harness.organisation.key_id}
    assert reads == [uri]
    with pytest.raises(UnknownSigner):
        await keys.key_for("https://elsewhere.example/actors/x")


async def test_a_delivery_queued_before_its_server_was_blocked_is_never_sent(
    harness: Harness,
) -> None:
    activity_id = await harness.publish("/inbox")
    host = urlsplit(harness.remote.url("/inbox")).hostname or ""
    moderator = await add_member(URLS, "mod", access_role=AccessRole.MODERATOR)
    await add_block(
        BlockTarget("domain", host), "blocked after the post was queued", by_account_id=moderator.id
    )
    harness.start_worker()
    await eventually(lambda: _state_is(activity_id, DeliveryState.FAILED))
    assert harness.remote.arrivals == []
    assert "blocked here" in (await row_for(activity_id)).last_error
