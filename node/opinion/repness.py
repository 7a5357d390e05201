"""What each group says: its representative statements, and the statements every group agrees
with (group-informed consensus), as pol.is computes them (polismath's repness.clj).

For a group and a statement: na agreed, nd disagreed, ns saw it (voted, passes included).
- pa = (na + 1) / (ns + 2): the chance the group agrees, with Laplace smoothing;
- pat: the one-proportion test that pa is above one half;
- ra = pa / pa of everyone outside the group, and rat: the two-proportion test of the same;
- a statement represents a group (in agreement, or likewise in disagreement) when both tests
  pass at 90% (z > 1.2816); the strongest first by ra x rat x pa x pat.
Group-informed consensus is the product over the groups of each group's pa: a statement is
shown as consensus when every group more likely agrees than not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from node.opinion.matrix import FloatArray

Z_90 = 1.2816
REPRESENTATIVE_PER_GROUP = 5
CONSENSUS_SHOWN = 10


@dataclass(frozen=True)
class Representative:
    column: int
    direction: str  # "agree" or "disagree"
    agreed: int
    disagreed: int
    seen: int
    metric: float


@dataclass(frozen=True)
class Consensus:
    column: int
    score: float  # product over the groups of their smoothed agree probability
    agree_by_group: tuple[float, ...]  # each group's raw share agreeing, 0..1


def counts(values: FloatArray, members: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(agreed, disagreed, seen) per statement among the rows `members` (a boolean mask)."""
    rows = values[members]
    return (
        (rows == 1).sum(axis=0),
        (rows == -1).sum(axis=0),
        (~np.isnan(rows)).sum(axis=0),
    )


def prop_test(successes: np.ndarray, trials: np.ndarray) -> np.ndarray:
    """pol.is's one-proportion z: whether successes / trials is above one half."""
    successes, trials = successes + 1.0, trials + 1.0
    return np.asarray(2 * np.sqrt(trials) * (successes / trials - 0.5))


def two_prop_test(
    inside: np.ndarray, inside_trials: np.ndarray, outside: np.ndarray, outside_trials: np.ndarray
) -> np.ndarray:
    """pol.is's two-proportion z: whether the share inside is above the share outside."""
    inside, inside_trials = inside + 1.0, inside_trials + 1.0
    outside, outside_trials = outside + 1.0, outside_trials + 1.0
    pooled = (inside + outside) / (inside_trials + outside_trials)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / inside_trials + 1 / outside_trials))
    return np.asarray(
        (inside / inside_trials - outside / outside_trials) / np.maximum(spread, 1e-12)
    )


def representative(values: FloatArray, labels: np.ndarray, group: int) -> list[Representative]:
    """The statements that set `group` apart, strongest first (at most five)."""
    inside = labels == group
    na, nd, ns = counts(values, inside)
    oa, od, os_ = counts(values, ~inside)
    found: list[Representative] = []
    for direction, n_in, n_out in (("agree", na, oa), ("disagree", nd, od)):
        p = (n_in + 1) / (ns + 2)
        p_out = (n_out + 1) / (os_ + 2)
        pt = prop_test(n_in, ns)
        r = p / p_out
        rt = two_prop_test(n_in, ns, n_out, os_)
        metric = r * rt * p * pt
        for column in np.flatnonzero((pt > Z_90) & (rt > Z_90) & (ns > 0)):
            found.append(
                Representative(
                    int(column),
                    direction,
                    int(na[column]),
                    int(nd[column]),
                    int(ns[column]),
                    float(metric[column]),
                )
            )
    # a statement may represent a group one way only: the stronger
    strongest: dict[int, Representative] = {}
    for item in found:
        if item.column not in strongest or item.metric > strongest[item.column].metric:
            strongest[item.column] = item
    ranked = sorted(strongest.values(), key=lambda item: (-item.metric, item.column))
    return ranked[:REPRESENTATIVE_PER_GROUP]


def consensus(values: FloatArray, labels: np.ndarray, groups: int) -> list[Consensus]:
    """Statements every group more likely agrees with than not, by group-informed consensus."""
    smoothed, raw = [], []
    for group in range(groups):
        na, _, ns = counts(values, labels == group)
        smoothed.append((na + 1) / (ns + 2))
        raw.append(np.where(ns > 0, na / np.maximum(ns, 1), 0.0))
    probabilities = np.array(smoothed).reshape(groups, values.shape[1])
    shares = np.array(raw).reshape(groups, values.shape[1])
    scores = probabilities.prod(axis=0)
    agreed = (probabilities > 0.5).all(axis=0)
    chosen = sorted(np.flatnonzero(agreed), key=lambda column: (-scores[column], column))
    return [
        Consensus(int(column), float(scores[column]), tuple(float(s) for s in shares[:, column]))
        for column in chosen[:CONSENSUS_SHOWN]
    ]
