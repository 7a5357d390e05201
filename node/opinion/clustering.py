"""Opinion groups: PCA of the vote matrix to two components, then k-means for k from 2 to 5,
keeping the k with the best silhouette.

Missing votes. pol.is projects each participant from the statements they voted on and scales
the projection up by sqrt(statements / votes), so that someone who voted on little is not
pulled towards the centre. We do the same: missing entries are filled with the column's mean
(after centring they add nothing to the projection), the principal components are found by an
SVD of that centred matrix, and each participant's point is scaled by sqrt(statements / votes).

Determinism: the inputs are sorted by id (matrix.py), k-means++ seeds come from
numpy.random.default_rng(seed), and the components' signs are fixed (largest loading positive).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from node.opinion.matrix import FloatArray

K_CHOICES = range(2, 6)
RESTARTS = 8  # k-means runs per k, from different k-means++ seeds; the tightest is kept
MAX_ITERATIONS = 100
SILHOUETTE_SAMPLE = 2000  # beyond this many points the silhouette is estimated on a sample


def project(values: FloatArray) -> FloatArray:
    """Each row of `values` (NaN where missing) as a point in the first two principal
    components, scaled by sqrt(columns / votes) as pol.is does."""
    seen = ~np.isnan(values)
    counts = seen.sum(axis=0)
    means = np.where(counts > 0, np.nansum(values, axis=0) / np.maximum(counts, 1), 0.0)
    centred = np.where(seen, values - means, 0.0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    components = components[:2]
    if components.shape[0] < 2:  # a single statement: a second, empty axis
        components = np.vstack([components, np.zeros((2 - components.shape[0], values.shape[1]))])
    # a component's sign is arbitrary: make its largest loading positive, for the same picture
    signs = np.sign(components[np.arange(2), np.abs(components).argmax(axis=1)])
    components *= np.where(signs == 0, 1.0, signs)[:, None]
    points = centred @ components.T
    scale = np.sqrt(values.shape[1] / np.maximum(seen.sum(axis=1), 1))
    return np.asarray(points * scale[:, None], dtype=np.float64)


@dataclass(frozen=True)
class Clustering:
    k: int
    labels: np.ndarray  # group of each point, 0 = the largest group
    silhouette: float


def cluster(points: FloatArray, seed: int) -> Clustering:
    """The best k-means clustering of `points` for k from 2 to 5, by silhouette."""
    rng = np.random.default_rng(seed)
    sample = (
        np.sort(rng.choice(len(points), SILHOUETTE_SAMPLE, replace=False))
        if len(points) > SILHOUETTE_SAMPLE
        else np.arange(len(points))
    )
    distances = pairwise_distances(points[sample])  # once for every k
    best: Clustering | None = None
    for k in K_CHOICES:
        if k >= len(points):
            break
        labels = kmeans(points, k, rng)
        if len(np.unique(labels)) < 2:
            continue
        score = silhouette(distances, labels[sample])
        if best is None or score > best.silhouette + 1e-9:
            best = Clustering(k, labels, score)
    if best is None:  # every point in one place: one group
        return Clustering(1, np.zeros(len(points), dtype=np.int64), 0.0)
    return Clustering(best.k, _by_size(best.labels), best.silhouette)


def kmeans(points: FloatArray, k: int, rng: np.random.Generator) -> np.ndarray:
    """The labels of the tightest of RESTARTS k-means runs (Lloyd's, k-means++ seeds)."""
    best_labels, best_inertia = np.zeros(len(points), dtype=np.int64), np.inf
    for _ in range(RESTARTS):
        centres = _plus_plus(points, k, rng)
        labels = np.zeros(len(points), dtype=np.int64)
        for iteration in range(MAX_ITERATIONS):
            distances = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
            new_labels = distances.argmin(axis=1)
            if iteration and np.array_equal(new_labels, labels):
                break
            labels = new_labels
            for group in range(k):
                members = points[labels == group]
                if len(members):
                    centres[group] = members.mean(axis=0)
        inertia = float(((points - centres[labels]) ** 2).sum())
        if inertia < best_inertia - 1e-9:
            best_labels, best_inertia = labels, inertia
    return best_labels


def _plus_plus(points: FloatArray, k: int, rng: np.random.Generator) -> FloatArray:
    centres = [points[rng.integers(len(points))]]
    for _ in range(1, k):
        nearest = ((points[:, None, :] - np.array(centres)[None]) ** 2).sum(axis=2).min(axis=1)
        total = nearest.sum()
        chosen = (
            rng.choice(len(points), p=nearest / total) if total > 0 else rng.integers(len(points))
        )
        centres.append(points[chosen])
    return np.array(centres, dtype=np.float64)


def pairwise_distances(points: FloatArray) -> FloatArray:
    """The Euclidean distance between every two of `points` (|a|² + |b|² - 2a·b)."""
    squares = (points**2).sum(axis=1)
    gram = squares[:, None] + squares[None, :] - 2 * (points @ points.T)
    return np.sqrt(np.maximum(gram, 0.0, out=gram), out=gram)


def silhouette(distances: FloatArray, labels: np.ndarray) -> float:
    """The mean silhouette coefficient (Rousseeuw 1987) of a labelling of the points whose
    pairwise `distances` are given."""
    groups, own, sizes = np.unique(labels, return_inverse=True, return_counts=True)
    member_of = np.zeros((len(labels), len(groups)))
    member_of[np.arange(len(labels)), own] = 1.0
    sums = distances @ member_of  # each point's summed distance to each group's members
    rows = np.arange(len(labels))
    own_size = sizes[own] - 1
    inside = np.where(own_size > 0, sums[rows, own] / np.maximum(own_size, 1), 0.0)
    means = sums / sizes[None, :]
    means[rows, own] = np.inf
    outside = means.min(axis=1)
    scores = np.where(
        own_size > 0, (outside - inside) / np.maximum(np.maximum(outside, inside), 1e-12), 0.0
    )
    return float(scores.mean())


def _by_size(labels: np.ndarray) -> np.ndarray:
    """Labels renumbered so that group 0 is the largest (ties: the one met first)."""
    groups, first, sizes = np.unique(labels, return_index=True, return_counts=True)
    order = sorted(range(len(groups)), key=lambda i: (-sizes[i], first[i]))
    renumber = np.empty(len(groups), dtype=np.int64)
    renumber[order] = np.arange(len(groups))
    return renumber[np.searchsorted(groups, labels)]
