"""Fan-out benchmark: one post to 10,000 followers on 1,000 hosts, delivered over loopback.

    .venv/bin/python bench/fanout.py [--hosts 1000] [--per-host 10] [--concurrency 32]
                                     [--receivers minimal|aiohttp]
                                     [--processes 1,2] [--database-url URL]
                                     [--rounds 3] [--skip-personal] [--sign-seconds 1]
                                     [--timeout 600] [--cold]

A receiver process listens on one 127.0.0.1 port per "host" (distinct host:port authorities
are distinct hosts to the queue and the circuit breaker) and answers every POST with 202:
by default with a minimal HTTP/1.1 responder, since real receivers run on other machines
and should take no CPU from the senders here; `--receivers aiohttp` uses an aiohttp server.
This process queues the post the way the node does (follower_inboxes + enqueue in one
transaction, then a wake-up), and the post is delivered until every row is DELIVERED: once
by a DeliveryWorker in this process (what `townhall run` does), and once by N worker
processes sharing the queue (what `townhall worker` adds for scale-out).
It prints deliveries per second, how long queuing them took (the publishing transaction),
the CPU each delivery cost the senders and the receivers, the single-core RSA-2048 signing
rate (sign_request calls per second, measured just before and just after each fan-out, as
the machine's speed drifts), and their ratio, for each of --rounds runs and as medians; the
aim is a ratio of at least 0.5. Each sending process signs in its own signing process
(federation/signing_process.py), whose CPU counts as sending CPU; it is started with the
senders, as a node that has delivered in the last few minutes has it running (`--cold`
starts it with the fan-out instead: its first ~60 ms are signed in the event loop). A
fan-out ends when the last of its rows was recorded DELIVERED (its `delivered_at`). The
variant without shared inboxes sends one POST per follower (10,000) instead of one per host.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.servers import children_of, cpu_seconds
from federation.delivery import ContextSigner
from federation.signatures import SigningKey
from federation.signing import sign_request
from federation.signing_process import SigningProcess
from node.config import Config, FederationConfig
from node.db import close_database, open_database
from node.http_client import node_client
from node.models import Actor, ActorType, Delivery, DeliveryState, Follow, FollowState
from node.services.actors import create_local_actor
from node.services.delivery_queue import (
    DeliveryWakeup,
    enqueue,
    follower_inboxes,
    outbox_transaction,
)
from node.services.keyring import KeyRing
from node.urls import NodeUrls
from node.workers.delivery import DeliverySettings, DeliveryWorker, SignerKeys

URLS = NodeUrls("http://127.0.0.1:8000")
# The senders' node: loopback, private addresses allowed (the receivers listen on loopback).
SENDER = Config(
    data_dir=Path("."),
    url="http://127.0.0.1:8000",
    database_url="",
    federation=FederationConfig(allow_private_addresses=True),
)


# --- the receiver process ------------------------------------------------------------


ACCEPTED = b"HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"


class MinimalInbox(asyncio.Protocol):
    """Answers each request on a kept-alive HTTP/1.1 connection with 202 once its body (by
    Content-Length) has arrived: a stand-in for a remote server that costs this machine as
    little as possible, since a real one runs elsewhere."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while (head_end := self._buffer.find(b"\r\n\r\n")) >= 0:
            request_end = head_end + 4 + _content_length(bytes(self._buffer[:head_end]))
            if len(self._buffer) < request_end:
                return
            del self._buffer[:request_end]
            assert self._transport is not None
            self._transport.write(ACCEPTED)


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


async def serve_receivers(count: int, kind: str) -> None:
    """Listen on `count` ports; print them; run until stdin closes."""
    if kind == "aiohttp":
        app = web.Application()
        app.router.add_post("/{tail:.*}", _accept)
        runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await runner.setup()
        for _ in range(count):
            await web.TCPSite(runner, "127.0.0.1", 0, backlog=512).start()
        ports = [int(address[1]) for address in runner.addresses]
    else:
        loop = asyncio.get_running_loop()
        servers = [
            await loop.create_server(MinimalInbox, "127.0.0.1", 0, backlog=512)
            for _ in range(count)
        ]
        ports = [int(server.sockets[0].getsockname()[1]) for server in servers]
    print(json.dumps({"ports": ports}), flush=True)
    await asyncio.to_thread(sys.stdin.read)  # the parent closes stdin (or dies)


async def _accept(request: web.Request) -> web.Response:
    await request.read()
    return web.Response(status=202)


class Receivers:
    """The receiver process, seen from the benchmark."""

    def __init__(self, count: int, kind: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve-receivers", str(count), "--receivers", kind],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        ready = json.loads(self.process.stdout.readline())
        self.ports: list[int] = ready["ports"]

    def cpu(self) -> float:
        """CPU seconds the receivers have used so far."""
        return cpu_seconds([self.process.pid])

    def stop(self) -> None:
        """Close its stdin, then make sure it is gone."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- the sending side ------------------------------------------------------------------


async def create_followers(organisation: Actor, ports: Sequence[int], per_host: int) -> int:
    """`per_host` remote followers on each receiver port, sharing that port's inbox."""
    actors = []
    for port in ports:
        base = f"http://127.0.0.1:{port}"
        for n in range(per_host):
            actors.append(
                Actor(
                    uri=f"{base}/users/u{n}",
                    type=ActorType.PERSON,
                    handle=f"u{n}",
                    domain=f"127.0.0.1:{port}",
                    inbox_uri=f"{base}/users/u{n}/inbox",
                    shared_inbox_uri=f"{base}/inbox",
                )
            )
    await Actor.bulk_create(actors, batch_size=1000)
    remote = await Actor.filter(is_local=False).values_list("id", "uri")
    follows = [
        Follow(
            uri=f"{uri}#follow",
            follower_id=actor_id,
            followee_id=organisation.id,
            state=FollowState.ACCEPTED,
        )
        for actor_id, uri in remote
    ]
    await Follow.bulk_create(follows, batch_size=1000)
    return len(follows)


def signing_rate(key: SigningKey, seconds: float) -> float:
    """sign_request calls per second on one core, for a POST like a delivery."""
    body = json.dumps({"id": URLS.activity("x"), "type": "Create", "content": "x" * 500}).encode()
    headers = {"Content-Type": "application/activity+json", "User-Agent": "bench"}
    calls, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        sign_request("POST", "http://127.0.0.1:9/inbox", headers, body, key)
        calls += 1
    return calls / elapsed


class Senders:
    """The delivery workers: one in this process, or `count` worker processes."""

    def __init__(
        self, args: argparse.Namespace, count: int, database_url: str, keyring: KeyRing
    ) -> None:
        self.wakeup = DeliveryWakeup()
        command = [sys.executable, __file__, "--run-worker", database_url]
        self.processes = [
            subprocess.Popen(
                [
                    *command,
                    "--concurrency",
                    str(args.concurrency),
                    *(["--cold"] if args.cold else []),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(count if count > 1 else 0)
        ]
        for process in self.processes:
            assert process.stdout is not None
            process.stdout.readline()  # "ready": started and connected
        self.signing = SigningProcess()
        self.signer = ContextSigner(process=self.signing)
        self.client = node_client(SENDER, self.signer)
        settings = DeliverySettings(concurrency=args.concurrency)
        keys = SignerKeys(keyring)
        worker = DeliveryWorker(self.client, self.signer, keys, self.wakeup, settings)
        self.task = None if self.processes else asyncio.create_task(worker.run())

    def cpu(self) -> float:
        """CPU seconds used by the sending side so far, signing processes included."""
        pids = [p.pid for p in self.processes]
        own = [self.signing.pid] if self.signing.pid else []
        return time.process_time() + cpu_seconds([*pids, *own, *children_of(pids)])

    async def stop(self) -> None:
        """Stop every worker."""
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)
        await self.client.close()
        await self.signing.close()
        for process in self.processes:
            assert process.stdin is not None
            process.stdin.close()
            process.wait(timeout=10)


async def run_worker_process(database_url: str, concurrency: int, cold: bool) -> None:
    """A worker process of the benchmark: deliver, polling often, until stdin closes."""
    await open_database(database_url)
    signing = SigningProcess()
    if not cold:
        await signing.start()  # as in a node that has delivered lately
    signer = ContextSigner(process=signing)
    client = node_client(SENDER, signer)
    settings = DeliverySettings(concurrency=concurrency, poll_interval=0.02)
    worker = DeliveryWorker(client, signer, SignerKeys(KeyRing()), DeliveryWakeup(), settings)
    task = asyncio.create_task(worker.run())
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.read)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await client.close()
    await signing.close()
    await close_database()


@dataclass
class FanOut:
    """One post delivered to every follower: how long it took and what it cost."""

    posts: int
    seconds: float
    sending_cpu_ms: float  # per delivery, every sending process and thread
    receiving_cpu_ms: float
    retried: int  # deliveries that needed more than one try
    queued_in: float  # seconds the publishing transaction took to queue them
    signing_rate: float = 0.0  # sign_request calls per second on one core, around this run

    @property
    def rate(self) -> float:
        """Deliveries per second."""
        return self.posts / self.seconds

    @property
    def ratio(self) -> float:
        """The delivery rate as a share of the signing rate."""
        return self.rate / self.signing_rate


async def fan_out(organisation: Actor, senders: Senders, receivers: Receivers, name: str) -> FanOut:
    """Queue one post to every follower inbox and wait until all are DELIVERED."""
    activity = {
        "id": URLS.activity(name),
        "type": "Create",
        "actor": organisation.uri,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [organisation.followers_uri],
        "object": {"id": URLS.object(name), "type": "Note", "content": "x" * 500},
    }
    delivered = Delivery.filter(activity_uri=activity["id"], state=DeliveryState.DELIVERED)
    started_at = datetime.now(UTC)
    started, cpu, receiving = time.perf_counter(), senders.cpu(), receivers.cpu()
    async with outbox_transaction(senders.wakeup) as connection:
        inboxes = await follower_inboxes(organisation)
        await enqueue(activity, organisation, inboxes, connection=connection)
    queued_in = time.perf_counter() - started
    while await delivered.count() < len(inboxes):  # noqa: ASYNC110 - the rows are the truth
        await asyncio.sleep(0.2)  # rarely: the time comes from delivered_at, not from here
    sending_cpu = senders.cpu() - cpu
    last = await delivered.order_by("-delivered_at").first().values_list("delivered_at", flat=True)
    elapsed = (last - started_at).total_seconds()
    retried = await Delivery.filter(activity_uri=activity["id"], attempts__gt=1).count()
    return FanOut(
        posts=len(inboxes),
        seconds=elapsed,
        sending_cpu_ms=1000 * sending_cpu / len(inboxes),
        receiving_cpu_ms=1000 * (receivers.cpu() - receiving) / len(inboxes),
        retried=retried,
        queued_in=queued_in,
    )


async def run(args: argparse.Namespace) -> None:
    """Set up, measure signing, fan out (shared, then personal inboxes), report."""
    receivers = Receivers(args.hosts, args.receivers)
    with tempfile.TemporaryDirectory() as folder:
        database_url = args.database_url or f"sqlite://{folder}/bench.sqlite3"
        await open_database(database_url)
        try:
            async with asyncio.timeout(args.timeout):
                await measure(args, receivers, database_url)
        finally:
            await close_database()
            receivers.stop()


async def measure(args: argparse.Namespace, receivers: Receivers, database_url: str) -> None:
    """The benchmark proper, with the database open."""
    organisation = await create_local_actor(URLS, "benchorg", ActorType.GROUP, "Bench")
    followers = await create_followers(organisation, receivers.ports, args.per_host)
    keyring = KeyRing()
    key = await keyring.signing_key(organisation)
    print(
        f"followers: {followers} on {len(receivers.ports)} hosts; {args.concurrency} POSTs at once"
        f" per process (delivery_workers; the node's default is {DeliverySettings.concurrency});"
        f" receivers: {args.receivers}"
    )
    variants = ["shared"] if args.skip_personal else ["shared", "personal"]
    for variant in variants:
        if variant == "personal":
            await Actor.filter(is_local=False).update(shared_inbox_uri="")
        runs: dict[int, list[FanOut]] = {count: [] for count in args.processes}
        for number in range(1, args.rounds + 1):
            for count in args.processes:
                senders = Senders(args, count, database_url, keyring)
                try:
                    if not args.cold:  # as in a node that has delivered lately
                        await senders.signing.start()
                    before = signing_rate(key, args.sign_seconds)
                    name = f"{variant}-{count}-{number}"
                    result = await fan_out(organisation, senders, receivers, name)
                    # the machine's speed drifts: measured on both sides of the run
                    result.signing_rate = (before + signing_rate(key, args.sign_seconds)) / 2
                finally:
                    await senders.stop()
                print(f"  round {number}, {describe(variant, count)}: {one_line(result)}")
                runs[count].append(result)
        for count, results in runs.items():
            report(describe(variant, count), results)


def describe(variant: str, count: int) -> str:
    """Which fan-out: the inboxes and who sends."""
    who = "the node's own worker" if count == 1 else f"{count} worker processes"
    return f"{variant} inboxes, {who}"


def one_line(result: FanOut) -> str:
    """A round's figures."""
    return (
        f"{result.posts} POSTs in {result.seconds:.2f} s = {result.rate:,.0f}/s, signing "
        f"{result.signing_rate:,.0f}/s, ratio {result.ratio:.2f}; CPU per delivery: sending "
        f"{result.sending_cpu_ms:.2f} ms, receivers {result.receiving_cpu_ms:.2f} ms; "
        f"{result.retried} needed a second try; queued in {result.queued_in:.2f} s"
    )


def report(what: str, results: list[FanOut]) -> None:
    """The medians over the rounds, against the signing rate."""
    median = statistics.median
    ratios = ", ".join(f"{result.ratio:.2f}" for result in results)
    print(
        f"fan-out ({what}): {results[0].posts} POSTs; median {median(r.rate for r in results):,.0f}"
        f" deliveries/s over {len(results)} round(s); signing (RSA-2048, one core, around each"
        f" run) median {median(r.signing_rate for r in results):,.0f}/s; ratio median"
        f" {median(r.ratio for r in results):.2f} (rounds: {ratios}) (aim >= 0.50)"
    )


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=1000)
    parser.add_argument("--per-host", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent POSTs")
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--skip-personal", action="store_true", help="only shared inboxes")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each, for the medians")
    parser.add_argument(
        "--sign-seconds", type=float, default=1.0, help="each signing-rate measurement"
    )
    parser.add_argument("--timeout", type=float, default=600.0, help="give up after this")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="start the node's signing process with the fan-out, as after 5 idle minutes",
    )
    parser.add_argument(
        "--processes",
        type=lambda text: [int(part) for part in text.split(",")],
        default=[1, 2],
        help="sending processes, one run each: 1 is the node's in-process worker, N > 1 is N "
        "worker processes like `townhall worker` (default: 1,2)",
    )
    parser.add_argument(
        "--receivers",
        choices=["minimal", "aiohttp"],
        default="minimal",
        help="what answers the POSTs: a minimal HTTP/1.1 responder (default; real receivers "
        "run on other machines) or an aiohttp server, which takes CPU from the senders here",
    )
    parser.add_argument("--serve-receivers", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--run-worker", default="", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main() -> None:
    """Run the benchmark (or, internally, the receiver process)."""
    args = parse_args()
    if args.serve_receivers:
        asyncio.run(serve_receivers(args.serve_receivers, args.receivers))
    elif args.run_worker:
        asyncio.run(run_worker_process(args.run_worker, args.concurrency, args.cold))
    else:
        asyncio.run(run(args))


if __name__ == "__main__":
    main()
