"""A remote server's inboxes for delivery tests: real HTTP on 127.0.0.1, signatures checked.

Every POST is verified with `federation.signatures.verify_request` against the public keys
the test registered, then answered with the next scripted response for its path (202 when
the script is empty); accepted POSTs are recorded as `Arrival`s.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from federation.errors import SignatureError, UnknownKey
from federation.signatures import ResolvedKey, verify_request


@dataclass(frozen=True)
class Reply:
    """A scripted answer: status, headers, body, and how long to stall before answering."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    body: str = ""


@dataclass(frozen=True)
class Arrival:
    """One POST the inbox answered, with when it came (monotonic seconds)."""

    path: str
    activity_id: str
    status: int
    at: float
    key_id: str


class StaticKeys:
    """A key resolver over a fixed {key id: (owner, public key PEM)} map."""

    def __init__(self) -> None:
        self.keys: dict[str, tuple[str, str]] = {}

    def add(self, key_id: str, owner: str, public_key_pem: str) -> None:
        """Know one more key."""
        self.keys[key_id] = (owner, public_key_pem)

    async def __call__(self, key_id: str, *, refresh: bool) -> ResolvedKey:
        """The key, or UnknownKey."""
        if key_id not in self.keys:
            raise UnknownKey(f"no key {key_id}")
        owner, pem = self.keys[key_id]
        return ResolvedKey(key_id=key_id, owner=owner, public_key_pem=pem)


class RecordingInbox:
    """An aiohttp server on 127.0.0.1 whose every path is an inbox."""

    def __init__(self, keys: StaticKeys, port: int = 0, host: str = "127.0.0.1") -> None:
        self.keys = keys
        self.port = port
        self.host = host
        self.arrivals: list[Arrival] = []
        self.posts: list[float] = []  # every POST's time, answered or refused
        self.client_ports: list[int] = []  # the sender's port of every POST: its connection
        self.in_flight = 0
        self.most_at_once = 0
        self.bad_signatures: list[str] = []
        self.scripts: dict[str, list[Reply]] = {}
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._receive)
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=0.5
        )

    async def start(self) -> RecordingInbox:
        """Listen (on a free port unless one was given)."""
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        """Stop listening."""
        await self._runner.cleanup()

    def url(self, path: str) -> str:
        """An absolute URL on this server."""
        return f"http://{self.host}:{self.port}{path}"

    def script(self, path: str, *replies: Reply) -> None:
        """Answer the next POSTs to `path` with `replies`, then 202."""
        self.scripts.setdefault(path, []).extend(replies)

    def delivered(self) -> Counter[tuple[str, str]]:
        """How often each (path, activity id) was accepted with a 2xx."""
        return Counter((a.path, a.activity_id) for a in self.arrivals if 200 <= a.status < 300)

    async def _receive(self, request: web.Request) -> web.Response:
        self.in_flight += 1
        self.most_at_once = max(self.most_at_once, self.in_flight)
        try:
            return await self._answer(request)
        finally:
            self.in_flight -= 1

    async def _answer(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.posts.append(time.monotonic())
        peer = request.transport.get_extra_info("peername") if request.transport else None
        self.client_ports.append(int(peer[1]) if peer else 0)
        try:
            verified = await verify_request(
                request.method, str(request.url), request.headers, body, self.keys
            )
        except SignatureError as error:
            self.bad_signatures.append(f"{type(error).__name__}: {error.reason}")
            return web.Response(status=401)
        script = self.scripts.get(request.path) or []
        reply = script.pop(0) if script else Reply(202)
        activity_id = str(json.loads(body).get("id"))
        self.arrivals.append(
            Arrival(request.path, activity_id, reply.status, time.monotonic(), verified.key_id)
        )
        if reply.delay:
            await asyncio.sleep(reply.delay)
        return web.Response(status=reply.status, headers=reply.headers, text=reply.body)


async def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.02) -> bool:
    """Poll `condition` until it holds or `timeout` seconds pass; return whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(step)
    return condition()
