"""B's page for A's proposal: how long it takes, its queries, and how many requests reach A.

Two real nodes: A runs as a `townhall run` process (SQLite, its access log in a file); B runs
in this process (SQLite; TOWNHALL_DATABASE_URL for PostgreSQL) so its statements can be
counted. B's member bob follows A's organisation; alice publishes a proposal on A with a
question, and the thread gets --comments comments, a quarter of them bob's from B, all through
the outboxes and federation; bob answers the question from B. Once B holds them all and its
worker has fetched A's figures, bob (signed in on B) GETs B's page for the proposal,
GET /remote/objects/{id} (the route "remote_object"), --runs times. Printed: p50/p95, the
statements of one view, and the requests A's access log recorded during the views, which must
be 0: page views never fetch.

Aim (issue 18): < 100 ms with no request to A. Run: .venv/bin/python bench/remote_page.py
[--comments 200] [--runs 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from aiohttp.test_utils import TestClient, TestServer

from bench.servers import ROOT, TOWNHALL, environment, healthy, stop
from bench.thread import QueryCounter
from node.app import create_app
from node.appkeys import CONFIG
from node.install import NodeSettings, initialise
from node.models import Object, Proposal
from node.services.members import add_member
from node.services.tokens import create_token
from node.urls import NodeUrls
from web.remote_links import remote_page_path

AS2 = "application/activity+json"
PASSWORD = "correct horse battery"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
WAIT_SECONDS = 300.0
QUIET_SECONDS = 4.0  # past the figures worker's debounce: its refresh after arrivals is done


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cli(*arguments: str) -> str:
    done = subprocess.run(
        [*TOWNHALL, *arguments], cwd=ROOT, env=environment(), capture_output=True, text=True,
        check=False, timeout=120,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"townhall {arguments[0]} failed: {done.stderr[-2000:]}")
    return done.stdout


def start_a(folder: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """Node A: initialised, with member alice, running on `port` (on SQLite, whatever B uses)."""
    data = str(folder / "a")
    cli("init", "--data-dir", data, "--url", f"http://127.0.0.1:{port}", "--name", "Org A",
        "--handle", "orga")  # fmt: skip
    cli("user", "add", "alice", "--data-dir", data)
    with log.open("ab") as output:
        process = subprocess.Popen(
            [*TOWNHALL, "run", "--data-dir", data, "--port", str(port)], cwd=ROOT,
            env=environment(), stdin=subprocess.DEVNULL, stdout=output, stderr=output,
        )  # fmt: skip
    deadline = time.monotonic() + 30
    while not healthy(f"http://127.0.0.1:{port}/healthz"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"node A did not start; see {log}")
        time.sleep(0.05)
    return process


def requests_logged(log: Path) -> int:
    """How many requests A's access log holds so far."""
    count = 0
    for line in log.read_text(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and record.get("event") == "http.request":
            count += 1
    return count


async def post_outbox(base: str, handle: str, token: str, activity: dict[str, Any]) -> Any:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": AS2, "Accept": AS2}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{base}/actors/{handle}/outbox", json=activity, headers=headers) as answer,
    ):
        if answer.status != 201:
            raise SystemExit(f"{handle}'s outbox answered {answer.status}: {await answer.text()}")
        return await answer.json(content_type=None)


async def until(what: str, probe: Any) -> Any:
    deadline = time.monotonic() + WAIT_SECONDS
    while not (value := await probe()):
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not happen within {WAIT_SECONDS:.0f} s")
        await asyncio.sleep(0.2)
    return value


async def sign_in(client: TestClient, handle: str) -> None:
    form = await (await client.get("/sign-in")).text()
    found = CSRF_INPUT.search(form)
    data = {"handle": handle, "password": PASSWORD, "csrf_token": found.group(1) if found else ""}
    answer = await client.post("/sign-in", data=data, allow_redirects=False)
    if answer.status != 303:
        raise SystemExit(f"bob could not sign in on B: {answer.status}")


async def fill_thread(
    a_base: str, b_base: str, alice: str, bob: str, comments: int
) -> tuple[str, str]:
    """alice's proposal on A and `comments` comments (every fourth bob's, from B); its URI and
    context."""
    created = await post_outbox(
        a_base, "alice", alice,
        {"type": "Article", "name": "Open the library on Sundays", "summary": "Families work.",
         "sections": {"problem": "Closed when families are free.", "proposed_change": "Open."}},
    )  # fmt: skip
    proposal, context = created["object"]["id"], created["object"]["context"]
    asked = await post_outbox(
        a_base, "alice", alice,
        {"type": "Question", "content": "<p>Which days suit you?</p>", "inReplyTo": proposal,
         "oneOf": [{"type": "Note", "name": "Weekdays"}, {"type": "Note", "name": "Weekends"}]},
    )  # fmt: skip
    question = asked["object"]["id"]
    await until("B holding the proposal", lambda: Proposal.exists(object__uri=proposal))
    await until("B holding the question", lambda: Object.exists(uri=question))
    await post_outbox(
        b_base, "bob", bob, {"type": "Note", "name": "Weekends", "inReplyTo": question}
    )
    for number in range(comments):
        base, handle, token = (b_base, "bob", bob) if number % 4 == 3 else (a_base, "alice", alice)
        note = {"type": "Note", "content": f"Comment {number} on Sundays.", "inReplyTo": proposal}
        await post_outbox(base, handle, token, note)
    held = Object.filter(context_uri=context, type="Note")
    await until(f"B holding {comments} comments", lambda: _at_least(held.count(), comments))
    return proposal, context


async def _at_least(count: Any, wanted: int) -> bool:
    return int(await count) >= wanted


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--runs", type=int, default=50)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        a_port, b_port = free_port(), free_port()
        a_base, b_base = f"http://127.0.0.1:{a_port}", f"http://127.0.0.1:{b_port}"
        a_log = folder / "a.log"
        a_process = start_a(folder, a_port, a_log)
        try:
            alice = cli("token", "create", "alice", "--data-dir", str(folder / "a")).strip()
            config = await initialise(folder / "b", NodeSettings(b_base, "Org B", "orgb"))
            app = create_app(config)
            client = TestClient(TestServer(app, host="127.0.0.1", port=b_port))
            await client.start_server()
            try:
                await run(client, arguments, a_base, b_base, alice, a_log)
            finally:
                await client.close()
        finally:
            stop(a_process)


async def run(
    client: TestClient,
    arguments: argparse.Namespace,
    a_base: str,
    b_base: str,
    alice: str,
    a_log: Path,
) -> None:
    await add_member(NodeUrls(b_base), "bob", password=PASSWORD)
    bob = await create_token("bob")
    await post_outbox(b_base, "bob", bob, {"type": "Follow", "object": f"@orga@{a_base[7:]}"})
    started = time.monotonic()
    proposal, _ = await fill_thread(a_base, b_base, alice, bob, arguments.comments)
    seeded = time.monotonic() - started
    row = await Proposal.get(object__uri=proposal).select_related("object")
    await until("B's worker fetching A's figures", lambda: _fetched(row.id))
    await asyncio.sleep(QUIET_SECONDS)
    path = remote_page_path(row.object.id)
    await sign_in(client, "bob")
    first = await client.get(path, headers={"Accept": "text/html"})
    body = await first.text()
    if first.status != 200 or "reported them at" not in body:
        raise SystemExit(f"B's page answered {first.status} without A's figures: {body[:500]}")
    if "Your answer: Weekends" not in body:
        raise SystemExit("B's page does not show bob's answer to A's question")
    counter = QueryCounter()
    asked_before = requests_logged(a_log)
    timings, cpu, queries = [], [], sys.maxsize
    for _ in range(arguments.runs):
        before = counter.count
        began, began_cpu = time.perf_counter(), time.process_time()
        answer = await client.get(path, headers={"Accept": "text/html"})
        await answer.read()
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        queries = min(queries, counter.count - before)
        if answer.status != 200:
            raise SystemExit(f"B's page answered {answer.status}")
    await asyncio.sleep(0.5)  # any request a view had caused would be logged by now
    asked = requests_logged(a_log) - asked_before
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    engine = "PostgreSQL" if "postgres" in client.app[CONFIG].database_url else "SQLite"
    print(
        f"thread of {arguments.comments} comments federated A->B in {seeded:.1f} s"
        f" (A's access log: {asked_before} requests by then)"
    )
    print(
        f"B's page {path} | p50 {statistics.median(timings):6.1f} ms, p95 {p95:6.1f} ms"
        f" | {queries} queries | requests A received during {arguments.runs} views: {asked}"
    )
    print(
        f"CPU time of this process per view (client and server; less swayed by other load on"
        f" the machine): p50 {statistics.median(cpu):6.1f} ms; load average"
        f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    verdict = "OK" if p95 < 100 and asked == 0 else "MISSED"
    print(f"({engine} for B; aim p95 < 100 ms and 0 requests to A: {verdict})")


async def _fetched(proposal_id: int) -> bool:
    return await Proposal.filter(id=proposal_id, figures_fetched_at__not_isnull=True).exists()


if __name__ == "__main__":
    asyncio.run(main())
