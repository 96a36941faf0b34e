"""Which public-transport fare applies to a pupil's journey, from dated fare data (fares.json)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FARES_FILE = Path(__file__).with_name("fares.json")


@dataclass(frozen=True, slots=True)
class Fare:
    code: str
    name: str
    price_pence: int
    per: str  # "day" or "journey"
    min_age: int
    max_age: int
    care_experienced_only: bool
    valid_from: dt.date
    valid_to: dt.date | None

    def applies(self, *, age: int, care_experienced: bool, day: dt.date) -> bool:
        return (
            self.min_age <= age <= self.max_age
            and (care_experienced or not self.care_experienced_only)
            and self.valid_from <= day
            and (self.valid_to is None or day <= self.valid_to)
        )

    @property
    def daily_pence(self) -> int:
        # A return trip is two journeys.
        return self.price_pence * (2 if self.per == "journey" else 1)

    @property
    def words(self) -> str:
        if self.price_pence == 0:
            return f"Free ({self.name})"
        price = f"£{self.price_pence // 100}.{self.price_pence % 100:02d}"
        return f"{price} a day ({self.name})" if self.per == "day" else f"{price} each way ({self.name})"


@cache
def all_fares() -> tuple[Fare, ...]:
    rows = json.loads(FARES_FILE.read_text())["fares"]
    return tuple(
        Fare(
            code=r["code"],
            name=r["name"],
            price_pence=int(r["price_pence"]),
            per=r["per"],
            min_age=int(r["min_age"]),
            max_age=int(r["max_age"]),
            care_experienced_only=bool(r["care_experienced_only"]),
            valid_from=dt.date.fromisoformat(r["valid_from"]),
            valid_to=dt.date.fromisoformat(r["valid_to"]) if r["valid_to"] else None,
        )
        for r in rows
    )


def fare_for(*, age: int, care_experienced: bool, day: dt.date) -> Fare | None:
    """The cheapest fare the pupil is entitled to on `day`, or None when no fare data covers it."""
    fares = [f for f in all_fares() if f.applies(age=age, care_experienced=care_experienced, day=day)]
    return min(fares, key=lambda f: (f.daily_pence, f.code), default=None)
