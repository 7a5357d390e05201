"""Inbox throughput: signed activities accepted per second and latency, against the bare rate.

Starts a real node (`townhall run`, SQLite unless TOWNHALL_DATABASE_URL is set) and a tiny
remote server that publishes the sender's actor and key, pre-signs N distinct Create(Note)
activities, then POSTs them to the node's shared inbox with C concurrent connections.
The bound it is compared with is measured in the same run, with the same requests and load:
a bare inbox server (bench/bare_inbox.py) doing the same checks over the same HTTP stack
without a database (parse JSON, validate the schema, verify the signature). Each round loads
the two in alternating turns (--slices of them; the node applies its backlog before the bare
server's turn, so the two never share the machine), --rounds times, and the medians are
reported, with each server's CPU time per request. With two cores or more, the servers run on
one core and the load generator on the others. The single-core rate of the checks as plain
function calls is printed too.

Run: .venv/bin/python bench/inbox.py [--requests 3000] [--concurrency 16] [--rounds 3]
     [--slices 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import schemas
from bench.servers import TOWNHALL, cpu_seconds, split_cpus, start, stop, wait_until_idle
from federation.inbox import parse_activity
from federation.keys import generate_private_key, public_key_to_pem
from federation.signatures import ResolvedKey, SigningKey, verify_request
from federation.signing import sign_request
from node.config import load_config
from node.db import close_database, open_database
from node.models import InboxItem, InboxState
from tests.support.processes import free_port, townhall

AS2 = "application/activity+json"


def actor_document(base: str, pem: str) -> dict[str, Any]:
    """The sender's actor as its server publishes it."""
    actor = f"{base}/users/bench"
    return {
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": actor,
        "type": "Person",
        "preferredUsername": "bench",
        "inbox": f"{actor}/inbox",
        "outbox": f"{actor}/outbox",
        "publicKey": {"id": f"{actor}#main-key", "owner": actor, "publicKeyPem": pem},
    }


async def serve_actor(document: dict[str, Any], port: int) -> web.AppRunner:
    """A one-route server for the sender's actor."""

    async def actor(_: web.Request) -> web.Response:
        return web.json_response(document, content_type=AS2)

    app = web.Application()
    app.router.add_get("/users/bench", actor)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


def signed_requests(
    key: SigningKey, actor: str, inbox: str, count: int
) -> list[tuple[bytes, dict[str, str]]]:
    """`count` distinct signed Create(Note) POSTs."""
    prepared = []
    for _ in range(count):
        note_id = f"{actor}/notes/{uuid.uuid4().hex}"
        activity = {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": f"{note_id}/activity",
            "type": "Create",
            "actor": actor,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "object": {
                "id": note_id,
                "type": "Note",
                "attributedTo": actor,
                "content": "<p>benchmark</p>",
                "published": "2026-11-26T10:00:00Z",
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
            },
        }
        body = json.dumps(activity).encode()
        headers = sign_request("POST", inbox, {"Content-Type": AS2}, body, key)
        prepared.append((body, headers))
    return prepared


async def bare_rate(
    prepared: list[tuple[bytes, dict[str, str]]], inbox: str, pem: str, key_id: str, owner: str
) -> float:
    """Checks per second without a database: parse, validate, verify (cached key)."""

    async def resolve(requested: str, *, refresh: bool) -> ResolvedKey:
        return ResolvedKey(requested, owner, pem)

    started = time.perf_counter()
    for body, headers in prepared:
        activity = parse_activity(body)
        schemas.validate("activity", activity)
        schemas.validate("create", activity)
        await verify_request("POST", inbox, headers, body, resolve)
    return len(prepared) / (time.perf_counter() - started)


async def load(
    prepared: list[tuple[bytes, dict[str, str]]], inbox: str, concurrency: int
) -> tuple[float, list[float], dict[int, int]]:
    """POST everything with `concurrency` connections; (rate, latencies in ms, statuses)."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    queue = list(reversed(prepared))
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            while queue:
                body, headers = queue.pop()
                sent = time.perf_counter()
                async with session.post(inbox, data=body, headers=headers) as response:
                    await response.read()
                latencies.append((time.perf_counter() - sent) * 1000)
                statuses[response.status] = statuses.get(response.status, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return len(prepared) / elapsed, latencies, statuses


@dataclass
class Round:
    """One load of the node and one of the bare inbox, with the same number of requests."""

    node_rate: float
    bare_rate: float
    node_cpu_ms: float  # CPU per request during the load, all of the server process's threads
    backlog_cpu_ms: float  # CPU per request after the load, applying what was accepted
    bare_cpu_ms: float
    latencies: list[float]
    statuses: dict[int, int]

    @property
    def ratio(self) -> float:
        """The node's rate as a share of the bare rate."""
        return self.node_rate / self.bare_rate


@dataclass
class Load:
    """What one load of a server measured."""

    seconds: float
    cpu_seconds: float  # all of the server process's threads
    latencies: list[float]
    statuses: dict[int, int]


async def measured_load(
    prepared: list[tuple[bytes, dict[str, str]]], inbox: str, concurrency: int, pid: int
) -> Load:
    """load(), with its duration and the server's CPU time."""
    before = cpu_seconds([pid])
    rate, latencies, statuses = await load(prepared, inbox, concurrency)
    return Load(len(prepared) / rate, cpu_seconds([pid]) - before, latencies, statuses)


async def applied() -> None:
    """Wait until the node has applied every activity it accepted."""
    while await InboxItem.filter(state=InboxState.PENDING).count():  # noqa: ASYNC110 - another process's rows
        await asyncio.sleep(0.2)


async def one_round(
    key: SigningKey,
    actor: str,
    servers: tuple[subprocess.Popen[bytes], subprocess.Popen[bytes]],
    inboxes: tuple[str, str],
    requests: int,
    concurrency: int,
    slices: int,
) -> Round:
    """New activities to the node and the same to bare, in alternating slices.

    The machine's speed drifts (the bare server's CPU per request moved by a fifth within a
    minute here), so the two are loaded in turns of requests/slices each, and their rates are
    totals over the turns: a drift slows both alike. After each turn of the node, its worker
    applies what it accepted before the bare server's turn, so the two never share the CPU.
    """
    node, bare = servers
    prepared = signed_requests(key, actor, inboxes[0], requests)
    size = -(-requests // slices)
    node_loads, bare_loads, backlog_cpu = [], [], 0.0
    for first in range(0, requests, size):
        part = prepared[first : first + size]
        node_loads.append(await measured_load(part, inboxes[0], concurrency, node.pid))
        before = cpu_seconds([node.pid])
        await applied()
        wait_until_idle(node.pid)
        backlog_cpu += cpu_seconds([node.pid]) - before
        bare_loads.append(await measured_load(part, inboxes[1], concurrency, bare.pid))
    bare_statuses = merged(load.statuses for load in bare_loads)
    if set(bare_statuses) != {202}:
        raise SystemExit(f"the bare inbox answered {bare_statuses}")
    node_seconds = sum(load.seconds for load in node_loads)
    bare_seconds = sum(load.seconds for load in bare_loads)
    return Round(
        node_rate=requests / node_seconds,
        bare_rate=requests / bare_seconds,
        node_cpu_ms=1000 * sum(load.cpu_seconds for load in node_loads) / requests,
        backlog_cpu_ms=1000 * backlog_cpu / requests,
        bare_cpu_ms=1000 * sum(load.cpu_seconds for load in bare_loads) / requests,
        latencies=[value for load in node_loads for value in load.latencies],
        statuses=merged(load.statuses for load in node_loads),
    )


def merged(counts: Iterable[dict[int, int]]) -> dict[int, int]:
    """Status counts added up."""
    total: dict[int, int] = {}
    for one in counts:
        for status, count in one.items():
            total[status] = total.get(status, 0) + count
    return total


def initialise_node(data_dir: Path, port: int) -> None:
    """`townhall init` the benchmark's node."""
    init = townhall(
        "init", "--data-dir", str(data_dir), "--url", f"http://127.0.0.1:{port}",
        "--name", "Bench", "--handle", "bench",
    )  # fmt: skip
    if init.returncode != 0:
        raise SystemExit(init.stderr)


def report(rounds: list[Round], concurrency: int, bare_calls: float) -> None:
    """Medians over the rounds, and p99 over every request to the node."""
    latencies = sorted(value for one in rounds for value in one.latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    statuses = merged(one.statuses for one in rounds)
    engine = "PostgreSQL" if os.environ.get("TOWNHALL_DATABASE_URL") else "SQLite"
    median = statistics.median
    for number, one in enumerate(rounds, 1):
        print(
            f"  round {number}: node {one.node_rate:.0f}/s ({one.node_cpu_ms:.2f} ms CPU each, "
            f"+{one.backlog_cpu_ms:.2f} ms after), "
            f"bare {one.bare_rate:.0f}/s ({one.bare_cpu_ms:.2f} ms CPU each), "
            f"ratio {one.ratio:.2f}"
        )
    node_rate = median(one.node_rate for one in rounds)
    print(
        f"inbox ({engine}): {node_rate:.0f} signed activities/s accepted (median of "
        f"{len(rounds)} rounds), concurrency {concurrency}, statuses {statuses}"
    )
    print(f"latency: p50 {median(latencies):.1f} ms, p99 {p99:.1f} ms (aim: p99 < 50 ms)")
    print(
        "bare inbox (same HTTP stack and checks, no database): "
        f"{median(one.bare_rate for one in rounds):.0f}/s"
    )
    print(
        f"ratio: {median(one.ratio for one in rounds):.2f} x the bare inbox, median of the "
        "rounds (aim: at least 0.5)"
    )
    print(f"for reference: the checks alone as function calls on one core: {bare_calls:.0f}/s")


async def main(requests: int, concurrency: int, rounds: int, slices: int) -> None:
    """Run the benchmark and print its figures."""
    server_cpus, load_cpus = split_cpus()
    if load_cpus:
        os.sched_setaffinity(0, load_cpus)
    private_key = generate_private_key()
    pem = public_key_to_pem(private_key.public_key())
    remote_port, node_port, bare_port = free_port(), free_port(), free_port()
    remote_base = f"http://127.0.0.1:{remote_port}"
    document = actor_document(remote_base, pem)
    key = SigningKey(document["publicKey"]["id"], private_key)
    runner = await serve_actor(document, remote_port)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        data_dir = folder / "data"
        initialise_node(data_dir, node_port)
        log = folder / "servers.log"
        node_base = f"http://127.0.0.1:{node_port}"
        (folder / "sender.pem").write_text(pem, encoding="utf-8")
        node = start([*TOWNHALL, "run", "--data-dir", str(data_dir), "--port", str(node_port)],
                     node_port, log, server_cpus)  # fmt: skip
        bare = start(
            [sys.executable, str(Path(__file__).with_name("bare_inbox.py")), str(bare_port),
             node_base, document["publicKey"]["id"], document["id"], str(folder / "sender.pem")],
            bare_port, log, server_cpus,
        )  # fmt: skip
        inboxes = (f"{node_base}/inbox", f"http://127.0.0.1:{bare_port}/inbox")
        database_url = load_config(data_dir).database_url
        await open_database(database_url)  # to watch the node's backlog
        try:
            for inbox in inboxes:  # warm up: the node fetches the key, both fill their caches
                await load(signed_requests(key, document["id"], inboxes[0], 50), inbox, 4)
            wait_until_idle(node.pid)
            results = [
                await one_round(
                    key, document["id"], (node, bare), inboxes, requests, concurrency, slices
                )
                for _ in range(rounds)
            ]
        finally:
            await close_database()
            stop(node)
            stop(bare)
    await runner.cleanup()
    prepared = signed_requests(key, document["id"], inboxes[0], 500)
    bare_calls = await bare_rate(prepared, inboxes[0], pem, key.key_id, document["id"])
    report(results, concurrency, bare_calls)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="per round")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--slices", type=int, default=5, help="turns of each server per round")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.requests, arguments.concurrency, arguments.rounds, arguments.slices))
