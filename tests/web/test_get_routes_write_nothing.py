"""Pages that write: every GET route, walked as a visitor, a member and an admin over a seeded
node (private objects, an overdue poll, an invitation, a reset code), writes nothing.

Two witnesses, so that neither a statement nor a changed row slips by: every INSERT, UPDATE
or DELETE the database client is given while a GET is being answered (tortoise logs each
statement it sends, on SQLite and PostgreSQL alike), and every table's rows compared before
and after each role's walk. The routes come from the router: a GET route added later is
walked too.
"""

from __future__ import annotations

import contextvars
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from tortoise import Tortoise, connections

from node.app import create_app
from node.config import Config
from node.models import Account
from node.services.tokens import create_token
from tests.support.pages import page, sign_in_as
from tests.support.route_walk import seed, walk_every_get

WRITE = re.compile(r"\b(INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|REPLACE\s+INTO)\b", re.I)
ANSWERING: contextvars.ContextVar[str | None] = contextvars.ContextVar("answering", default=None)
# tables the node's own workers (delivery, inbox, mail, their pruning) write to in the background
QUEUES = frozenset({"delivery", "delivery_payload", "inbox_item", "outgoing_mail"})


class WritesDuringGets(logging.Handler):
    """Records each writing statement sent while a GET is being answered, with that GET."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.writes: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        answering = ANSWERING.get()
        statement = str(record.msg % record.args if record.args else record.msg)
        if answering is not None and WRITE.search(statement):
            self.writes.append(f"{answering}: {statement[:160]}")


@web.middleware
async def mark_gets(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Mark the statements sent while a GET is answered (tasks it starts inherit the mark)."""
    if request.method != "GET":
        return await handler(request)
    token = ANSWERING.set(f"GET {request.path_qs} ({request.headers.get('Accept', '')})")
    try:
        return await handler(request)
    finally:
        ANSWERING.reset(token)


@contextmanager
def statements_watched() -> Iterator[WritesDuringGets]:
    logger = logging.getLogger("tortoise.db_client")
    handler, level = WritesDuringGets(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


async def every_row() -> dict[str, list[str]]:
    """Each table's rows (but the queues'), as sorted text: what a write would change."""
    connection = connections.get("default")
    tables = {
        model._meta.db_table for app in Tortoise.apps.values() for model in app.values()
    } - QUEUES
    return {
        table: sorted(
            repr(sorted(row.items()))
            for row in await connection.execute_query_dict(f'SELECT * FROM "{table}"')
        )
        for table in sorted(tables)
    }


@pytest.fixture
async def watched(
    node_config: Config, aiohttp_client: Any, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[TestClient]:
    """The node's application with the GET marker as its innermost middleware; its timed
    poll-closing pass waits an hour after the first, so the overdue poll stays open for GETs."""
    monkeypatch.setattr("node.workers.poll_closing.CHECK_SECONDS", 3600.0)
    app = create_app(node_config)
    app.middlewares.append(mark_gets)
    yield await aiohttp_client(app)


async def test_no_get_route_writes_even_with_an_overdue_poll_to_close(watched: TestClient) -> None:
    values = await seed(watched)
    for handle in (None, "dana", "ada"):
        watched.session.cookie_jar.clear()
        if handle is not None:
            await sign_in_as(watched, handle)
            await page(watched, "/")
        token = await create_token(handle or "alice")
        before = await every_row()
        with statements_watched() as statements:
            asked = await walk_every_get(watched, values, token)
        after = await every_row()
        assert asked > 100
        assert not statements.writes, "\n".join(statements.writes)
        changed = [table for table in before if before[table] != after[table]]
        assert not changed, f"rows changed while {handle or 'a visitor'} only read: {changed}"
    # both witnesses see a write: a statement sent while a GET is answered, and its row
    before = await every_row()
    with statements_watched() as statements:
        marked = ANSWERING.set("GET /witness")
        try:
            await Account.filter(actor__handle="dana").update(session_epoch=7)
        finally:
            ANSWERING.reset(marked)
    assert any('UPDATE "account"' in write for write in statements.writes), statements.writes
    assert before["account"] != (await every_row())["account"]
