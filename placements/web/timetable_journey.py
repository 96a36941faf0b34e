"""A pupil's journey to a placement from the imported timetable, for the pupil's pages."""

from __future__ import annotations

from employers.models import Opportunity
from placements.transit.selectors import TravelAnswer, journey_between
from schools.models import Pupil


def timetable_journey(pupil: Pupil, opportunity: Opportunity) -> TravelAnswer | None:
    """The journey on the placement's first day, or why the estimate stands; None for online placements."""
    site = opportunity.site
    if opportunity.mode == Opportunity.Mode.VIRTUAL or site is None:
        return None
    return journey_between(
        origin=(pupil.easting, pupil.northing),
        destination=(site.easting, site.northing),
        day=opportunity.starts_on,
        step_free=pupil.needs_step_free_access,
    )
