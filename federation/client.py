"""FederationClient: the one HTTP client for every outgoing server-to-server request.

Every request is checked against the address policy (see `federation.addresses`):
the URL's host before any I/O, every DNS answer, and the socket address right
before ``connect()``.  Redirects are followed by hand so each hop is re-checked
and re-signed; bodies are size-capped and JSON is parsed defensively.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, Protocol, Self

import aiohttp
from aiohttp.abc import AbstractResolver
from aiohttp.resolver import ThreadedResolver
from yarl import URL

from federation.addresses import (
    AddressPolicy,
    BlockedAddressError,
    GuardedResolver,
    default_policy,
    guarded_socket_factory,
    is_legacy_ipv4_literal,
    is_loopback_url,
    parse_ip,
)
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
from federation.http_post import PostTransport
from federation.http_response import ConnectionClosed, HttpProtocolError

ACTIVITY_ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
ACTIVITY_CONTENT_TYPES = frozenset({"application/activity+json", "application/ld+json"})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK_BYTES = 64 * 1024
_EXCERPT_CHARS = 500
_EXCERPT_BYTES = 4 * _EXCERPT_CHARS  # enough for 500 characters of UTF-8 text
_CONNECTIONS_TOTAL = 100
_TypeCheck = Callable[[str], bool]
_CONNECTIONS_PER_HOST = 8
_DNS_CACHE_SECONDS = 60
_REMEMBERED_HOSTS = 10_000  # hosts that passed _check_host (a fan-out checks each many times)


class Signer(Protocol):
    """Signs an outgoing request: returns the complete headers to send."""

    async def __call__(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None
    ) -> dict[str, str]:
        """Return ``headers`` plus whatever the signature scheme adds."""
        ...


@dataclass(frozen=True)
class FetchedObject:
    """An ActivityStreams object fetched from its own origin."""

    url: str  # final URL, after redirects; equals document["id"]
    document: dict[str, Any]
    headers: dict[str, str]  # response headers, names lower-cased


@dataclass(frozen=True)
class DeliveryResult:
    """What a remote inbox answered to a POST."""

    status: int
    retry_after: float | None
    body_excerpt: str


@dataclass(frozen=True)
class _Answer:
    url: URL
    headers: dict[str, str]
    body: bytes


class FederationClient:
    """Safe HTTP client for fetching remote objects and delivering activities."""

    def __init__(
        self,
        *,
        user_agent: str,
        allow_private_addresses: bool,
        signer: Signer | None = None,
        timeout: float = 10.0,
        max_body_bytes: int = 1_048_576,
        max_redirects: int = 3,
        address_policy: AddressPolicy | None = None,
        resolver: AbstractResolver | None = None,
    ) -> None:
        """Configure the client; the HTTP session is created on first use.

        ``address_policy`` and ``resolver`` exist for tests: the first replaces
        the (address, port) policy derived from ``allow_private_addresses``, the
        second replaces the system resolver (its answers are still filtered, and
        the client closes it).
        """
        self._user_agent = user_agent
        self._allow_private = allow_private_addresses
        self._policy = address_policy or default_policy(allow_private_addresses)
        self._signer = signer
        self._timeout = timeout
        self._max_body = max_body_bytes
        self._max_redirects = max_redirects
        self._inner_resolver = resolver
        self._session: aiohttp.ClientSession | None = None
        self._posts: PostTransport | None = None
        self._resolver: GuardedResolver | None = None
        self._allowed_hosts: set[tuple[str | None, int | None]] = set()

    async def __aenter__(self) -> Self:
        """Return the client itself."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the client."""
        await self.close()

    async def close(self) -> None:
        """Close pooled connections and the resolver."""
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._posts is not None:
            await self._posts.close()
            self._posts = None
        if self._resolver is not None:
            await self._resolver.close()
            self._resolver = None

    async def fetch_object(self, url: str) -> FetchedObject:
        """GET an ActivityStreams object whose ``id`` must equal the final URL."""
        answer = await self._get(url, ACTIVITY_ACCEPT, ACTIVITY_CONTENT_TYPES.__contains__)
        document = parse_json(answer.body)
        if not isinstance(document, dict):
            raise InvalidJSON(f"{answer.url} is not a JSON object")
        if not same_url(document.get("id"), answer.url):
            raise IdMismatch(f"object id {document.get('id')!r} is not {answer.url}")
        return FetchedObject(url=str(answer.url), document=document, headers=answer.headers)

    async def fetch_json(self, url: str, *, accept: str) -> tuple[str, Any]:
        """GET any JSON document (WebFinger JRD, NodeInfo); return (final URL, parsed)."""
        answer = await self._get(url, accept, is_json_content_type)
        return str(answer.url), parse_json(answer.body)

    async def post_activity(
        self,
        inbox_url: str,
        body: bytes,
        *,
        content_type: str = "application/activity+json",
        time_limit: float | None = None,
    ) -> DeliveryResult:
        """POST a signed activity to an inbox; any HTTP answer (3xx too) is a result.

        ``time_limit`` shortens the client's own limit for this one POST (a delivery's lease).
        """
        target = self._check_url(inbox_url)
        headers = {"User-Agent": self._user_agent, "Content-Type": content_type}
        seconds = self._timeout if time_limit is None else min(time_limit, self._timeout)
        async with self._mapped_errors(target, seconds):
            headers = await self._signed("POST", target, headers, body)
            answer = await self._get_posts().post(target, headers, body, _EXCERPT_BYTES)
        return DeliveryResult(
            status=answer.status,
            retry_after=parse_retry_after(answer.headers.get("retry-after")),
            body_excerpt=answer.excerpt.decode("utf-8", errors="replace")[:_EXCERPT_CHARS],
        )

    async def _get(self, url: str, accept: str, type_ok: _TypeCheck) -> _Answer:
        target = self._check_url(url)
        async with self._mapped_errors(target):
            return await self._follow(target, {"Accept": accept}, type_ok)

    async def _follow(self, target: URL, headers: dict[str, str], type_ok: _TypeCheck) -> _Answer:
        redirects = 0
        while True:
            signed = await self._signed(
                "GET", target, {"User-Agent": self._user_agent, **headers}, None
            )
            async with self._get_session().request(
                "GET", target, headers=signed, allow_redirects=False
            ) as resp:
                location = resp.headers.get("Location")
                if resp.status not in _REDIRECT_STATUSES or location is None:
                    return await self._read(target, resp, type_ok)
            redirects += 1
            if redirects > self._max_redirects:
                raise TooManyRedirects(f"more than {self._max_redirects} redirects from {target}")
            target = self._check_url(_join(target, location))

    async def _read(self, url: URL, resp: aiohttp.ClientResponse, type_ok: _TypeCheck) -> _Answer:
        if resp.status != 200:
            raise BadStatus(resp.status, f"{url} answered HTTP {resp.status}")
        if not type_ok(resp.content_type):
            raise BadContentType(f"{url} answered with content type {resp.content_type!r}")
        body = await self._read_capped(url, resp)
        headers = {name.lower(): value for name, value in resp.headers.items()}
        return _Answer(url=url, headers=headers, body=body)

    async def _read_capped(self, url: URL, resp: aiohttp.ClientResponse) -> bytes:
        too_large = ResponseTooLarge(f"{url} sent more than {self._max_body} bytes")
        if resp.content_length is not None and resp.content_length > self._max_body:
            raise too_large
        body = bytearray()
        async for chunk in resp.content.iter_chunked(_CHUNK_BYTES):
            body += chunk
            if len(body) > self._max_body:
                resp.close()  # drop the connection rather than drain the rest
                raise too_large
        return bytes(body)

    async def _signed(
        self, method: str, url: URL, headers: dict[str, str], body: bytes | None
    ) -> dict[str, str]:
        if self._signer is None:
            return headers
        return await self._signer(method, str(url), headers, body)

    @asynccontextmanager
    async def _mapped_errors(self, url: URL, seconds: float | None = None) -> AsyncIterator[None]:
        seconds = self._timeout if seconds is None else seconds
        try:
            async with asyncio.timeout(seconds):
                yield
        except TimeoutError as exc:
            raise FetchTimeout(f"{url} did not answer within {seconds:g} s") from exc
        except aiohttp.ClientError as exc:
            raise _network_error(url, exc) from exc
        except BlockedAddressError as exc:  # from PostTransport, which checks before connect()
            raise ForbiddenAddress(str(exc)) from exc
        except (OSError, HttpProtocolError, ConnectionClosed) as exc:
            raise NetworkError(f"{url}: {type(exc).__name__}: {exc}") from exc

    def _check_url(self, url: str | URL) -> URL:
        try:
            parsed = URL(url)
        except (TypeError, ValueError) as exc:
            raise BadScheme(f"{url!r} is not a URL") from exc
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise BadScheme(f"{url!r} is not an absolute http(s) URL")
        self._check_host(parsed)
        return parsed

    def _check_host(self, url: URL) -> None:
        authority = (url.host, url.port)
        if authority in self._allowed_hosts:
            return
        host = (url.host or "").rstrip(".")
        if is_legacy_ipv4_literal(host):
            raise ForbiddenAddress(f"{host!r} is not a canonical IP address")
        ip = parse_ip(host)
        if ip is not None and not self._policy(ip, url.port or 0):
            raise ForbiddenAddress(f"connections to {ip} are not allowed")
        if ip is None and not self._allow_private and is_loopback_url(url):
            raise ForbiddenAddress(f"{host!r} is this machine")
        if len(self._allowed_hosts) >= _REMEMBERED_HOSTS:
            self._allowed_hosts.clear()
        self._allowed_hosts.add(authority)

    def _get_resolver(self) -> GuardedResolver:
        if self._resolver is None:
            self._resolver = GuardedResolver(
                self._inner_resolver or ThreadedResolver(), self._policy
            )
        return self._resolver

    def _get_posts(self) -> PostTransport:
        if self._posts is None:
            self._posts = PostTransport(self._get_resolver(), self._policy)
        return self._posts

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=_CONNECTIONS_TOTAL,
                limit_per_host=_CONNECTIONS_PER_HOST,
                ttl_dns_cache=_DNS_CACHE_SECONDS,
                resolver=self._get_resolver(),
                socket_factory=guarded_socket_factory(self._policy),
            )
            # trust_env=False: a proxy from the environment would become the
            # connect target and sidestep the address checks.
            self._session = aiohttp.ClientSession(
                connector=connector,
                # no timer of aiohttp's own: _mapped_errors bounds every request
                timeout=aiohttp.ClientTimeout(),
                cookie_jar=aiohttp.DummyCookieJar(),
                trust_env=False,
            )
        return self._session


def is_json_content_type(content_type: str) -> bool:
    """Return True for ``application/json`` and ``application/*+json``."""
    return content_type == "application/json" or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


def parse_json(body: bytes) -> Any:
    """Parse a response body, turning every parser failure into InvalidJSON."""
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise InvalidJSON(f"response is not valid JSON: {type(exc).__name__}") from exc


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def same_url(object_id: object, url: URL) -> bool:
    """Return True if ``object_id`` names ``url`` (compared after yarl normalisation)."""
    # Normalising is sound: the id would be sent exactly as `url` was if fetched.
    if not isinstance(object_id, str):
        return False
    try:
        return str(URL(object_id)) == str(url)
    except ValueError:
        return False


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Return seconds to wait from a Retry-After header (delay-seconds or HTTP-date)."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _join(base: URL, location: str) -> URL:
    try:
        return base.join(URL(location))
    except ValueError as exc:
        raise BadScheme(f"redirect to {location!r} is not a URL") from exc


def _network_error(url: URL, exc: aiohttp.ClientError) -> FetchError:
    cause = getattr(exc, "os_error", None)
    if isinstance(cause, BlockedAddressError):
        return ForbiddenAddress(str(cause))  # names the hop that was refused
    return NetworkError(f"{url}: {type(exc).__name__}: {exc}")
