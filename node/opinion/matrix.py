"""The participant x statement vote matrix: 1 agree, -1 disagree, 0 pass, NaN not voted.

Rows are participants and columns statements, each sorted by id, so the same votes always give
the same matrix (and, with the same seed, the same map)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class VoteMatrix:
    participants: tuple[int, ...]  # row ids, ascending
    statements: tuple[int, ...]  # column ids, ascending
    values: FloatArray  # len(participants) x len(statements); NaN where no vote

    @property
    def votes(self) -> int:
        return int(np.count_nonzero(~np.isnan(self.values)))


def vote_matrix(votes: Iterable[tuple[int, int, int]]) -> VoteMatrix:
    """The matrix of (participant id, statement id, value) triples; a later triple for the same
    participant and statement replaces an earlier one (the last vote counts)."""
    triples = np.array(list(votes), dtype=np.int64).reshape(-1, 3)
    participants, rows = np.unique(triples[:, 0], return_inverse=True)
    statements, columns = np.unique(triples[:, 1], return_inverse=True)
    values = np.full((len(participants), len(statements)), np.nan)
    values[rows, columns] = np.sign(triples[:, 2])
    return VoteMatrix(
        tuple(int(p) for p in participants), tuple(int(s) for s in statements), values
    )
