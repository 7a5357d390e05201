"""Server processes for the benchmarks: start with output to a file, stop, read CPU time.

A server's log goes to a file, not to a pipe read by the benchmark: a pipe reader would take
CPU and the GIL from the load generator, and a full pipe would stall the server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOWNHALL = [sys.executable, "-m", "node.cli"]
IDLE_CPU_SHARE = 0.05


def environment() -> dict[str, str]:
    """This environment, on the embedded SQLite database whatever the caller had set."""
    env = dict(os.environ)
    for name in ("TOWNHALL_DATABASE_URL", "TOWNHALL_DATA_DIR"):
        env.pop(name, None)
    return env


def healthy(url: str) -> bool:
    """Whether `url` answers 200 right now."""
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def start(
    command: list[str], port: int, log: Path, cpus: set[int] | None = None
) -> subprocess.Popen[bytes]:
    """Start a server (on `cpus` only, when given) and wait until it answers /healthz."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            command, env=environment() | database_env(), cwd=ROOT,
            stdin=subprocess.DEVNULL, stdout=output, stderr=output,
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )  # fmt: skip
    deadline = time.monotonic() + 30
    while not healthy(f"http://127.0.0.1:{port}/healthz"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"{command[2]} did not start; see {log}")
        time.sleep(0.05)
    return process


def database_env() -> dict[str, str]:
    """TOWNHALL_DATABASE_URL when the benchmark runs against PostgreSQL."""
    url = os.environ.get("TOWNHALL_DATABASE_URL")
    return {"TOWNHALL_DATABASE_URL": url} if url else {}


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if it has not ended within 15 s."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def split_cpus() -> tuple[set[int] | None, set[int] | None]:
    """(the server's CPUs, the load generator's): one core each when there are two or more,
    so that neither steals the other's core and the scheduler's placement does not decide the
    figures; (None, None) on a single core."""
    available = sorted(os.sched_getaffinity(0))
    if len(available) < 2:
        return None, None
    return {available[0]}, set(available[1:])


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU seconds used so far by these processes (Linux /proc)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def children_of(pids: Sequence[int]) -> list[int]:
    """The running child processes of these processes (Linux /proc)."""
    parents = set(pids)
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # it ended meanwhile
                continue
            if int(fields[1]) in parents:
                found.append(int(entry.name))
    return found


def wait_until_idle(pid: int, timeout: float = 120.0, window: float = 0.5) -> None:
    """Wait until the process uses under 5 % of a core (its background work is done)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = cpu_seconds([pid])
        time.sleep(window)
        if cpu_seconds([pid]) - before < IDLE_CPU_SHARE * window:
            return
    raise SystemExit(f"process {pid} was still busy after {timeout:.0f} s")
