"""A pupil's journeys to opportunities, through the kernel's one travel estimate."""

from __future__ import annotations

from employers.models import Opportunity
from mobility.geography.travel import GridPoint, Journey, Traveller
from mobility.geography.travel import journeys as kernel_journeys
from schools.models import Pupil


def destination_of(opportunity: Opportunity) -> GridPoint | None:
    """Where the pupil travels to; ``None`` for an online placement."""
    if opportunity.mode == Opportunity.Mode.VIRTUAL or opportunity.site is None:
        return None
    return opportunity.site.grid_point


def journeys(pupil: Pupil, opportunities: list[Opportunity]) -> list[Journey]:
    """One journey per opportunity, from the pupil's home on its first day."""
    return kernel_journeys(
        home=pupil.grid_point,
        trips=[(destination_of(o), o.starts_on) for o in opportunities],
        traveller=Traveller(pupil.date_of_birth, pupil.care_experienced),
    )
