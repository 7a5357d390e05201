"""The benchmarks still run: each, made small, exits cleanly and prints its figures.

The figures themselves are not judged here (targets live in the benchmarks' output, read by
people); this only keeps bench/ from rotting as the code under it changes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_bench(*arguments: str) -> str:
    """Run a benchmark script; its standard output (the test fails on a non-zero exit)."""
    environment = {k: v for k, v in os.environ.items() if k != "TOWNHALL_DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.parametrize("receivers", ["minimal", "aiohttp"])
def test_the_fan_out_benchmark_delivers_everything_both_ways(receivers: str) -> None:
    output = run_bench(
        "bench/fanout.py", "--hosts", "4", "--per-host", "3", "--concurrency", "4",
        "--processes", "1,2", "--rounds", "2", "--sign-seconds", "0.2", "--timeout", "60",
        "--receivers", receivers,
    )  # fmt: skip
    assert f"receivers: {receivers}" in output
    rounds = [line for line in output.splitlines() if line.startswith("  round")]
    medians = [line for line in output.splitlines() if line.startswith("fan-out")]
    assert len(rounds) == 8  # 2 variants x 2 ways of sending x 2 rounds
    assert sum("4 POSTs in" in line for line in rounds) == 4  # shared: one per host
    assert sum("12 POSTs in" in line for line in rounds) == 4  # personal: one per follower
    assert all("0 needed a second try" in line for line in rounds)
    assert len(medians) == 4
    assert all("over 2 round(s)" in line and "ratio median" in line for line in medians)


def test_the_inbox_benchmark_accepts_everything() -> None:
    output = run_bench("bench/inbox.py", "--requests", "60", "--rounds", "1", "--concurrency", "4")
    assert "statuses {202: 60}" in output
    assert "ratio:" in output


def test_the_report_benchmark_sends_as_many_queries_for_a_big_thread_as_for_a_small_one() -> None:
    output = run_bench("bench/report.py", "--comments", "10,40", "--runs", "5")
    lines = [line for line in output.splitlines() if "report page p50" in line]
    assert len(lines) == 2, output
    # "N queries", the same (the fewest of a size's runs: the node's workers query now and then)
    assert lines[0].rsplit("|", 1)[1] == lines[1].rsplit("|", 1)[1], output
    assert "query counts equal" in output


def test_the_remote_page_benchmark_asks_the_proposals_home_nothing_during_the_views() -> None:
    output = run_bench("bench/remote_page.py", "--comments", "8", "--runs", "5")
    assert "B's page" in output and " queries | " in output, output
    assert "requests A received during 5 views: 0" in output, output


def test_the_digest_benchmark_builds_and_delivers_every_digest() -> None:
    output = run_bench("bench/digest.py", "--members", "150")
    assert "digests queued:     150, received by aiosmtpd: 150" in output
    assert "worker peak RSS:" in output and "time to send:" in output


def test_the_open_data_benchmark_streams_every_file_of_a_statement_vote() -> None:
    output = run_bench("bench/opendata.py", "--votes", "300,600")
    lines = [line for line in output.splitlines() if " votes | " in line]
    assert len(lines) == 8, output
    assert all("peak RSS growth" in line for line in lines), output


def test_the_opinion_benchmark_clusters_and_prints_its_time_and_memory() -> None:
    output = run_bench(
        "bench/opinion.py", "--participants", "300", "--statements", "40", "--groups", "3",
        "--runs", "1",
    )  # fmt: skip
    assert "opinion map: 300 participants x 40 statements at 40% density" in output, output
    assert "k=3" in output and "compute time median" in output and "peak RSS" in output, output
