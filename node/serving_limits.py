"""Limits that keep slow or numerous clients from taking the node down.

A request's line and headers must arrive within `header_seconds` of the connection opening or
of the previous answer (aiohttp's keep-alive timer, which also closes idle connections); its
body within `body_seconds` of the headers (web.middlewares.body_deadline). At most
`max_connections` are open at once, leaving file descriptors for the database, the logs and
outgoing deliveries: at the limit a new connection replaces the oldest one that is waiting on its
client (idle, slow to send its headers, or else slow to send its body), so slow clients cannot
lock others out. Only when every connection is a request the node itself is working on is the
newcomer refused.
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

log = logging.getLogger("townhall.server")

HEADER_SECONDS = 15.0
BODY_SECONDS = 30.0
MOST_CONNECTIONS = 4096
LISTEN_BACKLOG = 128  # the most; also how many connections the event loop accepts in one go
# asyncio accepts a burst, makes its transports on the next turn of the loop and calls
# connection_made (which evicts) on the one after, closing the evicted files on a fourth: while
# a flood lasts, three bursts of accepted files can be open beyond the connection limit
BURSTS_IN_FLIGHT = 3


@dataclass(frozen=True)
class ServingLimits:
    """How long a request may take to arrive, and how many connections may be open."""

    header_seconds: float = HEADER_SECONDS
    body_seconds: float = BODY_SECONDS
    max_connections: int = MOST_CONNECTIONS
    backlog: int = LISTEN_BACKLOG

    @classmethod
    def for_this_process(cls, environ: Mapping[str, str] | None = None) -> ServingLimits:
        """The limits, the connections sized to the open-file limit; tests shorten the times
        with TOWNHALL_HEADER_TIMEOUT_SECONDS and TOWNHALL_BODY_TIMEOUT_SECONDS."""
        env = os.environ if environ is None else environ
        soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        backlog = backlog_for_open_files(soft)
        return cls(
            header_seconds=float(env.get("TOWNHALL_HEADER_TIMEOUT_SECONDS", HEADER_SECONDS)),
            body_seconds=float(env.get("TOWNHALL_BODY_TIMEOUT_SECONDS", BODY_SECONDS)),
            max_connections=connections_for_open_files(soft, backlog),
            backlog=backlog,
        )


def backlog_for_open_files(soft: int) -> int:
    """The listen backlog, which is also the accept burst: an eighth of the open-file limit,
    between 8 and LISTEN_BACKLOG."""
    if soft == resource.RLIM_INFINITY:
        return LISTEN_BACKLOG
    return max(8, min(LISTEN_BACKLOG, soft // 8))


def connections_for_open_files(soft: int, backlog: int) -> int:
    """What the open-file limit leaves once a quarter of it (at least 128 files) is kept for
    the database, logs, workers and deliveries, and room for the bursts of accepted connections
    in flight before the evicted connections' files are closed."""
    if soft == resource.RLIM_INFINITY:
        return MOST_CONNECTIONS
    kept = max(128, soft // 4) + BURSTS_IN_FLIGHT * backlog
    return max(8, min(MOST_CONNECTIONS, soft - kept))


RequestCallable = Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]


class ConnectionGuard:
    """Keeps a server's open connections under a limit (install it on the server first)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._open: dict[RequestHandler, asyncio.Transport] = {}  # oldest first
        self._busy: dict[RequestHandler, web.BaseRequest] = {}  # in a request, oldest first
        self.evicted = 0

    def install(self, server: web.Server) -> None:
        """Watch `server`'s connections and requests (before it accepts any)."""
        made, lost, handle = server.connection_made, server.connection_lost, server.request_handler

        def connection_made(handler: RequestHandler, transport: asyncio.Transport) -> None:
            made(handler, transport)
            self._admit(handler, transport)

        def connection_lost(handler: RequestHandler, exc: BaseException | None = None) -> None:
            self._open.pop(handler, None)
            self._busy.pop(handler, None)
            lost(handler, exc)

        async def request_handler(request: web.BaseRequest) -> web.StreamResponse:
            handler = request.protocol
            self._busy[handler] = request
            try:
                return await handle(request)
            finally:
                self._busy.pop(handler, None)

        # the server's documented hooks, wrapped on this instance: no subclass to keep in step
        server.connection_made = connection_made  # type: ignore[method-assign]
        server.connection_lost = connection_lost  # type: ignore[method-assign]
        server.request_handler = request_handler

    def _admit(self, handler: RequestHandler, transport: asyncio.Transport) -> None:
        if len(self._open) >= self.limit:
            waiting = self._oldest_waiting_on_client()
            if waiting is None:  # the node is working on every connection: refuse the newcomer
                log.warning("server.connection_refused", extra={"open": len(self._open)})
                transport.abort()
                return
            self.evicted += 1
            if self.evicted % 100 == 1:
                log.warning("server.connection_evicted", extra={"open": len(self._open)})
            self._open.pop(waiting).abort()
        self._open[handler] = transport

    def _oldest_waiting_on_client(self) -> RequestHandler | None:
        """The oldest connection with no request under way (idle, or its headers still
        coming); failing that, the oldest request whose body is still coming."""
        idle = next((old for old in self._open if old not in self._busy), None)
        if idle is not None:
            return idle
        return next(
            (old for old, request in self._busy.items() if not request.content.is_eof()), None
        )
