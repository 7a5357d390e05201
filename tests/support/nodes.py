"""Running nodes for flow tests: initialised through the CLI, served by `townhall run`."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import aiohttp
import asyncpg

from tests.support.databases import fresh_database_url
from tests.support.processes import NodeProcess, free_port, townhall

AS2 = "application/activity+json"
T = TypeVar("T")


@dataclass
class RunningNode:
    """A node process plus what tests need to drive it: its URL, CLI access, tokens."""

    process: NodeProcess
    handle: str
    env: dict[str, str]

    @property
    def base(self) -> str:
        """The node's public URL."""
        return self.process.base

    @property
    def host(self) -> str:
        """host:port, as in handles."""
        return self.base.removeprefix("http://")

    @property
    def organisation(self) -> str:
        """The organisation's actor id."""
        return self.actor(self.handle)

    def actor(self, handle: str) -> str:
        """A local actor's id."""
        return f"{self.base}/actors/{handle}"

    def cli(self, *args: str, stdin: str | None = None) -> str:
        """Run a townhall command against this node's data dir; its stdout (fails on error)."""
        result = townhall(
            *args, "--data-dir", str(self.process.data_dir), env=self.env, stdin=stdin
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def add_member(self, handle: str) -> str:
        """Add a member and return a bearer token for it."""
        self.cli("user", "add", handle)
        return self.token(handle)

    def token(self, handle: str) -> str:
        """A new bearer token for a local actor."""
        return self.cli("token", "create", handle).strip()


@contextmanager
def running_node(
    folder: Path, handle: str = "testorg", extra_env: dict[str, str] | None = None
) -> Iterator[RunningNode]:
    """A fresh node in `folder` (its own database), stopped with SIGTERM afterwards;
    `extra_env` for its processes (TOWNHALL_SMTP_URL, say)."""
    port = free_port()
    with fresh_database_url(folder) as database_url:
        env = {} if database_url.startswith("sqlite") else {"TOWNHALL_DATABASE_URL": database_url}
        env.update(extra_env or {})
        data_dir = folder / "data"
        result = townhall(
            "init",
            "--data-dir",
            str(data_dir),
            "--url",
            f"http://127.0.0.1:{port}",
            "--name",
            f"Org {handle}",
            "--handle",
            handle,
            env=env,
        )
        assert result.returncode == 0, result.stderr
        process = NodeProcess(data_dir, env=env, port=port).start()
        try:
            yield RunningNode(process, handle, env)
        finally:
            process.terminate()


async def post_outbox(
    node: RunningNode, handle: str, token: str, activity: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    """POST an activity to a local actor's outbox with its token: (status, answer JSON)."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": AS2, "Accept": AS2}
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{node.actor(handle)}/outbox", data=json.dumps(activity), headers=headers
        ) as response,
    ):
        return response.status, await response.json(content_type=None)


async def get_json(url: str, token: str | None = None) -> tuple[int, Any]:
    """GET with the ActivityStreams Accept header (and a token if given)."""
    headers = {"Accept": AS2}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    async with aiohttp.ClientSession() as session, session.get(url, headers=headers) as response:
        return response.status, await response.json(content_type=None)


async def collection_items(url: str, token: str | None = None) -> list[Any]:
    """Every item of a paged collection, walking `first` and `next`."""
    status, collection = await get_json(url, token)
    assert status == 200, collection
    items: list[Any] = []
    page_url = collection.get("first")
    while page_url:
        status, page = await get_json(page_url, token)
        assert status == 200, page
        items.extend(page.get("orderedItems", []))
        page_url = page.get("next")
    return items


async def eventually(
    probe: Callable[[], Awaitable[T]],
    check: Callable[[T], bool],
    *,
    timeout: float = 10.0,
    what: str = "condition",
) -> T:
    """Poll `probe` until `check` holds; fail with the last value after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if check(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not hold within {timeout} s; last value: {value!r}")
        await asyncio.sleep(0.05)


async def count_rows(node: RunningNode, table: str, where: str = "1=1") -> int:
    """Count rows straight from the node's database (SQLite file or PostgreSQL)."""
    return int(await fetch_value(node, f"SELECT COUNT(*) FROM {table} WHERE {where}"))


async def object_id(node: RunningNode, uri: str) -> int:
    """The row id of object `uri` in the node's database."""
    return int(await fetch_value(node, f"SELECT id FROM object WHERE uri = '{uri}'"))


async def fetch_value(node: RunningNode, query: str) -> Any:
    """The first column of the first row `query` finds in the node's database."""
    database_url = node.env.get("TOWNHALL_DATABASE_URL")
    if database_url:
        connection = await asyncpg.connect(database_url)
        try:
            return await connection.fetchval(query)
        finally:
            await connection.close()
    with sqlite3.connect(node.process.data_dir / "townhall.sqlite3") as connection:
        return connection.execute(query).fetchone()[0]


FOLLOW_TIMEOUT = 30


async def follow_organisation(
    node: RunningNode, handle: str, token: str, home: RunningNode
) -> None:
    """Member `handle` of `node` follows `home`'s organisation, and the follow is accepted."""
    status, answer = await post_outbox(
        node, handle, token, {"type": "Follow", "object": f"@{home.handle}@{home.host}"}
    )
    assert status == 201, answer
    await eventually(
        lambda: collection_items(f"{node.actor(handle)}/following"),
        lambda items: items == [home.organisation],
        what=f"{handle}@{node.host} follows {home.handle}",
        timeout=FOLLOW_TIMEOUT,
    )


class ThreeNodes(NamedTuple):
    """Nodes A, B and C, each with a member and that member's token."""

    a: RunningNode
    b: RunningNode
    c: RunningNode
    alice: str
    bob: str
    carol: str


@asynccontextmanager
async def three_nodes(folder: Path) -> AsyncIterator[ThreeNodes]:
    """A, B and C running, with alice on A, bob on B and carol on C; bob and carol follow A's
    organisation (and no one else)."""
    with (
        running_node(folder / "a", "orga") as a,
        running_node(folder / "b", "orgb") as b,
        running_node(folder / "c", "orgc") as c,
    ):
        alice, bob, carol = a.add_member("alice"), b.add_member("bob"), c.add_member("carol")
        await follow_organisation(b, "bob", bob, a)
        await follow_organisation(c, "carol", carol, a)
        yield ThreeNodes(a, b, c, alice, bob, carol)
