"""A loopback development node reaches loopback, as the README says, and no other private range."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from federation.addresses import is_loopback_url
from federation.delivery import ContextSigner
from federation.errors import ForbiddenAddress
from node.appkeys import FETCH_CLIENT
from node.config import Config, FederationConfig
from node.http_client import address_policy, node_client

PRIVATE_NOT_LOOPBACK = [
    "http://10.0.0.1/actor",
    "http://172.16.0.5/actor",
    "http://192.168.1.1/actor",
    "http://169.254.169.254/latest/meta-data",
    "http://100.64.0.1/actor",
    "http://[fc00::1]/actor",
    "http://[fe80::1]/actor",
    "http://[::ffff:10.0.0.1]/actor",
]


def loopback_node(tmp_path: Path, *, allow_private: bool = False) -> Config:
    return Config(
        data_dir=tmp_path,
        url="http://127.0.0.1:8000",
        database_url="sqlite://:memory:",
        federation=FederationConfig(allow_private_addresses=allow_private),
    )


async def note_server() -> TestServer:
    async def note(request: web.Request) -> web.Response:
        body = {"id": str(request.url), "type": "Note", "content": "hi"}
        return web.json_response(body, content_type="application/activity+json")

    async def accepted(request: web.Request) -> web.Response:
        return web.Response(status=202)

    app = web.Application()
    app.router.add_get("/note", note)
    app.router.add_post("/inbox", accepted)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return server


async def test_a_loopback_node_refuses_private_ranges_other_than_loopback(
    client: TestClient, node_config: Config
) -> None:
    assert is_loopback_url(node_config.url)
    fetcher = client.app[FETCH_CLIENT]
    async with node_client(node_config, ContextSigner()) as sender:
        for url in PRIVATE_NOT_LOOPBACK:
            with pytest.raises(ForbiddenAddress):
                await fetcher.fetch_object(url)
            with pytest.raises(ForbiddenAddress):
                await sender.post_activity(url, b"{}")


async def test_a_loopback_node_still_reaches_loopback(
    client: TestClient, node_config: Config
) -> None:
    server = await note_server()
    try:
        async with node_client(node_config, ContextSigner()) as sender:
            for host in ("127.0.0.1", "localhost"):
                fetched = await client.app[FETCH_CLIENT].fetch_object(
                    f"http://{host}:{server.port}/note"
                )
                assert fetched.document["type"] == "Note"
                await sender.post_activity(f"http://{host}:{server.port}/inbox", b"{}")
    finally:
        await server.close()


def test_an_operator_who_allows_private_addresses_gets_every_range(tmp_path: Path) -> None:
    from ipaddress import ip_address

    policy = address_policy(loopback_node(tmp_path, allow_private=True))
    assert all(policy(ip_address(host), 80) for host in ("10.0.0.1", "192.168.1.1", "fc00::1"))
