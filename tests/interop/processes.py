"""Peer processes of the interop tier: started with their output in a log file, ended by pid."""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
LOG_TAIL_LINES = 40


class PeerStartError(RuntimeError):
    """A peer did not come up; the message names it and holds the end of its log."""


@dataclass
class ServiceProcess:
    """One long-running peer (a server) with its log file."""

    name: str
    command: list[str]
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServiceProcess:
        """Start it; its stdout and stderr go to the log file."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env={**os.environ, **self.env},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    @property
    def pid(self) -> int:
        """Its process id."""
        assert self.process is not None
        return self.process.pid

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        """The last lines of its log."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def wait_for_tls(self, address: str, host: str, context: ssl.SSLContext) -> None:
        """Wait until it completes a TLS handshake for `host` on address:443."""
        deadline = time.monotonic() + START_TIMEOUT
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise PeerStartError(
                    f"{self.name} exited with {self.process.returncode} while starting:\n"
                    + self.log_tail()
                )
            try:
                with (
                    socket.create_connection((address, 443), timeout=2) as raw,
                    context.wrap_socket(raw, server_hostname=host),
                ):
                    return
            except OSError as error:
                last_error = error
                time.sleep(0.1)
        raise PeerStartError(
            f"{self.name} did not answer TLS on {address}:443 within {START_TIMEOUT:.0f} s "
            f"({last_error}):\n{self.log_tail()}"
        )

    def stop(self) -> None:
        """SIGTERM by pid, then SIGKILL by pid if it does not exit in time."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT)
