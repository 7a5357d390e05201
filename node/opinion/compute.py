"""The opinion map of a list of votes, as the JSON the worker stores (OpinionMap.result).

Pseudonymous: the result names statements by id but no participant; the points are in an order
shuffled by the seed, not in the order of anyone's id.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from node.opinion.clustering import cluster, project
from node.opinion.matrix import vote_matrix
from node.opinion.repness import consensus, representative

FORMAT = 1
SEED = 20221  # fixed: the same votes give the same map
MIN_VOTES = 7  # pol.is: fewer votes than this (or than there are statements) → not clustered
MIN_PARTICIPANTS = 6  # clustered participants needed for a map at all
MIN_STATEMENTS = 2


def compute_map(votes: Iterable[tuple[int, int, int]], seed: int = SEED) -> dict[str, Any]:
    """The map of (participant id, statement id, value) votes: groups, points, representative
    and consensus statements (see clustering.py and repness.py for the maths)."""
    matrix = vote_matrix(votes)
    values = matrix.values
    base: dict[str, Any] = {
        "format": FORMAT,
        "seed": seed,
        "votes_counted": matrix.votes,
        "participants": len(matrix.participants),
        "statements": len(matrix.statements),
    }
    if not matrix.participants:
        return {**base, "enough": False, "clustered": 0}
    voted = (~np.isnan(values)).sum(axis=1)
    clustered = voted >= min(MIN_VOTES, len(matrix.statements))
    base["clustered"] = int(clustered.sum())
    if base["clustered"] < MIN_PARTICIPANTS or len(matrix.statements) < MIN_STATEMENTS:
        return {**base, "enough": False}
    inside = values[clustered]
    points = project(inside)
    found = cluster(points, seed)
    labels = found.labels
    ids = matrix.statements
    groups = [
        {
            "members": int((labels == group).sum()),
            "representative": [
                {
                    "statement": ids[item.column],
                    "direction": item.direction,
                    "agreed": item.agreed,
                    "disagreed": item.disagreed,
                    "seen": item.seen,
                }
                for item in representative(inside, labels, group)
            ],
        }
        for group in range(found.k)
    ]
    order = np.random.default_rng(seed).permutation(len(points))
    return {
        **base,
        "enough": True,
        "k": found.k,
        "silhouette": round(found.silhouette, 4),
        "groups": groups,
        "points": [
            [round(float(points[i, 0]), 3), round(float(points[i, 1]), 3), int(labels[i])]
            for i in order
        ],
        "consensus": [
            {
                "statement": ids[item.column],
                "score": round(item.score, 4),
                "agree_by_group": [round(share, 4) for share in item.agree_by_group],
            }
            for item in consensus(inside, labels, found.k)
        ],
    }


def group_labels(votes: Iterable[tuple[int, int, int]], seed: int = SEED) -> dict[int, int]:
    """Each clustered participant's group (for tests and analysis: never stored)."""
    matrix = vote_matrix(votes)
    voted = (~np.isnan(matrix.values)).sum(axis=1)
    clustered = voted >= min(MIN_VOTES, len(matrix.statements))
    labels = cluster(project(matrix.values[clustered]), seed).labels
    ids = [p for p, keep in zip(matrix.participants, clustered, strict=True) if keep]
    return {participant: int(label) for participant, label in zip(ids, labels, strict=True)}
