"""The geometry of the opinion map's scatter, drawn as SVG by _opinion_map.html (no JavaScript).

Each participant is a mark at their place in the map's two components, fitted into a square
view box; each group has its own shape as well as its own colour, so the groups are told apart
without colour too (the template names the shapes in its legend and text).
"""

from __future__ import annotations

from dataclasses import dataclass

from node.services.opinion_map_view import OpinionMapView

SIZE = 400
MARGIN = 14
MARK = 5.0  # half a mark's width
SHAPES = ("circle", "square", "triangle", "diamond", "cross")


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    group: int

    @property
    def shape(self) -> str:
        return SHAPES[self.group % len(SHAPES)]

    @property
    def path(self) -> str:
        """The mark's outline as an SVG path, centred on (x, y)."""
        return shape_path(self.shape, self.x, self.y)


@dataclass(frozen=True)
class Scatter:
    marks: tuple[Mark, ...]
    size: int = SIZE

    @property
    def middle(self) -> float:
        return self.size / 2


def shape_path(shape: str, x: float, y: float, r: float = MARK) -> str:
    """An SVG path of `shape` centred on (x, y), `r` from the centre to its sides."""
    if shape == "square":
        return f"M{x - r:.1f} {y - r:.1f}h{2 * r:.1f}v{2 * r:.1f}h{-2 * r:.1f}z"
    if shape == "triangle":
        return f"M{x:.1f} {y - r * 1.2:.1f}L{x + r * 1.2:.1f} {y + r:.1f}H{x - r * 1.2:.1f}z"
    if shape == "diamond":
        d = r * 1.3
        return f"M{x:.1f} {y - d:.1f}L{x + d:.1f} {y:.1f}L{x:.1f} {y + d:.1f}L{x - d:.1f} {y:.1f}z"
    if shape == "cross":
        t = r / 2.5
        return (
            f"M{x - t:.1f} {y - r:.1f}h{2 * t:.1f}v{r - t:.1f}h{r - t:.1f}v{2 * t:.1f}"
            f"h{t - r:.1f}v{r - t:.1f}h{-2 * t:.1f}v{t - r:.1f}h{t - r:.1f}v{-2 * t:.1f}"
            f"h{r - t:.1f}z"
        )
    # a circle, as a path of two arcs
    arc = f"a{r:.1f} {r:.1f} 0 1 0"
    return f"M{x - r:.1f} {y:.1f}{arc} {2 * r:.1f} 0{arc} {-2 * r:.1f} 0z"


def opinion_scatter(view: OpinionMapView) -> Scatter:
    """The marks of `view`'s points, the map's centre in the middle of the view box."""
    reach = max((max(abs(p.x), abs(p.y)) for p in view.points), default=0.0) or 1.0
    scale = (SIZE / 2 - MARGIN) / reach
    return Scatter(
        tuple(
            Mark(round(SIZE / 2 + p.x * scale, 1), round(SIZE / 2 - p.y * scale, 1), p.group)
            for p in view.points
        )
    )


def opinion_key_path(group: int) -> str:
    """The shape of `group` for the legend's 16 px key."""
    return shape_path(SHAPES[group % len(SHAPES)], 8, 8, 5)
