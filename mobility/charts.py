"""Tables and server-drawn bar charts for reports: one table feeds its chart and its CSV file.

Figures arrive already suppressed (``mobility.disclosure``); a hidden figure draws no bar,
only its words, so a chart never shows what its table hides.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

CHART_WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 110
BAR_HEIGHT = 22
BAR_GAP = 8


@dataclass(frozen=True)
class Row:
    label: str
    values: list[str]
    subtotal: bool = False


@dataclass(frozen=True)
class Table:
    """A report table: ``key`` names its CSV download, the first header heads the labels."""

    key: str
    caption: str
    headers: list[str]
    rows: list[Row]

    def csv(self) -> str:
        return csv_rows(self.headers, [[row.label, *row.values] for row in self.rows])


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: hidden or not applicable, so no bar
    text: str  # what is written beside it: the figure, or why there is none
    emphasis: bool = False  # drawn hatched as well as darker, so it never relies on colour


@dataclass(frozen=True)
class DrawnBar:
    bar: Bar
    y: float
    width: float
    text_y: float
    value_x: float


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    description: str
    bars: list[Bar]
    maximum: float | None = None  # e.g. 100 for percentages
    legend: str = ""
    drawn: list[DrawnBar] = field(init=False)
    height: int = field(init=False)

    def __post_init__(self) -> None:
        top = self.maximum or max((b.value for b in self.bars if b.value is not None), default=0) or 1
        plot = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
        drawn = [
            DrawnBar(
                bar=b,
                y=i * (BAR_HEIGHT + BAR_GAP),
                width=0 if b.value is None else round(plot * min(b.value, top) / top, 1),
                text_y=i * (BAR_HEIGHT + BAR_GAP) + BAR_HEIGHT * 0.7,
                value_x=LABEL_WIDTH
                + (0 if b.value is None else round(plot * min(b.value, top) / top, 1))
                + 6,
            )
            for i, b in enumerate(self.bars)
        ]
        object.__setattr__(self, "drawn", drawn)
        object.__setattr__(self, "height", max(1, len(self.bars)) * (BAR_HEIGHT + BAR_GAP))

    @property
    def width(self) -> int:
        return CHART_WIDTH

    @property
    def label_width(self) -> int:
        return LABEL_WIDTH

    @property
    def bar_height(self) -> int:
        return BAR_HEIGHT


def percent_text(rate: float | None, why: str = "not shown") -> tuple[float | None, str]:
    """A rate as a bar value in percent and its words."""
    if rate is None:
        return None, why
    return round(100 * rate, 1), f"{round(100 * rate)}%"


def csv_rows(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()
