"""The client API from in-process tests: members with tokens, posting to outboxes, reading."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from node.models import Activity, Delivery, Object, Reaction
from node.services.members import add_member
from node.services.tokens import create_token
from node.urls import NodeUrls

AS2 = "application/activity+json"
BASE = "http://127.0.0.1:8000"  # the URL of the node made by the `node_config` fixture
ORG = f"{BASE}/actors/testorg"


async def token_for(handle: str) -> str:
    """Add a member and return a new bearer token for it."""
    await add_member(NodeUrls(BASE), handle)
    return await create_token(handle)


def headers(token: str) -> dict[str, str]:
    """Headers of a client API request with `token`."""
    return {"Authorization": f"Bearer {token}", "Content-Type": AS2, "Accept": AS2}


async def send(
    client: TestClient, handle: str, token: str, body: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    """POST to an actor's outbox: (status, answer)."""
    response = await client.post(f"/actors/{handle}/outbox", json=body, headers=headers(token))
    return response.status, dict(await response.json(content_type=None))


async def post(client: TestClient, handle: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST to an actor's outbox and insist on 201; the activity."""
    status, answer = await send(client, handle, token, body)
    assert status == 201, answer
    return answer


async def get(client: TestClient, url: str) -> tuple[int, Any]:
    """GET a node URL as ActivityStreams: (status, JSON)."""
    response = await client.get(url.removeprefix(BASE), headers={"Accept": AS2})
    return response.status, await response.json(content_type=None)


async def written() -> tuple[int, int, int, int]:
    """Rows a submission could write: objects, activities, deliveries, reactions."""
    return (
        await Object.all().count(),
        await Activity.all().count(),
        await Delivery.all().count(),
        await Reaction.all().count(),
    )
