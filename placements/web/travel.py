"""Journey from a pupil's home to an opportunity, in words a pupil can use."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from employers.models import Opportunity
from placements.engine.policy import TravelModel
from placements.engine.travel import estimate_travel_minutes
from placements.web.fares import Fare, fare_for
from schools.models import Pupil

TRAVEL_MODEL = TravelModel()


@dataclass(frozen=True, slots=True)
class Journey:
    minutes: int
    how: str  # "online", "walk" or "bus"
    fare: Fare | None

    @property
    def fare_words(self) -> str:
        if self.how == "online":
            return "No fare: this placement is online"
        if self.how == "walk":
            return "No fare: you can walk"
        return self.fare.words if self.fare else "Check the fare with the bus company"

    @property
    def summary(self) -> str:
        if self.how == "online":
            return "Online, no travel"
        way = "walk" if self.how == "walk" else "by bus"
        return f"About {self.minutes} minutes {way}"


def journeys(pupil: Pupil, opportunities: list[Opportunity]) -> list[Journey]:
    """One journey per opportunity, estimated with the matching engine's own travel model."""
    if not opportunities:
        return []
    sites = [o.site for o in opportunities]
    virtual = [o.mode == Opportunity.Mode.VIRTUAL for o in opportunities]
    minutes = estimate_travel_minutes(
        np.full(len(sites), pupil.easting),
        np.full(len(sites), pupil.northing),
        [s.easting if s else pupil.easting for s in sites],  # a virtual placement may have no site
        [s.northing if s else pupil.northing for s in sites],
        virtual,
        TRAVEL_MODEL,
    )
    result = []
    for opportunity, site, is_virtual, mins in zip(opportunities, sites, virtual, minutes, strict=True):
        if is_virtual or site is None:
            result.append(Journey(0, "online", None))
            continue
        km = math.hypot(pupil.easting - site.easting, pupil.northing - site.northing) / 1000
        how = "walk" if km <= TRAVEL_MODEL.walk_max_km else "bus"
        result.append(Journey(math.ceil(float(mins)), how, _fare(pupil, opportunity.starts_on)))
    return result


def _fare(pupil: Pupil, day: dt.date) -> Fare | None:
    return fare_for(age=pupil.age_on(day), care_experienced=pupil.care_experienced, day=day)
