"""Public transport timetables (GTFS): reading, a compact stored form, and a journey planner.

Pure like the rest of the engine: no Django. ``read_feed`` validates a feed
and builds a ``Timetable``; ``Timetable.save``/``load`` keep it as one
``.npz``; ``plan_journey`` and ``plan_from`` (many origins at once) answer "when must I leave to be
there by 08:50".
"""

from .compact import FORMAT_VERSION, Timetable, TimetableFormatError
from .grid import grid_to_wgs84, wgs84_to_grid
from .gtfs import FeedError, read_feed
from .override import TimetableMinutes
from .planner import (
    Journey,
    JourneyRules,
    Leg,
    ManyJourneys,
    NoJourney,
    Origins,
    covers,
    plan_from,
    plan_journey,
    runs_on,
)

__all__ = [
    "FORMAT_VERSION",
    "FeedError",
    "Journey",
    "JourneyRules",
    "Leg",
    "ManyJourneys",
    "NoJourney",
    "Origins",
    "Timetable",
    "TimetableFormatError",
    "TimetableMinutes",
    "covers",
    "grid_to_wgs84",
    "plan_from",
    "plan_journey",
    "read_feed",
    "runs_on",
    "wgs84_to_grid",
]
