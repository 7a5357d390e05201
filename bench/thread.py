"""Building a proposal page and its `context` collection with 10, 100 and 1,000 comments.

Runs the node's own application in-process and prints, for each size, the time to serve the
proposal's HTML page (GET /objects/{key}, the whole discussion) and the first page of its
context collection, with the number of database queries each took. The query count must not
grow with the number of comments.

Run: .venv/bin/python bench/thread.py   (SQLite; set TOWNHALL_DATABASE_URL for PostgreSQL)
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiohttp.test_utils import TestClient, TestServer
from tortoise import connections

from node.app import create_app
from node.install import NodeSettings, initialise
from node.models import Object, Reaction
from node.services.members import add_member
from node.services.outbox import Outbox
from node.services.proposals import Proposals
from node.services.thread_view import load_thread
from node.urls import NodeUrls

BASE = "http://127.0.0.1:8000"
SIZES = (10, 100, 1000)
RUNS = 5


class QueryCounter:
    """Counts the statements sent through the default connection."""

    def __init__(self) -> None:
        self.count = 0
        client = connections.get("default")
        for name in ("execute_query", "execute_query_dict", "execute_insert", "execute_script"):
            original = getattr(client, name)
            setattr(client, name, self._counting(original))

    def _counting(self, original: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return await original(*args, **kwargs)

        return counted


async def make_thread(urls: NodeUrls, size: int) -> str:
    """A proposal with `size` comments (a third of them replies to comments) and some likes."""
    author = (await add_member(urls, f"author{size}")).actor
    commenter = (await add_member(urls, f"reader{size}")).actor
    proposals = Proposals(Outbox(urls, lambda: None))
    created = await proposals.create(
        author, {"type": "Article", "name": f"Proposal {size}", "summary": "s", "source": "b"}
    )
    article = created["object"]
    start = datetime.now(UTC)
    rows = []
    for number in range(size):
        uri = urls.object(uuid.uuid4().hex)
        parent = rows[number // 3].uri if number % 3 == 2 and rows else article["id"]
        rows.append(
            Object(
                uri=uri,
                type="Note",
                is_local=True,
                author=commenter,
                in_reply_to_uri=parent,
                context_uri=article["context"],
                content=f"<p>comment {number}</p>",
                url=uri,
                document={"id": uri},
                published_at=start + timedelta(seconds=number),
            )
        )
    await Object.bulk_create(rows, batch_size=500)
    await Reaction.bulk_create(
        [
            Reaction(uri=f"{row.uri}#like", kind="Like", actor=author, object_uri=row.uri)
            for row in rows[::5]
        ]
    )
    return str(article["id"])


async def measure(label: str, counter: QueryCounter, work: Callable[[], Awaitable[Any]]) -> str:
    """Median time over RUNS and the queries of one run."""
    timings = []
    for _ in range(RUNS):
        before = counter.count
        started = time.perf_counter()
        await work()
        timings.append((time.perf_counter() - started) * 1000)
        queries = counter.count - before
    return f"{label}: {statistics.median(timings):7.1f} ms, {queries} queries"


async def main() -> None:
    """Build threads of each size behind a running app and print the figures."""
    with tempfile.TemporaryDirectory() as folder:
        config = await initialise(Path(folder) / "data", NodeSettings(BASE, "Bench", "bench"))
        client = TestClient(TestServer(create_app(config)))
        await client.start_server()
        try:
            urls = NodeUrls(BASE)
            counter = QueryCounter()
            for size in SIZES:
                proposal = await make_thread(urls, size)
                context = (await load_thread(proposal)).proposal.object.context_uri
                page = await measure(
                    "page", counter, lambda p=proposal: fetch(client, p, "text/html")
                )
                first = await measure(
                    "context page",
                    counter,
                    lambda c=context: fetch(client, f"{c}?page=1", "application/activity+json"),
                )
                print(f"{size:5d} comments | {page} | {first}")
            engine = "PostgreSQL" if config.database_url.startswith("postgres") else "SQLite"
            print(f"({engine}; median of {RUNS} runs; the query counts must not grow with size)")
        finally:
            await client.close()


async def fetch(client: TestClient, url: str, accept: str) -> None:
    """GET one of the node's URLs; fail unless 200."""
    response = await client.get(url.removeprefix(BASE), headers={"Accept": accept})
    body = await response.read()
    assert response.status == 200, body[:300]


if __name__ == "__main__":
    asyncio.run(main())
