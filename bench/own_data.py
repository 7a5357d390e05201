"""A member's data download for a prolific member: how long the zip takes and the memory it needs.

Seeds a node (SQLite; TOWNHALL_DATABASE_URL for PostgreSQL) with one member who wrote N comments
of about 2,000 characters each and endorsed N objects, then builds their zip
(node/services/own_data.export_zip) and prints the time, the zip's size, and the peak of
Python's allocations while building it (tracemalloc), which must stay about the same whatever
N is: rows are read in batches and the zip spills to disk beyond 4 MB.

Run: .venv/bin/python bench/own_data.py [--comments 2000,20000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from node.db import close_database, open_database
from node.install import NodeSettings, initialise
from node.models import Account, Object, Reaction
from node.services.members import add_member
from node.services.own_data import export_zip
from node.urls import NodeUrls

BASE = "http://127.0.0.1:8000"
TEXT = "We would come on Saturday mornings, and so would our neighbours. " * 30
BATCH = 1000


async def seed(handle: str, comments: int) -> int:
    """A member with `comments` comments and as many endorsements; their account id."""
    account = await add_member(NodeUrls(BASE), handle)
    actor_id = account.actor_id  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    for start in range(0, comments, BATCH):
        rows = range(start, min(start + BATCH, comments))
        await Object.bulk_create(
            [
                Object(
                    uri=f"{BASE}/objects/{handle}-{n}",
                    type="Note",
                    is_local=True,
                    author_id=actor_id,
                    content=f"<p>{TEXT} {n}</p>",
                    source=f"{TEXT} {n}",
                    url=f"{BASE}/objects/{handle}-{n}",
                    published_at=now,
                )
                for n in rows
            ]
        )
        await Reaction.bulk_create(
            [
                Reaction(
                    uri=f"{BASE}/likes/{handle}-{n}",
                    kind="Like",
                    actor_id=actor_id,
                    object_uri=f"{BASE}/objects/other-{n}",
                )
                for n in rows
            ]
        )
    return int((await Account.get(actor_id=actor_id)).id)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", default="2000,20000", help="comma-separated sizes")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.comments.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        config = await initialise(Path(folder) / "data", NodeSettings(BASE, "Bench", "bench"))
        await open_database(config.database_url)
        try:
            for size in sizes:
                account_id = await seed(f"m{size}", size)
                started = time.perf_counter()
                (await export_zip(account_id)).close()
                took = time.perf_counter() - started
                tracemalloc.start()  # a second run, traced (tracing slows it down)
                archive = await export_zip(account_id)
                _now, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                archive.seek(0, 2)
                size_mb = archive.tell() / 1e6
                archive.close()
                print(
                    f"{size:6d} comments and endorsements | zip {size_mb:6.1f} MB in {took:5.1f} s"
                    f" | peak Python allocations {peak / 1e6:5.1f} MB"
                )
            engine = "PostgreSQL" if config.database_url.startswith("postgres") else "SQLite"
            print(f"({engine}; the peak should not grow with the number of comments)")
        finally:
            await close_database()


if __name__ == "__main__":
    asyncio.run(main())
