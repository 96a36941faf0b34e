"""The English school year, 1 September to 31 August, which every yearly report is cut by."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

SLUG_RE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class AcademicYear:
    start: int  # the calendar year it begins in September

    @classmethod
    def of(cls, day: dt.date) -> AcademicYear:
        return cls(day.year if day.month >= 9 else day.year - 1)

    @classmethod
    def parse(cls, slug: str) -> AcademicYear | None:
        """ "2030-31" to the year, or None for anything else (never an error page)."""
        match = SLUG_RE.match(slug or "")
        if not match:
            return None
        start = int(match.group(1))
        return cls(start) if (start + 1) % 100 == int(match.group(2)) else None

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.start, 9, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.start + 1, 8, 31)

    @property
    def slug(self) -> str:
        return f"{self.start}-{(self.start + 1) % 100:02d}"

    @property
    def label(self) -> str:
        return f"{self.start}/{(self.start + 1) % 100:02d}"

    def previous(self) -> AcademicYear:
        return AcademicYear(self.start - 1)

    def __str__(self) -> str:
        return self.label
