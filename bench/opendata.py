"""Open data for a big statement vote: how long a proposal's votes take to stream, and the
memory that costs.

Seeds a node (SQLite; TOWNHALL_DATABASE_URL for PostgreSQL) with a proposal holding 100
approved statements and N votes on them from N / 100 people of another server, then GETs,
through the real aiohttp app, the open data votes.csv and votes.json and the pol.is votes.csv
and participants-votes.csv, reading each answer a chunk at a time as a client would. Prints
for each the time to the last byte, the bytes sent and how far the process's resident memory
rose above where it started (sampled at every chunk), which must stay about flat whatever N
is: rows are read in keyset batches and written out as they come.
Aim (issue 22): 100,000 votes stream in under 5 seconds.

Run: .venv/bin/python bench/opendata.py [--votes 10000,100000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import resource
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiohttp.test_utils import TestClient, TestServer

from node.app import create_app
from node.install import NodeSettings, initialise
from node.models import Actor, ActorType, Proposal, Statement, StatementState, StatementVote
from node.services.members import add_member
from node.services.outbox import Outbox
from node.services.proposals import Proposals
from node.urls import NodeUrls

BASE = "http://127.0.0.1:8000"
STATEMENTS = 100
BATCH = 5000


async def seed(urls: NodeUrls, votes: int) -> int:
    """A proposal with STATEMENTS statements and `votes` votes on them; its id."""
    tag = uuid.uuid4().hex[:6]
    author = (await add_member(urls, f"lead{tag}")).actor
    created = await Proposals(Outbox(urls, lambda: None)).create(
        author,
        {"type": "Article", "name": f"Open data bench {votes}", "summary": "s", "source": "b"},
    )
    proposal = await Proposal.get(object__uri=created["object"]["id"])
    people = max(1, votes // STATEMENTS)
    await Actor.bulk_create(
        [
            Actor(
                uri=f"https://social.example/users/{tag}{n}",
                type=ActorType.PERSON,
                handle=f"{tag}{n}",
                domain="social.example",
                inbox_uri=f"https://social.example/users/{tag}{n}/inbox",
            )
            for n in range(people)
        ],
        batch_size=1000,
    )
    voters = await Actor.filter(handle__startswith=tag, is_local=False).order_by("id")
    statements = [
        await Statement.create(
            proposal=proposal, author=voters[n % len(voters)], text=f"Statement {n}",
            state=StatementState.APPROVED,
        )
        for n in range(STATEMENTS)
    ]  # fmt: skip
    start = datetime.now(UTC)
    pending: list[StatementVote] = []
    for number in range(votes):
        voter, statement = divmod(number, STATEMENTS)
        pending.append(
            StatementVote(
                statement_id=statements[statement].id,
                actor_id=voters[voter % len(voters)].id,
                value=(number * 7 % 3) - 1,
                voted_at=start + timedelta(seconds=number),
            )
        )
        if len(pending) == BATCH:
            await StatementVote.bulk_create(pending)
            pending = []
    if pending:
        await StatementVote.bulk_create(pending)
    return int(proposal.id)


def rss_mb() -> float:
    """The process's resident memory now (Linux: /proc/self/statm, in pages)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 1e6


async def download(client: TestClient, path: str) -> tuple[float, int, float]:
    """(seconds to the last byte, bytes, MB the resident memory grew by at its peak) of one
    GET, read in chunks; the memory is sampled at every chunk (server and client share the
    process, so this is the server's growth plus a chunk)."""
    gc.collect()
    before = peak = rss_mb()
    started = time.perf_counter()
    response = await client.get(path)
    assert response.status == 200, (path, response.status)
    size = 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        size += len(chunk)
        peak = max(peak, rss_mb())
    took = time.perf_counter() - started
    return took, size, peak - before


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", default="10000,100000", help="comma-separated sizes")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.votes.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        config = await initialise(Path(folder) / "data", NodeSettings(BASE, "Bench", "bench"))
        client = TestClient(TestServer(create_app(config)))
        await client.start_server()
        try:
            urls = NodeUrls(BASE)
            for size in sizes:
                proposal = await seed(urls, size)
                await client.get("/data")  # warm: templates compiled, settings cached
                for path in ("data/votes.csv", "data/votes.json", "polis/votes.csv",
                             "polis/participants-votes.csv"):  # fmt: skip
                    took, sent, grew = await download(client, f"/proposals/{proposal}/{path}")
                    print(
                        f"{size:7d} votes | {path:28s} {sent / 1e6:6.1f} MB in {took:5.2f} s"
                        f" | peak RSS growth {grew:5.1f} MB"
                    )
            engine = "PostgreSQL" if config.database_url.startswith("postgres") else "SQLite"
            print(f"({engine}; aim: 100,000 votes in < 5 s, peak RSS growth flat with size)")
        finally:
            await client.close()


if __name__ == "__main__":
    asyncio.run(main())
