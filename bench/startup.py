"""Start-up time and idle memory of `townhall run` on a fresh SQLite data dir.

Initialises a data dir in a temporary folder, then N times: spawns `townhall run`, measures the
wall time until /healthz first answers 200 (polled every 10 ms), lets the node idle for 3 s and
reads its resident memory (VmRSS in /proc/PID/status), then stops it with SIGTERM.
Aims: ready in under 2 s, under 80 MB resident when idle.

Run: .venv/bin/python bench/startup.py [--runs 5] [--idle 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.servers import ROOT, TOWNHALL, environment, healthy, stop
from tests.support.processes import free_port

POLL_SECONDS = 0.01
START_LIMIT_SECONDS = 30.0
AIM_READY_SECONDS = 2.0
AIM_IDLE_MB = 80.0


def initialise(data_dir: Path, port: int) -> None:
    """`townhall init` a new node in `data_dir`."""
    result = subprocess.run(
        [*TOWNHALL, "init", "--data-dir", str(data_dir), "--url", f"http://127.0.0.1:{port}",
         "--name", "Bench", "--handle", "bench"],
        env=environment(), cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"townhall init failed: {result.stderr.strip()}")


def resident_mb(pid: int) -> float:
    """The process's resident set size (VmRSS) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def one_run(data_dir: Path, port: int, idle: float, log: Path) -> tuple[float, float]:
    """(seconds until /healthz answered 200, idle resident MB) of one `townhall run`."""
    with log.open("ab") as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            [*TOWNHALL, "run", "--data-dir", str(data_dir), "--port", str(port)],
            env=environment(), cwd=ROOT, stdin=subprocess.DEVNULL, stdout=output, stderr=output,
        )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/healthz"
        while not healthy(url):
            if process.poll() is not None:
                raise SystemExit(f"the node exited with {process.returncode}; see {log}")
            if time.perf_counter() - started > START_LIMIT_SECONDS:
                raise SystemExit(f"no 200 from {url} within {START_LIMIT_SECONDS} s")
            time.sleep(POLL_SECONDS)
        ready = time.perf_counter() - started
        time.sleep(idle)  # the measurement itself: memory after a quiet spell
        memory = resident_mb(process.pid)
    finally:
        if process.poll() is None:
            stop(process)
    return ready, memory


def describe(name: str, values: list[float], unit: str, aim: str) -> str:
    return (
        f"{name}: median {statistics.median(values):.{2 if unit == 's' else 1}f} {unit}, "
        f"min {min(values):.{2 if unit == 's' else 1}f} {unit}, "
        f"max {max(values):.{2 if unit == 's' else 1}f} {unit} over {len(values)} runs "
        f"(aim: {aim})"
    )


def main(runs: int, idle: float) -> None:
    """Measure and print the figures."""
    with tempfile.TemporaryDirectory(prefix="townhall-bench-") as folder:
        data_dir = Path(folder) / "data"
        port = free_port()
        initialise(data_dir, port)
        figures = [one_run(data_dir, port, idle, Path(folder) / "node.log") for _ in range(runs)]
    ready = [seconds for seconds, _ in figures]
    memory = [megabytes for _, megabytes in figures]
    print(describe("startup to first /healthz 200", ready, "s", f"under {AIM_READY_SECONDS:g} s"))
    print(
        describe(
            f"idle resident memory after {idle:g} s", memory, "MB", f"under {AIM_IDLE_MB:g} MB"
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=3.0)
    arguments = parser.parse_args()
    main(arguments.runs, arguments.idle)
