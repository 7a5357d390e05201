"""At its connection limit the node makes room by dropping a connection that is waiting on its
client: idle or slow headers first, then a request whose body is still trickling in. A request
the node is working on is never dropped for a newcomer."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import ClientSession, web

from node.serving_limits import ConnectionGuard

LIMIT = 4


Handler = Callable[[web.Request], Awaitable[web.Response]]


async def healthz(request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def serve(handler: Handler) -> tuple[web.AppRunner, int, ConnectionGuard]:
    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_post("/upload", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    assert runner.server is not None
    guard = ConnectionGuard(LIMIT)
    guard.install(runner.server)
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, port, guard


async def slow_body(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{")
    await writer.drain()
    return reader, writer


async def test_a_request_gets_in_while_every_connection_is_a_body_trickling_in() -> None:
    async def read_all(request: web.Request) -> web.Response:
        return web.Response(text=str(len(await request.read())))

    runner, port, guard = await serve(read_all)
    slow = [await slow_body(port) for _ in range(LIMIT * 2)]
    try:
        await asyncio.sleep(0.2)  # every slow request has reached the handler
        async with ClientSession() as session, session.get(f"http://127.0.0.1:{port}/healthz") as r:
            assert r.status == 200
        assert guard.evicted >= LIMIT + 1
    finally:
        for _reader, writer in slow:
            writer.close()
        await runner.cleanup()


async def test_requests_the_node_is_working_on_are_not_dropped_for_a_newcomer() -> None:
    release = asyncio.Event()

    async def working(request: web.Request) -> web.Response:
        await request.read()
        await release.wait()
        return web.Response(text="done")

    runner, port, guard = await serve(working)
    try:
        async with ClientSession() as session:
            busy = [
                asyncio.ensure_future(session.post(f"http://127.0.0.1:{port}/upload", data=b"x"))
                for _ in range(LIMIT)
            ]
            await asyncio.sleep(0.2)
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert await reader.read() == b""  # the newcomer is closed unanswered
            writer.close()
            release.set()
            for response in await asyncio.gather(*busy):
                assert response.status == 200
                response.release()
        assert guard.evicted == 0
    finally:
        await runner.cleanup()
