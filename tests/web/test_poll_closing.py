"""Pages that write: a poll past its end time is shown closed to every reader at once, but
only the node's timed pass stores the closing (no GET writes)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from node.app import create_app
from node.config import Config
from node.models import Object, Poll
from tests.support.api import BASE, get
from tests.support.nodes import eventually
from tests.web.test_polls import proposal_and_poll


@pytest.fixture
async def quick_closing(
    node_config: Config, aiohttp_client: Any, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[TestClient]:
    """The node's application, its poll-closing pass every tenth of a second."""
    monkeypatch.setattr("node.workers.poll_closing.CHECK_SECONDS", 0.1)
    yield await aiohttp_client(create_app(node_config))


async def stored(question: str) -> tuple[datetime | None, dict[str, Any]]:
    poll = await Poll.get(object__uri=question)
    row = await Object.get(uri=question)
    return poll.closed_at, row.document


async def test_reading_an_overdue_poll_shows_it_closed_and_writes_nothing(
    client: TestClient,
) -> None:
    _, poll = await proposal_and_poll(client)
    end = datetime.now(UTC) - timedelta(minutes=1)
    await Poll.all().update(end_time=end)  # time passes
    status, served = await get(client, poll["id"])
    assert status == 200 and "closed" in served
    results = await (await client.get(poll["id"].removeprefix(BASE) + "/results")).json()
    assert results["closed"] is True
    page = await client.get(poll["inReplyTo"].removeprefix(BASE), headers={"Accept": "text/html"})
    assert page.status == 200
    closed_at, document = await stored(poll["id"])
    assert closed_at is None and "closed" not in document


async def test_the_node_closes_an_overdue_poll_by_itself(quick_closing: TestClient) -> None:
    _, poll = await proposal_and_poll(quick_closing)
    end = datetime.now(UTC) - timedelta(minutes=1)
    await Poll.all().update(end_time=end)
    closed_at, document = await eventually(
        lambda: stored(poll["id"]), lambda found: found[0] is not None, what="the poll closed"
    )
    assert closed_at == end
    assert "closed" in document and document["votersCount"] == 0
