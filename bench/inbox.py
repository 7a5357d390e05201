"""Inbox throughput: signed activities accepted per second and latency, against the bare rate.

Starts a real node (`townhall run`, SQLite unless TOWNHALL_DATABASE_URL is set) and a tiny
remote server that publishes the sender's actor and key, pre-signs N distinct Create(Note)
activities, then POSTs them to the node's shared inbox with C concurrent connections.
The bound it is compared with is measured in the same run, with the same requests and load:
a bare inbox server (bench/bare_inbox.py) doing the same checks over the same HTTP stack
without a database (parse JSON, validate the schema, verify the signature). The single-core
rate of those checks as plain function calls (no HTTP) is printed too.

Run: .venv/bin/python bench/inbox.py [--requests 3000] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import schemas
from federation.inbox import parse_activity
from federation.keys import generate_private_key, public_key_to_pem
from federation.signatures import ResolvedKey, SigningKey, sign_request, verify_request
from tests.support.processes import NodeProcess, free_port, townhall

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


async def bare_server_rate(
    folder: Path,
    prepared: list[tuple[bytes, dict[str, str]]],
    public_base: str,
    document: dict[str, Any],
    pem: str,
    concurrency: int,
) -> tuple[float, dict[int, int]]:
    """The same requests against bench/bare_inbox.py: (rate, statuses)."""
    port = free_port()
    pem_file = folder / "sender.pem"
    pem_file.write_text(pem, encoding="utf-8")
    script = Path(__file__).with_name("bare_inbox.py")
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        str(script),
        str(port),
        public_base,
        document["publicKey"]["id"],
        document["id"],
        str(pem_file),
    )
    try:
        await wait_until_up(f"http://127.0.0.1:{port}/healthz")
        inbox = f"http://127.0.0.1:{port}/inbox"
        await load(prepared[:50], inbox, 4)
        rate, _, statuses = await load(prepared, inbox, concurrency)
        return rate, statuses
    finally:
        server.terminate()
        await server.wait()


async def wait_until_up(url: str, within_seconds: float = 20.0) -> None:
    """Poll until `url` answers 200."""
    deadline = time.monotonic() + within_seconds
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise SystemExit(f"{url} did not come up")


async def main(requests: int, concurrency: int) -> None:
    """Run the benchmark and print its figures."""
    private_key = generate_private_key()
    pem = public_key_to_pem(private_key.public_key())
    remote_port, node_port = free_port(), free_port()
    remote_base = f"http://127.0.0.1:{remote_port}"
    document = actor_document(remote_base, pem)
    key = SigningKey(document["publicKey"]["id"], private_key)
    runner = await serve_actor(document, remote_port)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        init = townhall(
            "init",
            "--data-dir",
            str(data_dir),
            "--url",
            f"http://127.0.0.1:{node_port}",
            "--name",
            "Bench",
            "--handle",
            "bench",
        )
        if init.returncode != 0:
            raise SystemExit(init.stderr)
        node = NodeProcess(data_dir, port=node_port).start()
        try:
            inbox = f"{node.base}/inbox"
            warmup = signed_requests(key, document["id"], inbox, 50)
            await load(warmup, inbox, 4)
            prepared = signed_requests(key, document["id"], inbox, requests)
            rate, latencies, statuses = await load(prepared, inbox, concurrency)
        finally:
            node.terminate()
        bare_http, bare_statuses = await bare_server_rate(
            Path(folder), prepared, node.base, document, pem, concurrency
        )
    await runner.cleanup()
    bare = await bare_rate(prepared[:1000], inbox, pem, key.key_id, document["id"])
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    engine = "PostgreSQL" if os.environ.get("TOWNHALL_DATABASE_URL") else "SQLite"
    print(
        f"inbox ({engine}): {rate:.0f} signed activities/s accepted, "
        f"concurrency {concurrency}, statuses {statuses}"
    )
    median = statistics.median(latencies)
    print(f"latency: p50 {median:.1f} ms, p99 {p99:.1f} ms (aim: p99 < 50 ms)")
    print(
        f"bare inbox (same HTTP stack and checks, no database): {bare_http:.0f}/s, "
        f"statuses {bare_statuses}"
    )
    print(f"ratio: {rate / bare_http:.2f} x the bare inbox (aim: at least 0.5)")
    print(
        f"for reference: the checks alone as function calls on one core: {bare:.0f}/s "
        f"(ratio {rate / bare:.2f})"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.requests, arguments.concurrency))
