"""The opinion map's computation for a large consultation: its time and the memory it needs.

Plants --groups opinion groups among --participants people voting on --statements statements,
each person voting on --density of them (10% of votes noise), then computes the map as the
worker's child process does (node/opinion/compute.compute_map: the matrix, PCA, k-means for k
from 2 to 5 with silhouettes, representative and consensus statements) and prints the time,
the peak of Python's allocations (tracemalloc, numpy's arrays included) and the process's peak
RSS (the numpy import included), with BLAS on one thread as in the child. Target: 2,000 x 300
at 40% in under 2 s and 300 MB.

Run: .venv/bin/python bench/opinion.py [--participants 2000 --statements 300 --density 0.4]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from node.opinion.threads import ONE_THREAD

os.environ.update(ONE_THREAD)  # as the worker's child process runs, before numpy loads

import numpy as np

from node.opinion.compute import compute_map


def planted(
    participants: int, statements: int, density: float, groups: int, seed: int
) -> list[tuple[int, int, int]]:
    """Votes of `groups` planted groups: each person votes on `density` of the statements."""
    rng = np.random.default_rng(seed)
    views = rng.choice([1, -1], size=(groups, statements))
    group = rng.integers(groups, size=participants)
    chosen = rng.random((participants, statements)) < density
    values = views[group]
    noise = rng.random((participants, statements)) < 0.1
    values = np.where(noise, rng.choice([1, 0, -1], size=values.shape), values)
    people, columns = np.nonzero(chosen)
    return list(
        zip(
            (people + 1).tolist(), (columns + 1).tolist(), values[people, columns].tolist(),
            strict=True,
        )
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--statements", type=int, default=300)
    parser.add_argument("--density", type=float, default=0.4)
    parser.add_argument("--groups", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    votes = planted(
        arguments.participants, arguments.statements, arguments.density, arguments.groups, 1
    )
    print(
        f"opinion map: {arguments.participants} participants x {arguments.statements} statements"
        f" at {arguments.density:.0%} density, {len(votes):,} votes, {arguments.groups} planted"
        " groups"
    )
    times = []
    for run in range(arguments.runs):
        tracemalloc.start()
        started = time.perf_counter()
        result = compute_map(votes)
        times.append(time.perf_counter() - started)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"  run {run + 1}: {times[-1]:.2f} s, k={result.get('k')}, silhouette"
            f" {result.get('silhouette')}, groups {[g['members'] for g in result['groups']]},"
            f" consensus {len(result.get('consensus', []))}, tracemalloc peak {peak / 2**20:.1f} MB"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(f"compute time median {sorted(times)[len(times) // 2]:.2f} s (target < 2 s)")
    print(f"peak RSS {rss:.0f} MB (target < 300 MB; numpy and the votes list included)")


if __name__ == "__main__":
    main()
