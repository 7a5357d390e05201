"""Real `townhall` processes for tests: the CLI in a subprocess and a node on a free port."""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

TOWNHALL = [sys.executable, "-m", "node.cli"]
START_TIMEOUT = 20.0
POLL_SECONDS = 0.02


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def initialised_on_free_port(data_dir: Path, env: dict[str, str], handle: str = "org") -> int:
    """`townhall init` a node at http://127.0.0.1:PORT on a free port; that port."""
    port = free_port()
    result = townhall(
        "init", "--data-dir", str(data_dir), "--url", f"http://127.0.0.1:{port}",
        "--name", "Org", "--handle", handle, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return port


def townhall(
    *args: str,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 60,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run one `townhall` command to completion."""
    return subprocess.run(
        [*TOWNHALL, *args],
        env={**os.environ, **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=cwd,
    )


class _Lines:
    """The lines a pipe has produced so far, read by a thread so the pipe never fills up."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    def snapshot(self) -> list[str]:
        with self._lock:
            return list(self.lines)

    def join(self, timeout: float = 5.0) -> bool:
        """Wait for the end of the stream; whether it ended."""
        self._thread.join(timeout)
        return not self._thread.is_alive()


@dataclass
class NodeProcess:
    """A `townhall run` process on a loopback address (127.0.0.1 unless a test gives another of
    127.0.0.0/8, to play a server on a host of its own) and a free port; its output is
    collected as lines."""

    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    address: str = "127.0.0.1"
    open_files: int | None = None  # RLIMIT_NOFILE of the process, when a test lowers it
    process: subprocess.Popen[str] | None = None
    _stdout: _Lines | None = None
    _stderr: _Lines | None = None

    @property
    def base(self) -> str:
        """Where it listens."""
        return f"http://{self.address}:{self.port}"

    def start(self, wait: bool = True) -> NodeProcess:
        """Start it and (unless `wait` is false) wait until /healthz answers."""
        self.process = subprocess.Popen(
            [*TOWNHALL, "run", "--data-dir", str(self.data_dir), "--port", str(self.port)]
            + (["--host", self.address] if self.address != "127.0.0.1" else []),
            env={**os.environ, **self.env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=self._limit_open_files if self.open_files else None,
        )
        assert self.process.stdout is not None and self.process.stderr is not None
        self._stdout = _Lines(self.process.stdout)
        self._stderr = _Lines(self.process.stderr)
        if wait:
            self.wait_until_up()
        return self

    def _limit_open_files(self) -> None:
        assert self.open_files is not None
        resource.setrlimit(resource.RLIMIT_NOFILE, (self.open_files, self.open_files))

    @property
    def stdout_lines(self) -> list[str]:
        """What it printed on stdout so far."""
        return self._stdout.snapshot() if self._stdout else []

    @property
    def stderr_lines(self) -> list[str]:
        """What it printed (logged) on stderr so far."""
        return self._stderr.snapshot() if self._stderr else []

    def _died(self) -> AssertionError:
        assert self.process is not None
        self._join_output()
        out, err = "\n".join(self.stdout_lines), "\n".join(self.stderr_lines)
        return AssertionError(f"node exited with {self.process.returncode}: {out}\n{err}")

    def wait_until_up(self, timeout: float = START_TIMEOUT) -> None:
        """Poll /healthz until it answers; fail with the process output if it dies."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise self._died()
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=1):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(POLL_SECONDS)
        raise AssertionError(f"node did not answer within {timeout} s")

    def wait_for_line(
        self,
        matches: Callable[[str], bool],
        stream: str = "stdout",
        after: int = 0,
        timeout: float = START_TIMEOUT,
    ) -> tuple[int, str]:
        """The first line (index, text) at or after index `after` of `stream` that `matches`."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while True:
            lines = self.stdout_lines if stream == "stdout" else self.stderr_lines
            for index in range(after, len(lines)):
                if matches(lines[index]):
                    return index, lines[index]
            if self.process.poll() is not None:
                raise self._died()
            if time.monotonic() > deadline:
                raise AssertionError(f"no matching {stream} line within {timeout} s: {lines}")
            time.sleep(POLL_SECONDS)

    def terminate(self, timeout: float = 10.0) -> int:
        """Send SIGTERM and return the exit code (fails if it takes longer than `timeout`)."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self.kill()

    def kill(self) -> None:
        """SIGKILL if still running, and release the pipes (the output stays readable)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._join_output()

    def _join_output(self) -> None:
        assert self.process is not None
        pairs = ((self._stdout, self.process.stdout), (self._stderr, self.process.stderr))
        for lines, stream in pairs:
            ended = lines.join() if lines is not None else True
            if ended and stream is not None and not stream.closed:
                stream.close()


def cli_env(node_env: dict[str, str]) -> dict[str, str]:
    """The environment for `townhall` commands of a test: only this test's settings count."""
    return {"TOWNHALL_DATA_DIR": "", "TOWNHALL_DATABASE_URL": "", **node_env}


def is_json_line(line: str) -> bool:
    """Whether `line` is one JSON object (a structured log line)."""
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def assert_refused(
    result: subprocess.CompletedProcess[str], *fragments: str, logs_allowed: bool = False
) -> str:
    """A non-zero exit with exactly one human line on stderr, no traceback; that line.

    With `logs_allowed`, JSON log lines may come before it (a node that started to serve).
    """
    assert result.returncode != 0, f"exit 0: {result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    if logs_allowed:
        lines = [line for line in lines if not is_json_line(line)]
    assert len(lines) == 1, f"not one line on stderr: {result.stderr!r}"
    line = lines[0]
    assert line.startswith("townhall: error: "), line
    for fragment in fragments:
        assert fragment in line, f"{fragment!r} is not in {line!r}"
    return line


@dataclass(frozen=True)
class Answer:
    """An HTTP response, read whole."""

    status: int
    headers: dict[str, str]
    body: str

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


def http(
    url: str,
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> Answer:
    """GET `url`, or POST `form` url-encoded to it; any status is an answer (redirects followed)."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read().decode()
            return Answer(response.status, dict(response.headers), body)
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, dict(error.headers), error.read().decode())
