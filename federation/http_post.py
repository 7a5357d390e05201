"""HTTP/1.1 POSTs for deliveries on kept-alive connections, with less work per request than
aiohttp's client.

A fan-out makes one POST per inbox, so the client's own cost per request bounds it. On two
cores, bench/fanout.py's 10,000 POSTs went from 1,240-1,550 a second with aiohttp's client to
about 1,780 with this one, and the event loop's share of a POST to a kept-alive connection from
about 150 to 50 microseconds. It does only what a delivery needs: one POST with a body, then the
status, `Retry-After` and the first bytes of the answer; it never follows redirects. Fetches
(GET) keep using aiohttp, with its redirects, decompression and streaming limits.

Every address is checked against the SSRF policy right before `connect()`, and only
addresses the resolver returned are connected to, so a name is never re-resolved between the
check and the connection.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

from aiohttp.abc import AbstractResolver
from yarl import URL

from federation.addresses import AddressPolicy, BlockedAddressError, parse_ip

MAX_HEAD_BYTES = 65_536
MAX_BODY_BYTES = 1_048_576  # a longer answer is not read to its end: the connection is closed
IDLE_SECONDS = 15.0  # a connection idle this long is closed, not reused
MAX_IDLE = 2_000  # idle connections kept, over all hosts (the oldest is closed first)
MAX_IDLE_PER_ORIGIN = 8
DNS_CACHE_SECONDS = 60.0
_NO_BODY_STATUSES = frozenset({204, 304})


class HttpProtocolError(Exception):
    """The server's answer is not HTTP/1.1 we can read."""


class ConnectionClosed(Exception):
    """The server closed the connection before its answer was complete."""

    def __init__(self, message: str, *, before_answer: bool) -> None:
        super().__init__(message)
        self.before_answer = before_answer


@dataclass(frozen=True)
class PostAnswer:
    """What the server answered."""

    status: int
    headers: dict[str, str]  # names lower-cased; a repeated header keeps its last value
    excerpt: bytes  # the first bytes of the body
    reusable: bool  # the connection may carry another request


class ResponseParser:
    """Reads one HTTP/1.x response from the bytes fed to it (1xx interim answers skipped)."""

    def __init__(self, excerpt_bytes: int) -> None:
        self._excerpt_limit = excerpt_bytes
        self._buffer = bytearray()
        self._state = "head"
        self._status = 0
        self._headers: dict[str, str] = {}
        self._keep_alive = True
        self._remaining = 0  # bytes of the body (or of the current chunk) still to come
        self._body_read = 0
        self._excerpt = bytearray()
        self.answer: PostAnswer | None = None

    @property
    def started(self) -> bool:
        """Whether any byte of the answer has arrived."""
        return self._state != "head" or bool(self._buffer)

    def feed(self, data: bytes) -> PostAnswer | None:
        """Take more bytes; the answer once it is complete."""
        self._buffer += data
        while self.answer is None and self._step():
            pass
        return self.answer

    def feed_eof(self) -> PostAnswer:
        """The connection closed: the answer, if it was complete or ran until the close."""
        if self.answer is not None:
            return self.answer
        if self._state == "until_close":
            return self._finish(reusable=False)
        raise ConnectionClosed(
            "the server closed the connection before its answer was complete",
            before_answer=not self.started,
        )

    def _step(self) -> bool:
        handler = {
            "head": self._read_head,
            "length": self._read_length,
            "chunk_size": self._read_chunk_size,
            "chunk_data": self._read_chunk_data,
            "chunk_end": self._read_chunk_end,
            "trailers": self._read_trailers,
            "until_close": self._read_until_close,
        }[self._state]
        return handler()

    def _read_head(self) -> bool:
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self._buffer) > MAX_HEAD_BYTES:
                raise HttpProtocolError("the answer's head is too long")
            return False
        head = bytes(self._buffer[:end]).decode("latin-1")
        del self._buffer[: end + 4]
        status_line, *lines = head.split("\r\n")
        version, status = _status_line(status_line)
        if 100 <= status < 200:
            if status == 101:
                raise HttpProtocolError("the server switched protocols")
            return True  # an interim answer: the real one follows
        self._status = status
        self._headers = _header_fields(lines)
        connection = self._headers.get("connection", "").lower()
        self._keep_alive = version == "HTTP/1.1" and "close" not in connection
        return self._start_body()

    def _start_body(self) -> bool:
        if self._status in _NO_BODY_STATUSES:
            self._finish(reusable=self._keep_alive)
            return False
        if "chunked" in self._headers.get("transfer-encoding", "").lower():
            self._state = "chunk_size"
            return True
        length = self._headers.get("content-length")
        if length is None:
            self._state, self._keep_alive = "until_close", False
            return True
        if not length.strip().isdigit():
            raise HttpProtocolError(f"bad Content-Length {length[:40]!r}")
        self._remaining = int(length)
        self._state = "length"
        return True

    def _read_length(self) -> bool:
        taken = self._take(self._remaining)
        self._remaining -= taken
        if self._remaining == 0:
            self._finish(reusable=self._keep_alive)
            return False
        return self._check_size()

    def _read_chunk_size(self) -> bool:
        end = self._buffer.find(b"\r\n")
        if end < 0:
            if len(self._buffer) > MAX_HEAD_BYTES:
                raise HttpProtocolError("a chunk size line is too long")
            return False
        line = bytes(self._buffer[:end]).split(b";", 1)[0].strip()
        del self._buffer[: end + 2]
        try:
            self._remaining = int(line, 16)
        except ValueError:
            raise HttpProtocolError(f"bad chunk size {line[:20]!r}") from None
        self._state = "chunk_data" if self._remaining else "trailers"
        return True

    def _read_chunk_data(self) -> bool:
        self._remaining -= self._take(self._remaining)
        if self._remaining:
            return self._check_size()
        self._state = "chunk_end"
        return True

    def _read_chunk_end(self) -> bool:
        if len(self._buffer) < 2:
            return False
        if self._buffer[:2] != b"\r\n":
            raise HttpProtocolError("a chunk does not end with CRLF")
        del self._buffer[:2]
        self._state = "chunk_size"
        return True

    def _read_trailers(self) -> bool:
        if self._buffer[:2] == b"\r\n":
            del self._buffer[:2]
            self._finish(reusable=self._keep_alive)
            return False
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self._buffer) > MAX_HEAD_BYTES:
                raise HttpProtocolError("the trailers are too long")
            return False
        del self._buffer[: end + 4]
        self._finish(reusable=self._keep_alive)
        return False

    def _read_until_close(self) -> bool:
        self._take(len(self._buffer))
        return self._check_size()

    def _take(self, wanted: int) -> int:
        """Move up to `wanted` body bytes out of the buffer, keeping the excerpt's share."""
        taken = min(wanted, len(self._buffer))
        room = self._excerpt_limit - len(self._excerpt)
        if room > 0:
            self._excerpt += self._buffer[: min(room, taken)]
        del self._buffer[:taken]
        self._body_read += taken
        return taken

    def _check_size(self) -> bool:
        """Past MAX_BODY_BYTES the rest is not read: the answer is done, the connection not.
        Always False: the parser needs more bytes, or is finished."""
        if self._body_read > MAX_BODY_BYTES:
            self._finish(reusable=False)
        return False

    def _finish(self, *, reusable: bool) -> PostAnswer:
        leftover = bool(self._buffer)  # a server that sends more than it announced
        self.answer = PostAnswer(
            self._status, self._headers, bytes(self._excerpt), reusable and not leftover
        )
        return self.answer


def _status_line(line: str) -> tuple[str, int]:
    version, _, rest = line.partition(" ")
    code = rest[:3]
    if version not in ("HTTP/1.1", "HTTP/1.0") or not code.isdigit():
        raise HttpProtocolError(f"bad status line {line[:80]!r}")
    return version, int(code)


def _header_fields(lines: list[str]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in lines:
        name, colon, value = line.partition(":")
        if not colon or not name or name != name.strip():
            raise HttpProtocolError(f"bad header line {line[:80]!r}")
        headers[name.lower()] = value.strip()
    return headers


class _Connection(asyncio.Protocol):
    """One kept-alive connection, carrying one exchange at a time."""

    def __init__(self) -> None:
        self._transport: asyncio.Transport | None = None
        self._parser: ResponseParser | None = None
        self._waiter: asyncio.Future[PostAnswer] | None = None
        self.closed = False
        self.idle_since = 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        if self._parser is None or self._waiter is None or self._waiter.done():
            self.close()  # bytes nobody asked for: this connection can carry nothing more
            return
        try:
            answer = self._parser.feed(data)
        except HttpProtocolError as error:
            self._waiter.set_exception(error)
            self.close()
            return
        if answer is not None:
            self._waiter.set_result(answer)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._parser is None or self._waiter is None or self._waiter.done():
            return
        try:
            self._waiter.set_result(self._parser.feed_eof())
        except ConnectionClosed as error:
            self._waiter.set_exception(error)

    async def exchange(self, request: bytes, excerpt_bytes: int) -> PostAnswer:
        """Send one request; the server's answer."""
        if self.closed or self._transport is None:
            raise ConnectionClosed("the connection is closed", before_answer=True)
        self._parser = ResponseParser(excerpt_bytes)
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            self._transport.write(request)
            return await self._waiter
        finally:
            self._parser, self._waiter = None, None

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self.closed = True
        if self._transport is not None:
            self._transport.close()


class PostTransport:
    """Kept-alive HTTP/1.1 connections per origin for POSTs, behind the SSRF policy."""

    def __init__(
        self,
        resolver: AbstractResolver,
        policy: AddressPolicy,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._resolver = resolver
        self._policy = policy
        self._ssl_context = ssl_context
        self._idle: OrderedDict[_Connection, tuple[str, str, int]] = OrderedDict()
        self._idle_by_origin: dict[tuple[str, str, int], list[_Connection]] = {}
        self._addresses: dict[tuple[str, int], tuple[float, list[tuple[int, str]]]] = {}

    async def post(
        self, url: URL, headers: Mapping[str, str], body: bytes, excerpt_bytes: int
    ) -> PostAnswer:
        """POST `body` to `url`; a reused connection the server had closed is replaced once."""
        request = _request_bytes(url, headers, body)
        origin = _origin(url)
        connection = self._take_idle(origin)
        if connection is not None:
            try:
                return await self._exchange(origin, connection, request, excerpt_bytes)
            except ConnectionClosed as error:
                if not error.before_answer:
                    raise
        connection = await self._connect(url)
        return await self._exchange(origin, connection, request, excerpt_bytes)

    async def close(self) -> None:
        """Close every idle connection."""
        for connection in list(self._idle):
            connection.close()
        self._idle.clear()
        self._idle_by_origin.clear()

    async def _exchange(
        self,
        origin: tuple[str, str, int],
        connection: _Connection,
        request: bytes,
        excerpt_bytes: int,
    ) -> PostAnswer:
        try:
            answer = await connection.exchange(request, excerpt_bytes)
        except BaseException:  # a timeout or cancellation leaves it mid-exchange
            connection.close()
            raise
        if answer.reusable and not connection.closed:
            self._put_idle(origin, connection)
        else:
            connection.close()
        return answer

    def _take_idle(self, origin: tuple[str, str, int]) -> _Connection | None:
        pool = self._idle_by_origin.get(origin)
        while pool:
            connection = pool.pop()
            del self._idle[connection]
            if not connection.closed and time.monotonic() - connection.idle_since < IDLE_SECONDS:
                return connection
            connection.close()
        return None

    def _put_idle(self, origin: tuple[str, str, int], connection: _Connection) -> None:
        pool = self._idle_by_origin.setdefault(origin, [])
        if len(pool) >= MAX_IDLE_PER_ORIGIN:
            connection.close()
            return
        now = time.monotonic()
        connection.idle_since = now
        pool.append(connection)
        self._idle[connection] = origin
        # the oldest come first: close those idle too long, and any beyond MAX_IDLE
        while self._idle:
            oldest = next(iter(self._idle))
            if len(self._idle) <= MAX_IDLE and now - oldest.idle_since < IDLE_SECONDS:
                break
            its_origin = self._idle.pop(oldest)
            self._idle_by_origin[its_origin].remove(oldest)
            oldest.close()

    async def _connect(self, url: URL) -> _Connection:
        host, port = url.raw_host or "", url.port or 0
        last_error: OSError | None = None
        for family, address in await self._resolve(host, port):
            ip = parse_ip(address)
            if ip is None or not self._policy(ip, port):
                raise BlockedAddressError(address, port)
            try:
                return await self._open(url, family, address, port)
            except OSError as error:
                last_error = error
        raise last_error or OSError(f"no address to connect to for {host}")

    async def _open(self, url: URL, family: int, address: str, port: int) -> _Connection:
        loop = asyncio.get_running_loop()
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setblocking(False)
            await loop.sock_connect(sock, (address, port))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            tls = url.scheme == "https"
            if tls and self._ssl_context is None:
                self._ssl_context = ssl.create_default_context()  # once: it reads the CA bundle
            _, connection = await loop.create_connection(
                _Connection,
                sock=sock,
                ssl=self._ssl_context if tls else None,
                server_hostname=url.raw_host if tls else None,
            )
        except BaseException:
            sock.close()
            raise
        return connection

    async def _resolve(self, host: str, port: int) -> list[tuple[int, str]]:
        if parse_ip(host) is not None:
            return [(socket.AF_INET6 if ":" in host else socket.AF_INET, host)]
        cached = self._addresses.get((host, port))
        if cached is not None and time.monotonic() - cached[0] < DNS_CACHE_SECONDS:
            return cached[1]
        answers = await self._resolver.resolve(host, port, socket.AF_UNSPEC)
        addresses = [(int(answer["family"]), str(answer["host"])) for answer in answers]
        if len(self._addresses) > 10_000:
            self._addresses.clear()
        self._addresses[(host, port)] = (time.monotonic(), addresses)
        return addresses


def _origin(url: URL) -> tuple[str, str, int]:
    return url.scheme, url.raw_host or "", url.port or 0


def _request_bytes(url: URL, headers: Mapping[str, str], body: bytes) -> bytes:
    """The request as sent; a Host header given (and signed) is kept as it is."""
    lines = [f"POST {url.raw_path_qs or '/'} HTTP/1.1"]
    if not any(name.lower() == "host" for name in headers):
        lines.append(f"Host: {url.raw_authority}")
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    for line in lines:
        if "\r" in line or "\n" in line:
            raise ValueError("a header holds a line break")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body
