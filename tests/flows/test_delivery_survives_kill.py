"""Deliveries survive SIGKILL: queued while the receiver is down, each arrives exactly once.

Real processes: a `townhall run` node (any engine) and two `townhall worker` processes
(PostgreSQL). Deliveries are queued directly in the database before the processes start;
small backoff, lease and poll settings come from the TOWNHALL_DELIVERY_* environment.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from node.config import Config
from node.db import close_database, open_database
from node.models import Actor, Delivery, DeliveryState
from node.services.actors import get_organisation
from node.services.delivery_queue import enqueue
from node.urls import NodeUrls
from tests.support.databases import POSTGRES_ENV
from tests.support.inboxes import RecordingInbox, Reply, StaticKeys, wait_until
from tests.support.processes import TOWNHALL, NodeProcess, free_port

FAST_DELIVERY = {
    "TOWNHALL_DELIVERY_RETRY_BASE_SECONDS": "0.1",
    "TOWNHALL_DELIVERY_LEASE_SECONDS": "2",
    "TOWNHALL_DELIVERY_POLL_SECONDS": "0.2",
    "TOWNHALL_DELIVERY_BREAKER_COOLDOWN_SECONDS": "0.3",
}
INBOX_PATHS = ("/inbox", "/users/a/inbox", "/users/b/inbox")
DEADLINE = 60.0


@pytest.fixture
async def organisation(node_config: Config) -> AsyncIterator[Actor]:
    """The initialised node's organisation, with the database open in this test too."""
    await open_database(node_config.database_url)
    try:
        organisation = await get_organisation()
        assert organisation is not None
        yield organisation
    finally:
        await close_database()


async def queue_activities(organisation: Actor, count: int, receiver_port: int) -> set[str]:
    """Queue `count` activities to the receiver's three inboxes; return their ids."""
    urls = NodeUrls(organisation.uri.split("/actors/")[0])
    inboxes = [f"http://127.0.0.1:{receiver_port}{path}" for path in INBOX_PATHS]
    ids = set()
    for n in range(count):
        activity = {
            "id": urls.activity(f"kill-{n}"),
            "type": "Create",
            "actor": organisation.uri,
            "object": {"id": urls.object(f"kill-{n}"), "type": "Note", "content": f"#{n}"},
        }
        await enqueue(activity, organisation, inboxes)
        ids.add(str(activity["id"]))
    return ids


def receiver_for(organisation: Actor, port: int) -> RecordingInbox:
    """An inbox server on `port` that accepts the organisation's signatures."""
    keys = StaticKeys()
    keys.add(organisation.key_id, organisation.uri, organisation.public_key_pem)
    return RecordingInbox(keys, port=port)


async def count_rows(**filters: object) -> int:
    """How many deliveries match."""
    return await Delivery.filter(**filters).count()


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = DEADLINE) -> None:
    """Poll an async check until it holds, failing after `timeout` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not true after {timeout} s: {check.__name__}")
        await asyncio.sleep(0.05)


def assert_each_exactly_once(receiver: RecordingInbox, ids: set[str]) -> None:
    """Every (inbox, activity) was accepted once, and only ours came."""
    delivered = receiver.delivered()
    assert receiver.bad_signatures == []
    assert set(delivered) == {(path, i) for path in INBOX_PATHS for i in ids}
    duplicates = {key: n for key, n in delivered.items() if n != 1}
    assert duplicates == {}


async def test_a_killed_node_delivers_everything_once_after_restart(
    organisation: Actor, node_config: Config, node_env: dict[str, str]
) -> None:
    # Given 20 activities queued for three inboxes on a server that is down
    receiver_port = free_port()
    ids = await queue_activities(organisation, 20, receiver_port)
    env = {**node_env, **FAST_DELIVERY}
    node = NodeProcess(node_config.data_dir, env=env)
    try:
        # When the node tries them, is killed with SIGKILL and restarted
        await asyncio.to_thread(node.start)

        async def tried() -> bool:
            return await count_rows(attempts__gte=2) >= 10

        await eventually(tried)
        node.kill()
        assert node.process is not None and node.process.returncode == -signal.SIGKILL
        assert await count_rows(state=DeliveryState.QUEUED) == 60
        node = NodeProcess(node_config.data_dir, env=env, port=node.port)
        await asyncio.to_thread(node.start)
        # and the receiver comes up
        receiver = await receiver_for(organisation, receiver_port).start()
        try:
            # Then every delivery arrives exactly once
            async def all_delivered() -> bool:
                return await count_rows(state=DeliveryState.DELIVERED) == 60

            await eventually(all_delivered)
            assert_each_exactly_once(receiver, ids)
        finally:
            await receiver.stop()
        assert node.terminate() == 0
    finally:
        node.kill()


class WorkerProcess:
    """A `townhall worker` process, its log in a file."""

    def __init__(self, data_dir: Path, env: dict[str, str], log: Path) -> None:
        self.log = log
        self.process = subprocess.Popen(
            [*TOWNHALL, "worker", "--data-dir", str(data_dir)],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=log.open("a"),
        )

    def logged(self, event: str) -> int:
        """How many log lines name `event`."""
        return self.log.read_text().count(f'"event": "{event}"')

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 10.0) -> int:
        """Signal the process and return its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


async def test_townhall_worker_stops_cleanly_on_sigterm(
    organisation: Actor, node_config: Config, node_env: dict[str, str], tmp_path: Path
) -> None:
    worker = WorkerProcess(node_config.data_dir, node_env, tmp_path / "worker.log")
    try:
        assert await wait_until(lambda: worker.logged("delivery.process_ready") == 1, 20)
        assert worker.stop(signal.SIGTERM) == 0
        assert worker.logged("delivery.process_stopped") == 1
    finally:
        worker.stop(signal.SIGKILL)


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get(POSTGRES_ENV),
    reason=f"two worker processes need PostgreSQL: set {POSTGRES_ENV}",
)
async def test_two_workers_one_killed_never_deliver_twice(
    organisation: Actor, node_config: Config, node_env: dict[str, str], tmp_path: Path
) -> None:
    # Given 100 activities queued for three inboxes on a server that is down
    receiver_port = free_port()
    ids = await queue_activities(organisation, 100, receiver_port)
    env = {**node_env, **FAST_DELIVERY}
    logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log", tmp_path / "worker-c.log"]
    workers = [WorkerProcess(node_config.data_dir, env, log) for log in logs[:2]]
    receiver = receiver_for(organisation, receiver_port)
    try:
        # When both workers try them, one is killed with SIGKILL and a new one starts
        async def tried() -> bool:
            return await count_rows(attempts__gte=1) >= 150

        await eventually(tried)
        assert workers[0].stop(signal.SIGKILL) == -signal.SIGKILL
        workers.append(WorkerProcess(node_config.data_dir, env, logs[2]))
        assert await wait_until(lambda: workers[2].logged("delivery.worker_started") == 1, 20)
        # and the receiver comes up, a little slow, so both live workers get a share
        for path in INBOX_PATHS:
            receiver.script(path, *[Reply(202, delay=0.02)] * 100)
        await receiver.start()

        async def all_delivered() -> bool:
            return await count_rows(state=DeliveryState.DELIVERED) == 300

        await eventually(all_delivered)
        # Then each delivery arrived once, recorded by one worker
        assert_each_exactly_once(receiver, ids)
        assert len(receiver.arrivals) == 300

        def recorded() -> int:
            return sum(worker.logged("delivery.delivered") for worker in workers)

        assert await wait_until(lambda: recorded() == 300, timeout=5)
        assert workers[1].logged("delivery.delivered") > 0
        assert workers[2].logged("delivery.delivered") > 0
        assert [w.stop() for w in workers[1:]] == [0, 0]
    finally:
        await receiver.stop()
        for worker in workers:
            worker.stop(signal.SIGKILL)
