"""`townhall run`: serves the node; on SIGTERM stops taking requests, finishes, exits 0 in 10 s."""

from __future__ import annotations

import re
import signal
import socket
import sqlite3
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

import pytest

from tests.support.processes import (
    NodeProcess,
    assert_refused,
    cli_env,
    free_port,
    http,
    townhall,
)

STOP_DEADLINE = 10.0
CODE_LINE = re.compile(r"Setup code: (\S+)")
AS2 = "application/activity+json"


@pytest.fixture
def env(node_env: dict[str, str]) -> dict[str, str]:
    return cli_env(node_env)


def init(data_dir: Path, env: dict[str, str], port: int) -> None:
    result = townhall(
        "init", "--data-dir", str(data_dir), "--url", f"http://127.0.0.1:{port}",
        "--name", "Test Org", "--handle", "testorg", env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def wait_until_refused(port: int, timeout: float = 5.0) -> None:
    """Poll until nothing accepts connections on `port` any more."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                pass
        except ConnectionRefusedError:
            return
        time.sleep(0.02)
    raise AssertionError(f"port {port} still accepts connections after {timeout} s")


def read_until_closed(connection: socket.socket) -> bytes:
    chunks = []
    while chunk := connection.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_run_serves_the_node_on_the_given_port(data_dir: Path, env: dict[str, str]) -> None:
    port = free_port()
    init(data_dir, env, port)
    node = NodeProcess(data_dir, env=env, port=port).start()
    try:
        assert http(f"{node.base}/healthz").json() == {"status": "ok"}
        actor = http(f"{node.base}/actors/testorg", headers={"Accept": AS2})
        assert actor.status == 200 and actor.json()["id"] == f"{node.base}/actors/testorg"
        assert node.stdout_lines == []  # no setup code for a node that is set up
    finally:
        assert node.terminate() == 0


def test_sigterm_stops_the_node_with_status_0_despite_an_idle_keepalive_connection(
    data_dir: Path, env: dict[str, str]
) -> None:
    port = free_port()
    init(data_dir, env, port)
    node = NodeProcess(data_dir, env=env, port=port).start()
    keepalive = HTTPConnection("127.0.0.1", port, timeout=STOP_DEADLINE)
    try:
        keepalive.request("GET", "/healthz")
        assert keepalive.getresponse().read() == b'{"status": "ok"}'
        assert node.process is not None
        started = time.monotonic()
        node.process.send_signal(signal.SIGTERM)
        status = node.process.wait(timeout=STOP_DEADLINE)
        elapsed = time.monotonic() - started
    finally:
        keepalive.close()
        node.kill()
    assert status == 0, "\n".join(node.stderr_lines)
    assert elapsed < STOP_DEADLINE
    events = " ".join(node.stderr_lines)
    assert '"node.stopping"' in events and '"node.stopped"' in events
    wait_until_refused(port, timeout=0.5)


def test_sigterm_finishes_an_in_flight_request_then_exits_0(data_dir: Path) -> None:
    # The request in flight is the setup page's installation, kept waiting by a write lock
    # this test holds on the SQLite database (so this test runs on SQLite on any engine).
    data_dir.mkdir()
    database = sqlite3.connect(data_dir / "townhall.sqlite3", isolation_level=None)
    database.execute("PRAGMA journal_mode=WAL")
    database.execute("BEGIN IMMEDIATE")
    node = NodeProcess(data_dir, env=cli_env({})).start()
    try:
        assert node.process is not None
        _, line = node.wait_for_line(CODE_LINE.search)
        form = {
            "code": line.split()[2],
            "name": "Test Org",
            "handle": "testorg",
            "url": node.base,
            "admin_handle": "admin",
            "admin_password": "a long admin password",
        }
        body = urllib.parse.urlencode(form).encode()
        head = (
            f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{node.port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", node.port), timeout=STOP_DEADLINE) as slow:
            slow.sendall(head + body)
            node.wait_for_line(lambda text: '"setup.installing"' in text, stream="stderr")
            started = time.monotonic()
            node.process.send_signal(signal.SIGTERM)
            node.wait_for_line(lambda text: '"node.stopping"' in text, stream="stderr")
            wait_until_refused(node.port)  # takes no new requests...
            assert node.process.poll() is None  # ...but waits for the one in flight
            database.execute("ROLLBACK")
            answer = read_until_closed(slow)
        assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
        assert b"Your node is ready" in answer
        remaining = STOP_DEADLINE - (time.monotonic() - started)
        assert node.process.wait(timeout=max(remaining, 0.1)) == 0
        assert time.monotonic() - started < STOP_DEADLINE
        assert (data_dir / "townhall.toml").is_file()  # the work in flight was finished
    finally:
        node.kill()
        database.close()


def test_sigterm_exits_0_within_10_seconds_even_if_a_request_never_completes(
    data_dir: Path, env: dict[str, str]
) -> None:
    node = NodeProcess(data_dir, env=env).start()
    try:
        assert node.process is not None
        head = (
            f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{node.port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "Content-Length: 1000\r\n\r\ncode="
        ).encode()
        with socket.create_connection(("127.0.0.1", node.port), timeout=STOP_DEADLINE) as stuck:
            stuck.sendall(head)  # and never the rest of the body
            assert http(f"{node.base}/healthz").status == 200
            started = time.monotonic()
            node.process.send_signal(signal.SIGTERM)
            assert node.process.wait(timeout=STOP_DEADLINE + 1) == 0
            elapsed = time.monotonic() - started
        assert elapsed < STOP_DEADLINE
    finally:
        node.kill()


def test_run_refuses_a_port_in_use_in_one_line(data_dir: Path, env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        init(data_dir, env, port)
        result = townhall("run", "--data-dir", str(data_dir), "--port", str(port), env=env)
    assert_refused(result, f"cannot listen on 127.0.0.1:{port}", "in use", logs_allowed=True)


@pytest.mark.parametrize("port", ["0", "65536"])
def test_run_refuses_an_invalid_port(data_dir: Path, env: dict[str, str], port: str) -> None:
    result = townhall("run", "--data-dir", str(data_dir), "--port", port, env=env)
    assert_refused(result, f"invalid port {port}")
    assert not data_dir.exists()
