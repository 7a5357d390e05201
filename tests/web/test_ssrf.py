"""A node whose URL is public never connects to private or loopback addresses."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from federation.keys import generate_private_key
from federation.signatures import SigningKey
from federation.signing import sign_request
from node.app import create_app
from node.install import NodeSettings, initialise
from node.models import Object, Reaction
from node.services.members import add_member
from node.services.tokens import create_token
from node.urls import NodeUrls

AS2 = "application/activity+json"
PUBLIC_URL = "https://townhall.example"


class CountingListener:
    """A server on 127.0.0.1 that counts every connection made to it."""

    def __init__(self) -> None:
        self.connections = 0
        self.runner: web.AppRunner | None = None
        self.server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        async def anything(request: web.Request) -> web.Response:
            return web.json_response({"id": str(request.url), "type": "Person", "inbox": "x"})

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", anything)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        protocol_factory = self.runner.server
        assert protocol_factory is not None

        def counting_factory() -> asyncio.BaseProtocol:
            self.connections += 1
            return protocol_factory()

        self.server = await asyncio.get_running_loop().create_server(
            counting_factory, "127.0.0.1", 0
        )
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
        if self.runner is not None:
            await self.runner.cleanup()


@pytest.fixture
async def listener() -> AsyncIterator[CountingListener]:
    counting = CountingListener()
    await counting.start()
    yield counting
    await counting.stop()


@pytest.fixture
async def public_node(
    tmp_path: Path, node_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, aiohttp_client
) -> TestClient:  # type: ignore[no-untyped-def]
    for name, value in node_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TOWNHALL_ALLOW_PRIVATE_ADDRESSES", raising=False)
    config = await initialise(tmp_path / "data", NodeSettings(PUBLIC_URL, "Public", "pub"))
    client: TestClient = await aiohttp_client(create_app(config))
    return client


async def member_headers() -> dict[str, str]:
    await add_member(NodeUrls(PUBLIC_URL), "alice")
    token = await create_token("alice")
    return {"Authorization": f"Bearer {token}", "Content-Type": AS2, "Accept": AS2}


def private_forms(port: int) -> list[str]:
    return [
        f"http://127.0.0.1:{port}/actor",
        f"http://localhost:{port}/actor",
        f"http://[::ffff:127.0.0.1]:{port}/actor",
        f"http://[::127.0.0.1]:{port}/actor",
        f"http://2130706433:{port}/actor",
        f"http://0x7f000001:{port}/actor",
        f"http://0177.0.0.1:{port}/actor",
        f"http://127.1:{port}/actor",
    ]


async def test_follow_of_private_addresses_never_connects(
    public_node: TestClient, listener: CountingListener
) -> None:
    headers = await member_headers()
    for target in private_forms(listener.port):
        response = await public_node.post(
            "/actors/alice/outbox", json={"type": "Follow", "object": target}, headers=headers
        )
        assert response.status in (400, 404), (target, await response.text())
    handle = f"@someone@127.0.0.1:{listener.port}"
    response = await public_node.post(
        "/actors/alice/outbox", json={"type": "Follow", "object": handle}, headers=headers
    )
    assert response.status in (400, 404)
    assert listener.connections == 0


async def test_liking_sharing_or_replying_to_private_addresses_never_connects(
    public_node: TestClient, listener: CountingListener
) -> None:
    headers = await member_headers()
    before = (await Object.all().count(), await Reaction.all().count())
    for target in private_forms(listener.port):
        for body in (
            {"type": "Like", "object": target},
            {"type": "Announce", "object": target},
            {"type": "Note", "content": "hi", "inReplyTo": target},
        ):
            response = await public_node.post("/actors/alice/outbox", json=body, headers=headers)
            assert response.status in (400, 404), (body, await response.text())
    assert listener.connections == 0
    assert (await Object.all().count(), await Reaction.all().count()) == before


async def test_proxy_of_private_addresses_never_connects(
    public_node: TestClient, listener: CountingListener
) -> None:
    headers = await member_headers()
    del headers["Content-Type"]
    for target in private_forms(listener.port):
        response = await public_node.post("/proxy", data={"id": target}, headers=headers)
        assert response.status == 404, (target, await response.text())
    assert listener.connections == 0


async def test_signature_key_on_a_private_address_is_never_fetched(
    public_node: TestClient, listener: CountingListener
) -> None:
    actor = f"http://127.0.0.1:{listener.port}/actor"
    body = json.dumps(
        {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": f"{actor}/follow/1",
            "type": "Follow",
            "actor": actor,
            "object": f"{PUBLIC_URL}/actors/pub",
        }
    )
    key = SigningKey(f"{actor}#main-key", generate_private_key())
    headers = sign_request("POST", f"{PUBLIC_URL}/inbox", {"Content-Type": AS2}, body.encode(), key)
    headers.pop("Host")
    response = await public_node.post("/inbox", data=body, headers=headers)
    assert response.status == 401
    assert listener.connections == 0


async def test_the_same_listener_is_reachable_when_the_operator_allows_it(
    listener: CountingListener,
    tmp_path: Path,
    node_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    aiohttp_client,
) -> None:  # type: ignore[no-untyped-def]
    """Control: with allow_private_addresses the listener does get a connection."""
    for name, value in node_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TOWNHALL_ALLOW_PRIVATE_ADDRESSES", "1")
    config = await initialise(tmp_path / "data", NodeSettings(PUBLIC_URL, "Public", "pub"))
    client = await aiohttp_client(create_app(config))
    headers = await member_headers()
    del headers["Content-Type"]
    await client.post("/proxy", data={"id": f"http://127.0.0.1:{listener.port}/x"}, headers=headers)
    assert listener.connections >= 1
