"""Fetches and deliveries introduce themselves alike: one client factory, one User-Agent."""

from __future__ import annotations

from importlib.metadata import version

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from node.appkeys import DELIVERY_WAKEUP, FETCH_CLIENT
from node.services.actors import get_organisation
from node.services.delivery_queue import enqueue, outbox_transaction
from tests.support.api import BASE
from tests.support.inboxes import wait_until


async def recording_server(seen: list[tuple[str, str]]) -> TestServer:
    """A remote server on loopback noting each request's method and User-Agent."""

    async def note(request: web.Request) -> web.Response:
        seen.append((request.method, request.headers.get("User-Agent", "")))
        body = {"id": str(request.url), "type": "Note", "content": "hi"}
        return web.json_response(body, content_type="application/activity+json")

    async def inbox(request: web.Request) -> web.Response:
        await request.read()
        seen.append((request.method, request.headers.get("User-Agent", "")))
        return web.Response(status=202)

    app = web.Application()
    app.router.add_get("/note", note)
    app.router.add_post("/inbox", inbox)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return server


async def test_a_fetch_and_a_delivery_send_the_same_user_agent(client: TestClient) -> None:
    seen: list[tuple[str, str]] = []
    server = await recording_server(seen)
    try:
        await client.app[FETCH_CLIENT].fetch_object(f"http://127.0.0.1:{server.port}/note")
        organisation = await get_organisation()
        assert organisation is not None
        activity = {
            "id": f"{BASE}/activities/ua",
            "type": "Create",
            "actor": organisation.uri,
            "object": {"id": f"{BASE}/objects/ua", "type": "Note", "content": "hi"},
        }
        async with outbox_transaction(client.app[DELIVERY_WAKEUP]) as connection:
            inboxes = [f"http://127.0.0.1:{server.port}/inbox"]
            await enqueue(activity, organisation, inboxes, connection=connection)
        assert await wait_until(lambda: any(method == "POST" for method, _ in seen), 10)
    finally:
        await server.close()
    expected = f"Townhall/{version('townhall')} (+{BASE})"
    assert seen == [("GET", expected), ("POST", expected)]
