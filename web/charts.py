"""The geometry of the report's charts, drawn as SVG by the page's template (no JavaScript).

Each function turns a figure's rows into positions in a fixed view box; the SVG scales to the
page's width. The text a chart says is the template's (its title, summary and table).
"""

from __future__ import annotations

from dataclasses import dataclass

from node.services.report_figures import Figure

WIDTH = 640
LABEL_WIDTH = 250
ROW_HEIGHT = 32
BAR_HEIGHT = 22
VALUE_ROOM = 60  # right of the longest bar, for its count
LABEL_CHARACTERS = 28
PLOT_HEIGHT = 180
AXIS_ROOM = 28  # under the plot, for the first and last day
LEFT_ROOM = 40  # left of the plot, for the scale
MAX_COLUMN = 40  # a day's column is no wider, however few the days


@dataclass(frozen=True)
class Bar:
    """A horizontal bar: its row's label and count, where it sits and how long it is."""

    label: str
    value: int
    y: float
    length: float

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT * 0.75


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one per row, longest for the largest count."""

    bars: tuple[Bar, ...]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * ROW_HEIGHT

    @property
    def bar_x(self) -> int:
        return self.label_width + 8


@dataclass(frozen=True)
class Column:
    """One day of participation over time."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Timeline:
    """Responses per day as columns, with the largest day's count as the scale."""

    columns: tuple[Column, ...]
    peak: int
    first_day: str
    last_day: str
    width: int = WIDTH
    plot_height: int = PLOT_HEIGHT
    left: int = LEFT_ROOM

    @property
    def height(self) -> int:
        return self.plot_height + AXIS_ROOM

    @property
    def right(self) -> int:
        return self.width - 4


def bar_chart(figure: Figure, labels: list[str]) -> BarChart:
    """Bars for the first count of each row of `figure`, labelled with `labels`."""
    longest = max((row.value for row in figure.rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 8 - VALUE_ROOM
    bars = tuple(
        Bar(
            label=_short(label),
            value=row.value,
            y=index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2,
            length=round(room * row.value / longest, 1),
        )
        for index, (row, label) in enumerate(zip(figure.rows, labels, strict=True))
    )
    return BarChart(bars)


def timeline(figure: Figure) -> Timeline:
    """Columns for participation over time: one a day, the tallest for the busiest day."""
    rows = figure.rows
    peak = max((row.value for row in rows), default=0)
    slot = (WIDTH - 4 - LEFT_ROOM) / max(1, len(rows))
    columns = tuple(
        Column(
            x=round(LEFT_ROOM + index * slot + slot * 0.1, 2),
            y=round(PLOT_HEIGHT - PLOT_HEIGHT * row.value / (peak or 1), 2),
            width=round(min(max(slot * 0.8, 0.5), MAX_COLUMN), 2),
            height=round(PLOT_HEIGHT * row.value / (peak or 1), 2),
        )
        for index, row in enumerate(rows)
    )
    first = rows[0].label if rows else ""
    last = rows[-1].label if rows else ""
    return Timeline(columns, peak, first, last)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"
