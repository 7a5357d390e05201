"""Requests per second for the home page and a proposal page with 200 comments.

Builds a node on a fresh data dir (SQLite; TOWNHALL_DATABASE_URL for PostgreSQL) with an
organisation, 20 open proposals and one proposal holding 200 comments (a third of them
replies), serves it with `townhall run`, and loads each page from this process with
--concurrency keep-alive clients for --seconds. In the same run, a bare aiohttp server
(bench/bare_page.py) serves the very same HTML bytes with no database and no templates;
its rate is the bound each page is compared with. Visitors' pages come from the page cache
(web/page_cache.py; aim: at least 0.3 of the bare rate); the last line loads the proposal page
signed in as a member (each request renders it, from the thread read once per generation of
the pages: node/generation_cache.py; aim: 3x the rate of the code when issue 21 was filed,
measured by running this file from a worktree of acf4306).

Run: .venv/bin/python bench/pages.py [--seconds 5] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from tortoise import Tortoise

from bench.servers import TOWNHALL, start, stop
from bench.thread import make_thread
from node.config import load_config
from node.db import open_database
from node.install import NodeSettings, initialise
from node.models import Actor
from node.services.members import add_member
from node.services.outbox import Outbox
from node.services.proposals import Proposals
from node.urls import NodeUrls
from tests.support.processes import free_port

COMMENTS = 200
OPEN_PROPOSALS = 20
HTML = "text/html"
MEMBER, PASSWORD = "benchreader", "a long bench password"


async def seed(data_dir: Path, base: str) -> str:
    """Initialise the node and fill it; the proposal page's path."""
    config = await initialise(data_dir, NodeSettings(base, "Bench Charity", "bench"))
    await open_database(config.database_url)
    urls = NodeUrls(base)
    organisation = await Actor.get(handle="bench", is_local=True)
    proposals = Proposals(Outbox(urls, lambda: None))
    for number in range(OPEN_PROPOSALS):
        await proposals.create(
            organisation,
            {
                "type": "Article",
                "name": f"Proposal {number}: longer opening hours",
                "summary": "Open the advice centre on Saturdays.",
                "source": "## Why\n\nPeople who work weekdays cannot reach us.",
            },
        )
    proposal = await make_thread(urls, COMMENTS)
    await add_member(urls, MEMBER, password=PASSWORD)
    await Tortoise.close_connections()
    return proposal.removeprefix(base)


async def load(url: str, seconds: float, concurrency: int, cookie: str = "") -> tuple[float, float]:
    """(requests per second, p99 latency in ms) of GETs of `url` by `concurrency` clients
    (sending `cookie`, when given, as a signed-in browser does)."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=concurrency)
    headers = {"Accept": HTML, **({"Cookie": cookie} if cookie else {})}
    async with aiohttp.ClientSession(connector=connector) as session:

        async def client() -> None:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                async with session.get(url, headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        raise SystemExit(f"{url} answered {response.status}")
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000
    return len(latencies) / elapsed, p99


async def signed_in_cookie(base: str) -> str:
    """A member's session cookie, signed in through the form."""
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        async with session.get(f"{base}/sign-in") as response:
            form = await response.text()
        token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        fields = {"csrf_token": token, "handle": MEMBER, "password": PASSWORD}
        async with session.post(f"{base}/sign-in", data=fields, allow_redirects=False) as r:
            if r.status != 303:
                raise SystemExit(f"signing in answered {r.status}")
        return "; ".join(f"{cookie.key}={cookie.value}" for cookie in jar)


async def page_bytes(url: str) -> bytes:
    async with aiohttp.ClientSession() as session, session.get(url, headers={"Accept": HTML}) as r:
        return await r.read()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="load per page (default 5)")
    parser.add_argument("--concurrency", type=int, default=8, help="clients (default 8)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        node_port, bare_port = free_port(), free_port()
        data_dir = Path(folder) / "data"
        base = f"http://127.0.0.1:{node_port}"
        proposal_path = await seed(data_dir, base)
        engine = "PostgreSQL" if "postgres" in load_config(data_dir).database_url else "SQLite"
        log = Path(folder) / "servers.log"
        node = start([*TOWNHALL, "run", "--data-dir", str(data_dir), "--port", str(node_port)],
                     node_port, log)  # fmt: skip
        try:
            for label, path in (
                ("home page", "/"),
                (f"proposal, {COMMENTS} comments", proposal_path),
            ):
                url = base + path
                html = Path(folder) / "page.html"
                html.write_bytes(await page_bytes(url))
                bare = start([sys.executable, "bench/bare_page.py", str(bare_port), str(html)],
                             bare_port, log)  # fmt: skip
                try:
                    await load(url, 1.0, args.concurrency)  # warm up
                    node_rate, node_p99 = await load(url, args.seconds, args.concurrency)
                    bare_rate, bare_p99 = await load(
                        f"http://127.0.0.1:{bare_port}{path}", args.seconds, args.concurrency
                    )
                finally:
                    stop(bare)
                print(
                    f"visitor, {label:22s} node {node_rate:7.0f} req/s (p99 {node_p99:5.1f} ms)"
                    f" | bare aiohttp {bare_rate:7.0f} req/s (p99 {bare_p99:5.1f} ms) | "
                    f"ratio {node_rate / bare_rate:.2f} | {html.stat().st_size / 1024:.0f} KiB"
                )
            cookie = await signed_in_cookie(base)
            url = base + proposal_path
            await load(url, 1.0, args.concurrency, cookie)  # warm up
            member_rate, member_p99 = await load(url, args.seconds, args.concurrency, cookie)
            label = f"proposal, {COMMENTS} comments"
            print(
                f"signed in, {label:20s} node {member_rate:7.0f} req/s "
                f"(p99 {member_p99:5.1f} ms) | rendered for each request"
            )
        finally:
            stop(node)
        print(f"({engine}; {args.concurrency} keep-alive clients in one process, "
              f"{args.seconds:.0f} s per page, same machine, same run)")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
