"""How big each demo is, the demo calendar, and small sampling helpers."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class DemoSize:
    secondaries: int
    sixth_forms: int
    colleges: int
    year10_pupils: int
    year12_pupils: int
    employers: int
    opportunities: int
    advisers: int

    @property
    def schools(self) -> int:
        return self.secondaries + self.sixth_forms + self.colleges


SIZES: dict[str, DemoSize] = {
    # A quick start on SQLite.
    "small": DemoSize(8, 3, 1, 420, 180, 80, 250, 2),
    # About one Year 10 cohort of the region, for benchmarks.
    "full": DemoSize(80, 12, 8, 17_000, 2_800, 800, 2_500, 12),
}

# The demo's school year runs September 2026 to July 2027; placements fall in June and July 2027.
ACADEMIC_YEAR_START = 2026
TODAY = dt.date(2026, 11, 20)  # "now" for consent and compliance dates, so they are in the past


def monday(month: int, day: int) -> dt.date:
    return dt.date(ACADEMIC_YEAR_START + 1, month, day)


YEAR10_WEEKS = ((monday(6, 14), 3), (monday(6, 21), 3), (monday(6, 28), 2), (monday(7, 5), 2))
YEAR12_WEEKS = ((monday(6, 21), 1), (monday(6, 28), 2), (monday(7, 5), 3), (monday(7, 12), 2))
# Employers' weeks mostly overlap the schools'; the first and last weeks fit no window.
OPPORTUNITY_WEEKS = (
    (monday(6, 7), 1),
    (monday(6, 14), 4),
    (monday(6, 21), 4),
    (monday(6, 28), 3),
    (monday(7, 5), 3),
    (monday(7, 12), 2),
    (monday(7, 19), 1),
)
APPLICATION_LEAD = dt.timedelta(weeks=6)
# First and last day any demo placement can run.
SUMMER = (monday(6, 7), monday(7, 19) + dt.timedelta(days=11))


def weighted(rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    values = [value for value, _ in options]
    return rng.choices(values, weights=[weight for _, weight in options])[0]


def split_total(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` with whole numbers that add up exactly."""
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def date_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def birth_date(rng: random.Random, year_group: int) -> dt.date:
    """A birthday inside the English school year that puts a pupil in `year_group`."""
    born_from = dt.date(ACADEMIC_YEAR_START - year_group - 5, 9, 1)
    return date_between(rng, born_from, born_from.replace(year=born_from.year + 1) - dt.timedelta(days=1))
