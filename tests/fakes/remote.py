"""A fake remote fediverse server on aiohttp: serves recorded payloads, records what it is sent.

Modelled on GoToSocial's test rig (``testrig/transportcontroller.go``), but on
real HTTP: flow tests start real Townhall node processes and one or more
``FakeRemote`` servers on loopback, and the two federate as real servers do.

    async with FakeRemote(software="mastodon") as remote:
        alice = remote.add_actor("alice")
        follow = remote.follow("alice", node_actor_id)
        status, _ = await remote.deliver("alice", node_inbox, follow)
        accept = await remote.wait_for(lambda r: r.json.get("type") == "Accept")
        assert accept.signature.signer_is_actor

The actor documents and activities are the recorded payloads of real servers
listed in ``tests/fixtures/remote/FIXTURES.md`` (Mastodon, Lemmy, GoToSocial,
Pleroma, Misskey …), moved onto the fake's address: see ``actors.py`` and
``activities.py``. Signatures are made and checked with ``federation.signatures``
(``signing.py``, ``verification.py``).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import socket
import time
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Literal, Self

import aiohttp
from aiohttp import web
from multidict import CIMultiDictProxy

from federation.signatures import SigningKey
from tests.fakes import actors
from tests.fakes.activities import ActivityFactory
from tests.fakes.actors import FakeActor, Shape, shared_key
from tests.fakes.outbox import Outbox
from tests.fakes.recording import RequestLog, json_object, parse_json
from tests.fakes.signing import DigestCase, Scheme, SignOptions, Tamper, sign_get, sign_post
from tests.fakes.site import (
    AS2_CONTENT_TYPE,
    ObjectStore,
    discovery_response,
    text_response,
)
from tests.fakes.verification import (
    ACTIVITY_ACCEPT,
    HttpKeyResolver,
    SignatureCheck,
    check_signature,
    claimed_key_id,
    not_checked,
)

REQUEST_TIMEOUT = 10.0
# How long a signed GET waits for our own fetch of its key before we serve it
# unverified (the signer may be fetching our key to answer that very fetch).
CYCLE_GRACE = 0.5
CLOSE_GRACE = 1.0  # how long closing waits for signature checks still running
# How long closing waits for requests being handled. Short, because aiohttp 3.14
# waits this long for a connection accepted just before shutdown that has not
# sent its request yet (seen when a peer's key fetch races our teardown).
SHUTDOWN_TIMEOUT = 0.1
_WELL_KNOWN = ("/.well-known/", "/nodeinfo/")


class FakeRemote(RequestLog, Outbox):
    """A fake fediverse server on 127.0.0.x: actors, objects, inboxes that record."""

    def __init__(
        self,
        software: str = "mastodon",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        require_signed_fetch: bool = False,
        host_meta: bool = False,
        timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        """Configure; the server starts in ``__aenter__``.

        ``require_signed_fetch`` makes GETs of actors and objects answer 401 unless
        validly signed (GoToSocial, bovine; Mastodon in authorized-fetch mode).
        ``host_meta`` serves /.well-known/host-meta (404 by default, as some servers do).
        """
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"a FakeRemote listens on loopback only, not {host}")
        super().__init__()
        self.software = software
        self.require_signed_fetch = require_signed_fetch
        self.host_meta = host_meta
        self.timeout = timeout
        self.nodeinfo: dict[str, Any] | None = None  # a recorded NodeInfo to serve instead
        self.actors: dict[str, FakeActor] = {}
        self.inbox_status = 202
        self.inbox_script: list[int] = []  # statuses answered, in order, before inbox_status
        self.inbox_enabled = True  # False: inboxes answer 404
        self.reject_invalid_signatures = False  # True: inboxes answer 401 to invalid ones
        self.activities = ActivityFactory(software)
        self._bind = (host, port)
        self.objects = ObjectStore()
        self._socket: socket.socket | None = None
        self._host: str | None = None
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._resolver: HttpKeyResolver | None = None
        self._later: set[asyncio.Task[None]] = set()  # signature checks of answered GETs

    # --- lifecycle -------------------------------------------------------------

    async def __aenter__(self) -> Self:
        """Start listening."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop listening and close every connection."""
        await self.close()

    async def start(self) -> None:
        """Bind a socket, start the server and the HTTP client."""
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(self._bind)
        address, port = self._socket.getsockname()[:2]
        self._host = f"{address}:{port}"
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT)
        await self._runner.setup()
        await web.SockSite(self._runner, self._socket).start()
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.timeout), trust_env=False
        )
        self._resolver = HttpKeyResolver(self._session, self._fetch_signer)

    async def close(self) -> None:
        """Finish pending signature checks, stop the server, close the client."""
        await self._drain_checks()
        if self._runner is not None:
            await self._runner.cleanup()  # closes the listening socket too
            self._runner = None
        await self._drain_checks()  # those started by the last requests served
        if self._resolver is not None:
            await self._resolver.close()
            self._resolver = None
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    async def _drain_checks(self) -> None:
        deadline = time.monotonic() + CLOSE_GRACE
        while self._later and time.monotonic() < deadline:
            await asyncio.wait(set(self._later), timeout=deadline - time.monotonic())
        for task in list(self._later):
            task.cancel()
        await asyncio.gather(*self._later, return_exceptions=True)

    @property
    def host(self) -> str:
        """``127.0.0.1:PORT``: the authority part of every URL of this server."""
        if self._host is None:
            raise RuntimeError("the FakeRemote is not started: use `async with FakeRemote()`")
        return self._host

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{self.host}"

    # --- actors and objects ----------------------------------------------------

    def add_actor(
        self,
        name: str,
        *,
        shape: Shape | None = None,
        shared_inbox: bool | None = None,
        key_type: Literal["rsa"] = "rsa",
        display_name: str | None = None,
    ) -> FakeActor:
        """Create an actor whose document is ``shape``'s recording, carrying our key.

        ``shape`` defaults to this software's person; ``shared_inbox`` None keeps
        the recording's choice. Every actor signs with the same per-process key.
        """
        if key_type != "rsa":
            raise ValueError(f"key type {key_type!r} is not supported")
        chosen: Shape = shape or actors.DEFAULT_SHAPES.get(self.software, "mastodon")
        document = actors.build_actor_document(
            chosen,
            self.base_url,
            name,
            shared_key(),
            shared_inbox=shared_inbox,
            display_name=display_name,
        )
        actor = FakeActor(name, chosen, document, shared_key())
        self.actors[name] = actor
        self.publish(document)
        self._publish_collections(document)
        return actor

    def actor(self, actor: str | FakeActor) -> FakeActor:
        """The actor of that name (an actor is returned as is)."""
        if isinstance(actor, FakeActor):
            return actor
        try:
            return self.actors[actor]
        except KeyError:
            raise KeyError(f"no actor {actor!r}; this fake has {sorted(self.actors)}") from None

    def publish(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """Serve ``document`` at its id from now on (replacing any earlier version)."""
        return self.objects.publish(document)

    def gone(self, object_id: str) -> None:
        """Answer 410 Gone with a Tombstone for ``object_id`` from now on."""
        self.objects.gone(object_id)

    def _publish_collections(self, document: Mapping[str, Any]) -> None:
        names = [*actors.COLLECTION_PROPERTIES]
        names += ["attributedTo"] if document.get("type") == "Group" else []  # Lemmy moderators
        for name in names:
            url = document.get(name)
            if isinstance(url, str) and url.startswith(self.base_url):
                self.publish(actors.empty_collection(url))

    def _inboxes(self) -> set[str]:
        found = {actor.inbox for actor in self.actors.values()}
        return found | {a.shared_inbox for a in self.actors.values() if a.shared_inbox}

    # --- sending ---------------------------------------------------------------

    async def deliver(
        self,
        actor: str | FakeActor,
        inbox_url: str,
        activity: Mapping[str, Any] | bytes,
        *,
        digest_case: DigestCase = "SHA-256",
        algorithm: str | None = "rsa-sha256",
        scheme: Scheme = "cavage",
        extra_signed_headers: Sequence[str] = (),
        date_offset: float = 0.0,
        signed_by: str | FakeActor | None = None,
        tamper: Tamper | None = None,
        content_type: str = AS2_CONTENT_TYPE,
    ) -> tuple[int, str]:
        """POST ``activity`` to an inbox, signed as ``actor`` (or ``signed_by``); (status, text).

        The knobs produce the quirks of real servers (``digest_case``, ``algorithm``
        hs2019 or None, ``extra_signed_headers`` such as user-agent, ``scheme``
        rfc9421) and hostile variants: ``date_offset`` seconds off the clock,
        ``signed_by`` another actor, ``tamper`` (see ``signing.Tamper``).
        """
        sender = self.actor(actor)
        signer = self.actor(signed_by) if signed_by is not None else sender
        key = signer.signing_key
        if tamper == "wrong_key":  # the right keyId, somebody else's private key
            key = SigningKey(key.key_id, shared_key(1))
        body = activity if isinstance(activity, bytes) else json.dumps(activity).encode("utf-8")
        options = SignOptions(
            scheme, algorithm, digest_case, tuple(extra_signed_headers), date_offset, tamper
        )
        headers = {"Content-Type": content_type, "User-Agent": self._user_agent()}
        headers, body = sign_post(inbox_url, headers, body, key, options)
        async with self._client().post(inbox_url, data=body, headers=headers) as response:
            return response.status, await response.text()

    async def fetch(
        self,
        actor: str | FakeActor | None,
        url: str,
        *,
        accept: str = ACTIVITY_ACCEPT,
        scheme: Scheme = "cavage",
    ) -> tuple[int, CIMultiDictProxy[str], Any]:
        """GET ``url`` signed as ``actor`` (None: unsigned); (status, headers, parsed JSON).

        The JSON is None when the body is not JSON.
        """
        headers = {"Accept": accept, "User-Agent": self._user_agent()}
        if actor is not None:
            headers = sign_get(url, headers, self.actor(actor).signing_key, scheme)
        async with self._client().get(url, headers=headers) as response:
            body = await response.read()
            return response.status, response.headers, parse_json(body)

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("the FakeRemote is not started: use `async with FakeRemote()`")
        return self._session

    def _user_agent(self) -> str:
        return f"FakeRemote ({self.software}; +{self.base_url}/)"

    def _fetch_signer(self) -> SigningKey | None:
        first = next(iter(self.actors.values()), None)
        return first.signing_key if first else None

    # --- serving ---------------------------------------------------------------

    @property
    def where(self) -> str:
        """This server, in failure messages."""
        return self.base_url if self._host is not None else "a FakeRemote never started"

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        url = self.base_url + request.raw_path
        if request.method == "POST" and url.split("?", 1)[0] in self._inboxes():
            return await self._inbox(request, url, body)
        if request.path.startswith(_WELL_KNOWN):
            return self._answer(request, url, body, _DISCOVERY_UNCHECKED, self._discovery(request))
        if request.method in ("GET", "HEAD"):
            return await self._get(request, url, body)
        return self._answer(request, url, body, _NOT_CHECKED, text_response(405, "no"))

    async def _inbox(self, request: web.Request, url: str, body: bytes) -> web.StreamResponse:
        actor = _actor_of(json_object(body))
        check = await check_signature("POST", url, request.headers, body, self._keys(), actor)
        status = self._inbox_answer(check)
        response = web.Response(status=status, text="" if status < 300 else f"HTTP {status}")
        return self._answer(request, url, body, check, response, inbox=url.split("?", 1)[0])

    def _inbox_answer(self, check: SignatureCheck) -> int:
        if not self.inbox_enabled:
            return 404
        if self.reject_invalid_signatures and not check.valid:
            return 401
        return self.inbox_script.pop(0) if self.inbox_script else self.inbox_status

    async def _get(self, request: web.Request, url: str, body: bytes) -> web.StreamResponse:
        response = self.objects.response(url, request.headers.get("Accept", ""))
        if self.require_signed_fetch:
            check = await self._check_get(request, url)
            if not (check.valid or check.error == "NotChecked"):
                response = text_response(401, "sign your GET")
            return self._answer(request, url, body, check, response)
        if claimed_key_id(request.headers) is None:  # nothing to fetch: check it now
            return self._answer(request, url, body, await self._check_get(request, url), response)
        # Nobody waits for this verdict: answer now, record once the key is fetched,
        # so a signer that checks our key before answering us never waits on us.
        task = asyncio.create_task(self._check_then_record(request, url, response.status))
        self._later.add(task)
        task.add_done_callback(self._later.discard)
        return response

    async def _check_then_record(self, request: web.Request, url: str, status: int) -> None:
        check = await self._check_get(request, url)
        self.record(request.method, request.raw_path, url, request.headers, b"", check, status)

    async def _check_get(self, request: web.Request, url: str) -> SignatureCheck:
        key_id = claimed_key_id(request.headers)
        if key_id is not None and not await self._keys().settled(key_id, CYCLE_GRACE):
            reason = f"our fetch of {key_id} is in progress (an authorized-fetch cycle)"
            return not_checked(reason, key_id, None)
        return await check_signature(request.method, url, request.headers, b"", self._keys(), None)

    def _discovery(self, request: web.Request) -> web.Response:
        return discovery_response(
            request,
            base_url=self.base_url,
            host=self.host,
            software=self.software,
            actors=self.actors,
            host_meta=self.host_meta,
            recorded_nodeinfo=self.nodeinfo,
        )

    def _answer(
        self,
        request: web.Request,
        url: str,
        body: bytes,
        check: SignatureCheck,
        response: web.Response,
        *,
        inbox: str | None = None,
    ) -> web.Response:
        """Record the request with the answer it gets, and return that answer."""
        path = request.raw_path
        self.record(request.method, path, url, request.headers, body, check, response.status, inbox)
        return response

    def _keys(self) -> HttpKeyResolver:
        if self._resolver is None:
            raise RuntimeError("the FakeRemote is not started")
        return self._resolver


_NOT_CHECKED = not_checked("the fake does not check this kind of request", None, None)
_DISCOVERY_UNCHECKED = not_checked("discovery endpoints are not checked", None, None)


def _actor_of(document: Mapping[str, Any]) -> str | None:
    actor = document.get("actor")
    if isinstance(actor, dict):
        actor = actor.get("id")
    return actor if isinstance(actor, str) else None
