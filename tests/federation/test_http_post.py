"""PostTransport, the deliveries' HTTP/1.1 client: reading answers, keeping connections alive,
replacing a connection the server closed, and checking addresses before connecting."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
from aiohttp.resolver import ThreadedResolver
from yarl import URL

from federation import http_post
from federation.addresses import BlockedAddressError, GuardedResolver, default_policy
from federation.http_post import PostTransport
from federation.http_response import (
    MAX_BODY_BYTES,
    MAX_HEAD_BYTES,
    ConnectionClosed,
    HttpProtocolError,
    ResponseParser,
)

EXCERPT = 16


def parse(*parts: bytes) -> tuple[ResponseParser, object]:
    """Feed the parts one by one; the parser and what the last feed returned."""
    parser = ResponseParser(EXCERPT)
    answer = None
    for part in parts:
        answer = parser.feed(part)
    return parser, answer


def test_an_answer_with_a_length_is_read_whole_even_when_split_anywhere() -> None:
    raw = b"HTTP/1.1 202 Accepted\r\nContent-Length: 5\r\nRetry-After: 30\r\n\r\nhello"
    for cut in range(1, len(raw)):
        parser, answer = parse(raw[:cut], raw[cut:])
        assert answer == parser.answer
        assert parser.answer is not None
        assert (parser.answer.status, parser.answer.excerpt) == (202, b"hello")
        assert parser.answer.headers["retry-after"] == "30"
        assert parser.answer.reusable


def test_a_chunked_answer_with_extensions_and_trailers_is_read_whole() -> None:
    raw = (
        b"HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"4;ext=1\r\nbad \r\n7\r\nrequest\r\n0\r\nX-Trailer: yes\r\n\r\n"
    )
    for cut in range(1, len(raw)):
        parser, _ = parse(raw[:cut], raw[cut:])
        assert parser.answer is not None
        assert (parser.answer.status, parser.answer.excerpt) == (400, b"bad request")
        assert parser.answer.reusable


def test_interim_answers_are_skipped() -> None:
    _, answer = parse(
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"
    )
    assert answer is not None and answer.status == 201  # type: ignore[attr-defined]


def test_no_body_is_waited_for_after_204() -> None:
    _, answer = parse(b"HTTP/1.1 204 No Content\r\n\r\n")
    assert answer is not None and answer.reusable  # type: ignore[attr-defined]


def test_the_excerpt_is_the_start_of_a_longer_body() -> None:
    body = b"x" * 1000
    _, answer = parse(b"HTTP/1.1 500 Oops\r\nContent-Length: 1000\r\n\r\n" + body)
    assert answer is not None and answer.excerpt == b"x" * EXCERPT  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "head",
    [
        b"HTTP/1.0 202 Accepted\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 202 Accepted\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\nextra bytes nobody announced",
    ],
)
def test_a_connection_the_answer_does_not_leave_clean_is_not_reused(head: bytes) -> None:
    _, answer = parse(head)
    assert answer is not None and not answer.reusable  # type: ignore[attr-defined]


def test_a_body_without_length_runs_until_the_connection_closes() -> None:
    parser, answer = parse(b"HTTP/1.1 202 Accepted\r\n\r\nall of ", b"it")
    assert answer is None
    final = parser.feed_eof()
    assert (final.status, final.excerpt, final.reusable) == (202, b"all of it", False)


def test_a_huge_body_is_not_read_to_its_end() -> None:
    _, answer = parse(
        b"HTTP/1.1 202 Accepted\r\nContent-Length: 999999999\r\n\r\n", b"x" * (MAX_BODY_BYTES + 1)
    )
    assert answer is not None and not answer.reusable  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "raw",
    [
        b"SPDY/3 200 OK\r\n\r\n",
        b"HTTP/1.1 abc OK\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY",
        b"HTTP/1.1 101 Switching Protocols\r\n\r\n",
        b"HTTP/1.1 200 OK\r\n" + b"X: " + b"y" * MAX_HEAD_BYTES,
    ],
)
def test_what_is_not_http_is_an_error(raw: bytes) -> None:
    with pytest.raises(HttpProtocolError):
        parse(raw)


def test_a_close_mid_answer_says_whether_any_of_it_came() -> None:
    with pytest.raises(ConnectionClosed) as nothing:
        ResponseParser(EXCERPT).feed_eof()
    assert nothing.value.before_answer
    parser, _ = parse(b"HTTP/1.1 202 Accepted\r\nContent-Length: 10\r\n\r\nabc")
    with pytest.raises(ConnectionClosed) as partial:
        parser.feed_eof()
    assert not partial.value.before_answer


class Inbox(asyncio.Protocol):
    """A loopback server that answers each request with `answer`, counting connections;
    with `close_after` set, it closes a connection after that many answers; with `drop_second`,
    it closes a connection on its second request without answering it."""

    connections = 0
    requests: list[bytes]

    def __init__(self, answer: bytes, close_after: int | None, drop_second: bool) -> None:
        self._answer, self._close_after, self._answered = answer, close_after, 0
        self._drop_second = drop_second
        self._buffer = bytearray()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        type(self).connections += 1

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        length = int(
            bytes(self._buffer[:end]).lower().split(b"content-length: ")[1].split(b"\r")[0]
        )
        if len(self._buffer) < end + 4 + length:
            return
        type(self).requests.append(bytes(self._buffer[: end + 4 + length]))
        del self._buffer[: end + 4 + length]
        if self._drop_second and self._answered == 1:
            self._transport.close()
            return
        self._transport.write(self._answer)
        self._answered += 1
        if self._close_after is not None and self._answered >= self._close_after:
            self._transport.close()


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., object]]:
    """Start Inbox servers on 127.0.0.1: serve(answer, close_after) -> (url, Inbox class)."""
    servers: list[asyncio.Server] = []

    async def start(
        answer: bytes, close_after: int | None = None, drop_second: bool = False
    ) -> tuple[URL, type[Inbox]]:
        counting = type("CountingInbox", (Inbox,), {"connections": 0, "requests": []})
        server = await asyncio.get_running_loop().create_server(
            lambda: counting(answer, close_after, drop_second), "127.0.0.1", 0
        )
        servers.append(server)
        return URL(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/inbox"), counting

    yield start
    for server in servers:
        server.close()


def transport(allow_private: bool = True) -> PostTransport:
    policy = default_policy(allow_private)
    return PostTransport(GuardedResolver(ThreadedResolver(), policy), policy)


ACCEPTED = b"HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"


async def test_posts_to_one_host_share_a_kept_alive_connection(serve) -> None:  # type: ignore[no-untyped-def]
    url, inbox = await serve(ACCEPTED)
    posts = transport()
    try:
        statuses = [(await posts.post(url, {"X-A": "1"}, b"{}", 10)).status for _ in range(5)]
    finally:
        await posts.close()
    assert statuses == [202] * 5
    assert inbox.connections == 1


async def test_a_connection_idle_too_long_is_closed_not_reused(
    serve,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr(http_post, "IDLE_SECONDS", 0.05)
    url, inbox = await serve(ACCEPTED)
    posts = transport()
    try:
        await posts.post(url, {}, b"{}", 10)
        await asyncio.sleep(0.1)
        await posts.post(url, {}, b"{}", 10)
    finally:
        await posts.close()
    assert inbox.connections == 2


async def test_the_request_carries_the_body_and_the_given_host(serve) -> None:  # type: ignore[no-untyped-def]
    url, inbox = await serve(ACCEPTED)
    posts = transport()
    try:
        await posts.post(url, {"Host": "signed.example", "Digest": "d"}, b'{"a":1}', 10)
    finally:
        await posts.close()
    (request,) = inbox.requests
    assert request.startswith(b"POST /inbox HTTP/1.1\r\n")
    assert b"\r\nHost: signed.example\r\n" in request
    assert request.count(b"Host:") == 1
    assert request.endswith(b'Content-Length: 7\r\n\r\n{"a":1}')


async def test_a_connection_the_server_closed_while_idle_is_replaced(serve) -> None:  # type: ignore[no-untyped-def]
    url, inbox = await serve(ACCEPTED, close_after=1)
    posts = transport()
    try:
        first = await posts.post(url, {}, b"{}", 10)
        await asyncio.sleep(0.05)  # the server's close arrives while the connection is idle
        second = await posts.post(url, {}, b"{}", 10)
    finally:
        await posts.close()
    assert (first.status, second.status) == (202, 202)
    assert inbox.connections == 2


async def test_a_kept_connection_closed_instead_of_answering_is_tried_once_more(serve) -> None:  # type: ignore[no-untyped-def]
    url, inbox = await serve(ACCEPTED, drop_second=True)
    posts = transport()
    try:
        statuses = [(await posts.post(url, {}, b"{}", 10)).status for _ in range(2)]
    finally:
        await posts.close()
    assert statuses == [202, 202]
    assert inbox.connections == 2
    assert len(inbox.requests) == 3  # the dropped one was sent again on a new connection


async def test_a_fresh_connection_closed_instead_of_answering_is_an_error(serve) -> None:  # type: ignore[no-untyped-def]
    url, _ = await serve(b"", close_after=0)  # closes at the first request, without a word
    posts = transport()
    try:
        with pytest.raises(ConnectionClosed):
            await posts.post(url, {}, b"{}", 10)
    finally:
        await posts.close()


async def test_a_forbidden_address_is_refused_before_connecting(serve) -> None:  # type: ignore[no-untyped-def]
    url, inbox = await serve(ACCEPTED)
    posts = transport(allow_private=False)
    try:
        with pytest.raises(BlockedAddressError):
            await posts.post(url, {}, b"{}", 10)
        with pytest.raises(BlockedAddressError):
            await posts.post(url.with_host("localhost"), {}, b"{}", 10)
    finally:
        await posts.close()
    assert inbox.connections == 0


async def test_a_cancelled_post_does_not_leave_its_connection_for_the_next(serve) -> None:  # type: ignore[no-untyped-def]
    url, inbox = await serve(b"")  # never answers
    posts = transport()
    try:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.2):
                await posts.post(url, {}, b"{}", 10)
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.2):
                await posts.post(url, {}, b"{}", 10)
    finally:
        await posts.close()
    assert inbox.connections == 2
