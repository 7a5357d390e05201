"""Serving a node: first-run setup when the data dir is empty, then the node, until SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import ssl
import sys
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from node.app import create_app, create_setup_app
from node.config import is_initialised, load_config
from node.install import NodeSettings, SetUp, set_up
from node.serving_limits import ConnectionGuard, ServingLimits
from web.handlers.setup import SetupState, new_setup_code
from web.middlewares import loggable_path

log = logging.getLogger("townhall.server")
access_log = logging.getLogger("townhall.access")
SHUTDOWN_GRACE_SECONDS = 6.0  # for requests in flight, after SIGTERM
SHUTDOWN_DEADLINE_SECONDS = 9.0  # for the whole stop (requests, then workers and database)


class ListenError(OSError):
    """The node cannot listen where it was asked to; the message says where and why."""


class JsonAccessLogger(AbstractAccessLogger):
    """One `http.request` log record per request (a JSON line through node.logs)."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        """Record the method, the path (without the query; the route pattern when the path
        holds a secret code), the status and the duration."""
        self.logger.info(
            "http.request",
            extra={
                "method": request.method,
                "path": loggable_path(request),
                "status": response.status,
                "duration_ms": round(time * 1000, 2),
                "remote": request.remote,
            },
        )

    @property
    def enabled(self) -> bool:
        """Skip the work when INFO records of the access logger are dropped anyway."""
        return self.logger.isEnabledFor(logging.INFO)


@dataclass(frozen=True)
class Listen:
    """Where to listen, and the TLS certificate to serve with (plain HTTP without one)."""

    host: str
    port: int
    ssl_context: ssl.SSLContext | None = None

    @property
    def address(self) -> str:
        """The listening address as a URL."""
        scheme = "https" if self.ssl_context else "http"
        return f"{scheme}://{self.host}:{self.port}/"


async def serve(data_dir: Path, listen: Listen) -> None:
    """Run until SIGTERM or SIGINT; serve the setup page first if the node is not set up."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    if not is_initialised(data_dir):
        finished = await _serve_setup(data_dir, listen, stop)
        if not finished:
            return
    config = load_config(data_dir)
    await _serve_app(create_app(config), listen, stop, config.url)


async def _serve_setup(data_dir: Path, listen: Listen, stop: asyncio.Event) -> bool:
    state = SetupState(code=new_setup_code(), announce=_announce_code)

    async def install(settings: NodeSettings) -> SetUp:
        return await set_up(data_dir, settings)

    _announce_code(state.code)
    runner = await _start(create_setup_app(state, install), listen)
    log.info("setup.listening", extra={"address": listen.address})
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(state.done.wait())]
    await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    for waiter in waiters:
        waiter.cancel()
    if stop.is_set():
        log.info("node.stopping")
    await _stop(runner)
    if stop.is_set():
        log.info("node.stopped")
        return False
    return state.done.is_set()


def _announce_code(code: str) -> None:
    # printed on the console only, never logged: whoever reads it may take over the node
    print(f"Setup code: {code}  (enter it on the setup page)", file=sys.stdout, flush=True)


async def _serve_app(app: web.Application, listen: Listen, stop: asyncio.Event, url: str) -> None:
    runner = await _start(app, listen)
    log.info("node.listening", extra={"address": listen.address, "url": url})
    await stop.wait()
    log.info("node.stopping")
    await _stop(runner)
    log.info("node.stopped")


async def _stop(runner: web.AppRunner) -> None:
    """Stop listening, let requests in flight finish, then clean up; all within the deadline."""
    try:
        await asyncio.wait_for(runner.cleanup(), SHUTDOWN_DEADLINE_SECONDS)
    except TimeoutError:
        log.warning("node.stop_deadline_passed", extra={"seconds": SHUTDOWN_DEADLINE_SECONDS})


async def _start(app: web.Application, listen: Listen) -> web.AppRunner:
    limits = ServingLimits.for_this_process()
    runner = web.AppRunner(
        app,
        shutdown_timeout=SHUTDOWN_GRACE_SECONDS,
        access_log_class=JsonAccessLogger,
        access_log=access_log,
        # aiohttp's keep-alive timer runs from the connection's start (or the last answer) until
        # a request's headers are in: the header timeout, and the idle one
        keepalive_timeout=limits.header_seconds,
    )
    await runner.setup()
    assert runner.server is not None
    ConnectionGuard(limits.max_connections).install(runner.server)
    site = web.TCPSite(
        runner,
        listen.host,
        listen.port,
        reuse_address=True,
        ssl_context=listen.ssl_context,
        backlog=limits.backlog,
    )
    try:
        await site.start()
    except OSError as error:
        await runner.cleanup()
        reason = error.strerror or str(error)
        if error.errno is not None and not isinstance(error, socket.gaierror):
            reason = os.strerror(error.errno)
        raise ListenError(f"cannot listen on {listen.host}:{listen.port}: {reason}") from None
    except BaseException:
        await runner.cleanup()
        raise
    return runner
