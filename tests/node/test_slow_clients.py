"""Slow clients cannot take a node down: under a 256-file limit, 300 connections that trickle
their headers or bodies are dropped after the timeouts, and a normal request is answered
meanwhile."""

from __future__ import annotations

import socket
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.processes import (
    NodeProcess,
    cli_env,
    initialised_on_free_port,
)

OPEN_FILES = 256
SLOW_HEADERS = 240
SLOW_BODIES = 60
TIMEOUT_SECONDS = 2.0


def trickling_connections(port: int) -> list[socket.socket]:
    """Connections that send part of a request and then a little more now and then."""
    opened = []
    for number in range(SLOW_HEADERS + SLOW_BODIES):
        try:
            conn = socket.create_connection(("127.0.0.1", port), timeout=3)
        except OSError:  # the listen queue is full: the node is not accepting
            continue
        if number < SLOW_HEADERS:
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        else:
            head = b"POST /inbox HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            conn.sendall(head + b"Content-Length: 100000\r\n\r\n{")
        conn.setblocking(False)
        opened.append(conn)
    return opened


def trickle(connections: list[socket.socket], still_open: set[socket.socket]) -> None:
    """One more byte on each connection still open; forget those the node has closed."""
    for conn in list(still_open):
        try:
            while conn.recv(65536):  # an answer (such as 408) before the close: read past it
                pass
            still_open.discard(conn)  # b"": the node closed it
            continue
        except BlockingIOError:
            pass
        except OSError:
            still_open.discard(conn)
            continue
        try:
            conn.send(b"X-Slow: 1\r\n" if connections.index(conn) < SLOW_HEADERS else b" ")
        except BlockingIOError:
            pass
        except OSError:
            still_open.discard(conn)


def normal_request(base: str, tries: int = 5) -> int:
    """GET /healthz as a browser would, trying again if the connection is reset or refused (at
    the connection cap a loaded node may drop a connection that has not yet sent its request)."""
    for attempt in range(tries):
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=3) as response:
                return int(response.status)
        except OSError:  # reset, or refused while the listen queue is full
            if attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


@pytest.mark.alone  # the machine's other work would be load of its own: see the Makefile
def test_slow_clients_are_dropped_and_a_normal_request_is_answered_meanwhile(
    data_dir: Path, node_env: dict[str, str]
) -> None:
    env = cli_env(node_env)
    port = initialised_on_free_port(data_dir, env)
    env["TOWNHALL_HEADER_TIMEOUT_SECONDS"] = env["TOWNHALL_BODY_TIMEOUT_SECONDS"] = "2"
    node = NodeProcess(data_dir, env=env, port=port, open_files=OPEN_FILES).start()
    connections: list[socket.socket] = []
    try:
        connections = trickling_connections(port)
        # more than the node has files for (a loaded machine may drop the odd connect)
        assert len(connections) > OPEN_FILES + 20, len(connections)
        started = time.monotonic()
        still_open = set(connections)
        trickle(connections, still_open)
        assert normal_request(node.base) == 200  # while the slow ones are connected
        answered_after = time.monotonic() - started
        while still_open and time.monotonic() - started < TIMEOUT_SECONDS + 6:
            time.sleep(0.25)
            trickle(connections, still_open)
        assert not still_open, f"{len(still_open)} slow connections still open"
        assert answered_after < TIMEOUT_SECONDS, answered_after
        assert normal_request(node.base) == 200
    finally:
        for conn in connections:
            conn.close()
        assert node.terminate() == 0
    assert not [line for line in node.stderr_lines if "Too many open files" in line]
    assert not [line for line in node.stderr_lines if "request.crashed" in line]
    assert any('"request.body_too_slow"' in line for line in node.stderr_lines)
