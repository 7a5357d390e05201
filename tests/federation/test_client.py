"""FederationClient against real aiohttp servers on 127.0.0.1 that count connections."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from ipaddress import IPv4Address, IPv6Address
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from federation.cavage import parse_params
from federation.client import (
    ACTIVITY_ACCEPT,
    FederationClient,
    parse_retry_after,
)
from federation.delivery import ContextSigner
from federation.errors import (
    BadContentType,
    BadScheme,
    BadStatus,
    FetchError,
    FetchTimeout,
    ForbiddenAddress,
    IdMismatch,
    InvalidJSON,
    NetworkError,
    ResponseTooLarge,
    TooManyRedirects,
)
from federation.keys import generate_private_key
from federation.signatures import SigningKey
from federation.signing_process import SigningProcess

AS2 = "application/activity+json"
MiB = 1024 * 1024


class CountingServer:
    """An aiohttp app on 127.0.0.1 that counts accepted TCP connections and requests."""

    def __init__(self) -> None:
        self.connections = 0
        self.requests: list[web.Request] = []
        self.release = asyncio.Event()
        self.port = 0
        app = web.Application(middlewares=[self._record])
        app.router.add_route("*", "/obj", self._obj)
        app.router.add_get("/claims", self._claims)
        app.router.add_get("/redirect", self._redirect)
        app.router.add_get("/chain/{n}", self._chain)
        app.router.add_get("/raw", self._raw)
        app.router.add_get("/deep", self._deep)
        app.router.add_get("/gzip-bomb", self._gzip_bomb)
        app.router.add_get("/stream", self._stream)
        app.router.add_get("/declared-large", self._declared_large)
        app.router.add_get("/slow", self._slow)
        app.router.add_post("/slow", self._slow)
        app.router.add_post("/inbox", self._inbox)
        self._runner = web.AppRunner(app, handle_signals=False)

    async def start(self) -> None:
        await self._runner.setup()
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._protocol, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.release.set()
        self._server.close()
        await self._runner.cleanup()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def _protocol(self) -> asyncio.BaseProtocol:
        self.connections += 1
        assert self._runner.server is not None
        return self._runner.server()

    @web.middleware
    async def _record(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.requests.append(request)
        return await handler(request)

    async def _obj(self, request: web.Request) -> web.Response:
        document = {"id": str(request.url), "type": "Note", "accept": request.headers["Accept"]}
        return web.json_response(document, content_type=AS2)

    async def _claims(self, request: web.Request) -> web.Response:
        return web.json_response({"id": request.query["id"]}, content_type=AS2)

    async def _redirect(self, request: web.Request) -> web.Response:
        if "to" not in request.query:
            return web.Response(status=302)
        return web.Response(status=302, headers={"Location": request.query["to"]})

    async def _chain(self, request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        location = f"/chain/{n - 1}" if n else "/obj"
        return web.Response(status=301, headers={"Location": location})

    async def _raw(self, request: web.Request) -> web.Response:
        query = request.query
        return web.Response(
            status=int(query.get("status", "200")),
            body=query.get("body", "{}").encode(),
            headers={"Content-Type": query.get("type", AS2)},
        )

    async def _deep(self, request: web.Request) -> web.Response:
        return web.Response(body=b"[" * 100_000, headers={"Content-Type": AS2})

    async def _gzip_bomb(self, request: web.Request) -> web.Response:
        headers = {"Content-Type": AS2, "Content-Encoding": "gzip"}
        return web.Response(body=gzip.compress(b" " * 32 * MiB), headers=headers)

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": AS2})
        await response.prepare(request)
        chunk = b" " * 65536
        for _ in range(int(request.query["mib"]) * 16):
            await response.write(chunk)
        await response.write_eof()
        return response

    async def _declared_large(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": AS2})
        response.content_length = 2 * MiB
        await response.prepare(request)
        await response.write(b"{")
        await asyncio.wait_for(self.release.wait(), 5)
        return response

    async def _slow(self, request: web.Request) -> web.Response:
        await asyncio.wait_for(self.release.wait(), 5)
        return web.json_response({}, content_type=AS2)

    async def _inbox(self, request: web.Request) -> web.Response:
        query = request.query
        headers = {"Retry-After": query["retry_after"]} if "retry_after" in query else {}
        if "location" in query:
            headers["Location"] = query["location"]
        body = "x" * 600 if "long" in query else "accepted"
        return web.Response(status=int(query.get("status", "202")), text=body, headers=headers)


class MapResolver(AbstractResolver):
    """Resolves a fixed set of names (e.g. public-looking ones) to given addresses."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.calls: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.calls.append(host)
        if host not in self.names:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        ip = self.names[host]
        af = socket.AF_INET6 if ":" in ip else socket.AF_INET
        return [ResolveResult(hostname=host, host=ip, port=port, family=af, proto=0, flags=0)]

    async def close(self) -> None:
        pass


@pytest.fixture
async def server() -> AsyncIterator[CountingServer]:
    srv = CountingServer()
    await srv.start()
    yield srv
    await srv.stop()


@pytest.fixture
async def other_server() -> AsyncIterator[CountingServer]:
    srv = CountingServer()
    await srv.start()
    yield srv
    await srv.stop()


def make_client(allow_private: bool = True, **kwargs: Any) -> FederationClient:
    kwargs.setdefault("timeout", 3.0)
    return FederationClient(
        user_agent="townhall-test/1", allow_private_addresses=allow_private, **kwargs
    )


def only_port(port: int) -> Callable[[IPv4Address | IPv6Address, int], bool]:
    """Test policy: 127.0.0.1 on one port stands in for 'a public server'."""
    return lambda ip, p: str(ip) == "127.0.0.1" and p == port


async def call(client: FederationClient, method: str, url: str) -> object:
    if method == "object":
        return await client.fetch_object(url)
    if method == "json":
        return await client.fetch_json(url, accept="application/jrd+json")
    return await client.post_activity(url, b"{}")


METHODS = ["object", "json", "post"]

SSRF_URLS = [
    "http://127.0.0.1:{port}/obj",
    "http://127.0.0.1.:{port}/obj",
    "http://127.0.0.2:{port}/obj",
    "http://0.0.0.0:{port}/obj",
    "http://localhost:{port}/obj",
    "http://LocalHost.:{port}/obj",
    "http://api.localhost:{port}/obj",
    "http://[::1]:{port}/obj",
    "http://[::ffff:127.0.0.1]:{port}/obj",
    "http://[::ffff:7f00:1%25lo]:{port}/obj",
    "http://[::127.0.0.1]:{port}/obj",
    "http://[64:ff9b::7f00:1]:{port}/obj",
    "http://[2002:7f00:1::]:{port}/obj",
    "http://2130706433:{port}/obj",
    "http://0x7f000001:{port}/obj",
    "http://0177.0.0.1:{port}/obj",
    "http://127.1:{port}/obj",
    "http://0:{port}/obj",
    "http://\u2460\u2461\u2466.0.0.1:{port}/obj",  # yarl NFKC-normalises to 127.0.0.1
    "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11:{port}/obj",
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("template", SSRF_URLS)
async def test_ssrf_forms_never_reach_the_listener(
    server: CountingServer, template: str, method: str
) -> None:
    async with make_client(allow_private=False) as client:
        with pytest.raises(ForbiddenAddress):
            await call(client, method, template.format(port=server.port))
    assert server.connections == 0


async def test_a_refused_host_stays_refused_after_allowed_ones(server: CountingServer) -> None:
    # The client remembers (host, port) pairs that passed its URL check, never refusals: the
    # same address on another port is still refused by the URL check itself, every time.
    policy = only_port(server.port)
    async with make_client(allow_private=False, address_policy=policy) as client:
        for _ in range(2):
            await client.post_activity(f"http://127.0.0.1:{server.port}/inbox", b"{}")
            with pytest.raises(ForbiddenAddress, match=r"^connections to 127\.0\.0\.1 are not"):
                await client.post_activity(f"http://127.0.0.1:{server.port + 1}/inbox", b"{}")
    assert len(server.requests) == 2


@pytest.mark.parametrize("method", METHODS)
async def test_public_looking_name_resolving_to_loopback_is_refused(
    server: CountingServer, method: str
) -> None:
    resolver = MapResolver({"public.example": "127.0.0.1", "v6.example": "::ffff:127.0.0.1"})
    async with make_client(allow_private=False, resolver=resolver) as client:
        for host in ("public.example", "v6.example"):
            with pytest.raises(ForbiddenAddress):
                await call(client, method, server.url("/obj", host=host))
    assert resolver.calls == ["public.example", "v6.example"]
    assert server.connections == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/obj",
        "http://localhost:{port}/obj",
        "http://public.example:{port}/obj",
    ],
)
async def test_same_forms_reach_the_listener_when_private_addresses_are_allowed(
    server: CountingServer, url: str
) -> None:
    resolver = MapResolver({"public.example": "127.0.0.1", "localhost": "127.0.0.1"})
    async with make_client(allow_private=True, resolver=resolver) as client:
        fetched = await client.fetch_object(url.format(port=server.port))
    assert fetched.document["type"] == "Note"
    assert server.connections == 1


@pytest.mark.parametrize(
    ("host", "error"),
    [
        ("127.0.0.1", ForbiddenAddress),  # socket gate
        ("[::ffff:127.0.0.1]", ForbiddenAddress),  # socket gate
        ("localhost", ForbiddenAddress),  # guarded resolver
        ("0x7f000001", ForbiddenAddress),  # guarded resolver (getaddrinfo -> 127.0.0.1)
        ("2130706433", NetworkError),  # aiohttp itself refuses non-canonical IPv4
        ("0177.0.0.1", NetworkError),
    ],
)
async def test_connect_time_checks_stand_without_the_url_check(
    server: CountingServer, monkeypatch: pytest.MonkeyPatch, host: str, error: type[FetchError]
) -> None:
    # Disable the URL pre-check: the resolver and socket gate must still refuse.
    monkeypatch.setattr(FederationClient, "_check_host", lambda self, url: None)
    async with make_client(allow_private=False) as client:
        with pytest.raises(error):
            await client.fetch_object(server.url("/obj", host=host))
    assert server.connections == 0


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/obj",
        "http://localhost:{port}/obj",
        "http://evil.example:{port}/obj",
        "http://[::ffff:127.0.0.1]:{port}/obj",
        "http://2130706433:{port}/obj",
    ],
)
async def test_redirect_into_private_address_is_refused(
    server: CountingServer, other_server: CountingServer, target: str
) -> None:
    resolver = MapResolver({"public.example": "127.0.0.1", "evil.example": "127.0.0.1"})
    policy = only_port(server.port)
    async with make_client(allow_private=False, resolver=resolver, address_policy=policy) as client:
        allowed = await client.fetch_object(server.url("/obj", host="public.example"))
        assert allowed.url == server.url("/obj", host="public.example")
        to = quote(target.format(port=other_server.port), safe="")
        with pytest.raises(ForbiddenAddress):
            await client.fetch_object(server.url(f"/redirect?to={to}", host="public.example"))
    assert len(server.requests) == 2
    assert other_server.connections == 0


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://127.0.0.1:{port}/_",
        "ftp://127.0.0.1:{port}/obj",
        "data:application/json,{{}}",
        "//127.0.0.1:{port}/obj",
        "http:///obj",
        "not a url",
    ],
)
async def test_bad_schemes_fail_before_any_io(
    server: CountingServer, url: str, method: str
) -> None:
    async with make_client(allow_private=True) as client:
        with pytest.raises(BadScheme):
            await call(client, method, url.format(port=server.port))
    assert server.connections == 0


@pytest.mark.parametrize("target", ["file:///etc/passwd", "gopher://127.0.0.1/", "http://[::1"])
async def test_redirect_to_bad_scheme(server: CountingServer, target: str) -> None:
    async with make_client() as client:
        with pytest.raises(BadScheme):
            await client.fetch_object(server.url(f"/redirect?to={target}"))


async def test_fetch_object(server: CountingServer) -> None:
    async with make_client() as client:
        fetched = await client.fetch_object(server.url("/obj"))
    assert fetched.url == server.url("/obj")
    assert fetched.document["id"] == fetched.url
    assert fetched.document["accept"] == ACTIVITY_ACCEPT
    assert fetched.headers["content-type"].startswith(AS2)
    assert server.requests[0].headers["User-Agent"] == "townhall-test/1"


async def test_redirects_are_followed_and_final_url_must_match(server: CountingServer) -> None:
    async with make_client() as client:
        fetched = await client.fetch_object(server.url("/chain/2"))  # three redirects
        assert fetched.url == server.url("/obj")
        spoof = server.url("/claims?id=") + server.url("/redirect")
        with pytest.raises(IdMismatch):
            await client.fetch_object(server.url(f"/redirect?to={spoof}"))


async def test_redirect_cap(server: CountingServer) -> None:
    async with make_client(max_redirects=3) as client:
        with pytest.raises(TooManyRedirects):
            await client.fetch_object(server.url("/chain/3"))  # four redirects
    assert len(server.requests) == 4


async def test_signer_is_called_for_every_hop(server: CountingServer) -> None:
    calls: list[tuple[str, str, bytes | None]] = []

    async def signer(
        method: str, url: str, headers: dict[str, str], body: bytes | None
    ) -> dict[str, str]:
        calls.append((method, url, body))
        return {**headers, "X-Signed": f"{method} {url}"}

    async with make_client(signer=signer) as client:
        await client.fetch_object(server.url("/chain/2"))
        await client.post_activity(server.url("/inbox"), b'{"type":"Follow"}')
    paths = ["/chain/2", "/chain/1", "/chain/0", "/obj"]
    expected = [("GET", server.url(p), None) for p in paths]
    assert calls == [*expected, ("POST", server.url("/inbox"), b'{"type":"Follow"}')]
    assert [r.headers["X-Signed"] for r in server.requests] == [f"{m} {u}" for m, u, _ in calls]


async def test_signing_in_a_process_signs_as_each_tasks_chosen_key(
    server: CountingServer,
) -> None:
    keys = [
        SigningKey(f"https://a.example/actors/{name}#main-key", generate_private_key())
        for name in ("one", "two")
    ]
    process = SigningProcess()
    signer = ContextSigner(process=process)

    async def post_as(key: SigningKey) -> None:
        with signer.signing_as(key):
            await client.post_activity(server.url("/inbox"), b"{}")

    try:
        await process.sign(keys[0].private_key, b"started")
        async with make_client(signer=signer) as client:
            await asyncio.gather(*(post_as(key) for key in keys * 3))
    finally:
        await process.close()
    key_ids = sorted(
        parse_params(request.headers["Signature"])["keyid"] for request in server.requests
    )
    assert key_ids == sorted(key.key_id for key in keys * 3)


async def test_keep_alive_reuses_one_connection_for_fetches_and_one_for_deliveries(
    server: CountingServer,
) -> None:
    async with make_client() as client:
        await client.fetch_object(server.url("/obj"))
        await client.fetch_object(server.url("/obj"))
        for _ in range(3):
            await client.post_activity(server.url("/inbox"), b"{}")
    assert len(server.requests) == 5
    assert server.connections == 2  # fetches go through aiohttp, POSTs through PostTransport


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("type=text/html", BadContentType),
        ("type=application/json", BadContentType),
        ("status=404", BadStatus),
        ("status=410", BadStatus),
        ("body={not json", InvalidJSON),
        ("body=[]", InvalidJSON),
        ("body=NaN", InvalidJSON),
        ("body=%FF%FE%00", InvalidJSON),
        ('body={"id":"http://other.example/obj"}', IdMismatch),
        ('body={"id":["x"]}', IdMismatch),
        ("body={}", IdMismatch),
    ],
)
async def test_unusable_answers(
    server: CountingServer, query: str, error: type[FetchError]
) -> None:
    async with make_client() as client:
        with pytest.raises(error):
            await client.fetch_object(server.url(f"/raw?{query}"))


async def test_bad_status_carries_remote_status(server: CountingServer) -> None:
    async with make_client() as client:
        with pytest.raises(BadStatus) as caught:
            await client.fetch_object(server.url("/raw?status=503"))
        with pytest.raises(BadStatus) as no_location:
            await client.fetch_object(server.url("/redirect"))
    assert caught.value.remote_status == 503
    assert no_location.value.remote_status == 302


async def test_ld_json_with_profile_is_accepted(server: CountingServer) -> None:
    ld = quote('application/ld+json; profile="https://www.w3.org/ns/activitystreams"')
    async with make_client() as client:
        with pytest.raises(IdMismatch):  # got past the content-type check
            await client.fetch_object(server.url(f"/raw?type={ld}"))


async def test_deeply_nested_json_is_invalid_json_not_recursion_error(
    server: CountingServer,
) -> None:
    async with make_client() as client:
        with pytest.raises(InvalidJSON) as caught:
            await client.fetch_object(server.url("/deep"))
    assert isinstance(caught.value.__cause__, RecursionError)


@pytest.mark.parametrize(
    "path", ["/stream?mib=2", "/stream?mib=64", "/declared-large", "/gzip-bomb"]
)
async def test_size_cap(server: CountingServer, path: str) -> None:
    started = time.monotonic()
    async with make_client(timeout=5.0) as client:
        with pytest.raises(ResponseTooLarge):
            await client.fetch_object(server.url(path))
    assert time.monotonic() - started < 3


async def test_timeout(server: CountingServer) -> None:
    started = time.monotonic()
    async with make_client(timeout=0.5) as client:
        with pytest.raises(FetchTimeout):
            await client.fetch_object(server.url("/slow"))
        with pytest.raises(FetchTimeout):
            await client.post_activity(server.url("/slow"), b"{}")
    assert time.monotonic() - started < 2.5


async def test_a_post_may_be_given_less_time_than_the_client(server: CountingServer) -> None:
    started = time.monotonic()
    async with make_client(timeout=5.0) as client:
        with pytest.raises(FetchTimeout, match=r"within 0\.3 s"):
            await client.post_activity(server.url("/slow"), b"{}", time_limit=0.3)
    assert time.monotonic() - started < 2


async def test_connection_refused_is_network_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with make_client() as client:
        with pytest.raises(NetworkError):
            await client.fetch_object(f"http://127.0.0.1:{port}/obj")
        with pytest.raises(NetworkError):
            await client.post_activity(f"http://127.0.0.1:{port}/inbox", b"{}")


async def test_dns_failure_is_network_error() -> None:
    async with make_client(resolver=MapResolver({})) as client:
        with pytest.raises(NetworkError):
            await client.fetch_object("http://nowhere.example/obj")
        with pytest.raises(NetworkError):
            await client.post_activity("http://nowhere.example/inbox", b"{}")


async def test_fetch_json(server: CountingServer) -> None:
    jrd = json.dumps({"subject": "acct:a@b"})
    async with make_client() as client:
        url, document = await client.fetch_json(
            server.url(f"/raw?type=application/jrd%2Bjson&body={jrd}"),
            accept="application/jrd+json",
        )
        assert document == {"subject": "acct:a@b"}
        assert url.startswith(server.url("/raw"))
        final, obj = await client.fetch_json(server.url("/chain/1"), accept="application/json")
        assert final == server.url("/obj")
        assert obj["accept"] == "application/json"
        with pytest.raises(BadContentType):
            await client.fetch_json(server.url("/raw?type=text/html"), accept="application/json")


async def test_post_activity(server: CountingServer) -> None:
    async with make_client() as client:
        accepted = await client.post_activity(server.url("/inbox"), b'{"type":"Like"}')
        limited = await client.post_activity(
            server.url("/inbox?status=429&retry_after=30&long=1"), b"{}"
        )
        moved = await client.post_activity(
            server.url("/inbox?status=308&location=/elsewhere"), b"{}", content_type="text/plain"
        )
    assert (accepted.status, accepted.retry_after, accepted.body_excerpt) == (202, None, "accepted")
    assert (limited.status, limited.retry_after, limited.body_excerpt) == (429, 30.0, "x" * 500)
    assert moved.status == 308
    assert [r.path for r in server.requests] == ["/inbox"] * 3
    assert server.requests[0].headers["Content-Type"] == AS2
    assert server.requests[2].headers["Content-Type"] == "text/plain"


async def test_post_retry_after_http_date(server: CountingServer) -> None:
    async with make_client() as client:
        result = await client.post_activity(
            server.url("/inbox?status=503&retry_after=Wed, 21 Oct 2099 07:28:00 GMT"), b"{}"
        )
    assert result.retry_after is not None and result.retry_after > 365 * 86400


NOW = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, None),
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Wed, 01 Jan 2025 12:01:30 GMT", 90.0),
        ("Wed, 01 Jan 2025 11:00:00 GMT", 0.0),
        ("Wednesday, 01-Jan-25 12:00:10 GMT", 10.0),
        ("Wed Jan  1 12:00:05 2025", 5.0),
        ("-5", None),
        ("1.5", None),
        ("\u00b2", None),
        ("soon", None),
        ("", None),
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


async def test_close_is_idempotent_and_safe_before_use() -> None:
    client = make_client()
    await client.close()
    async with client:
        pass
    await client.close()
