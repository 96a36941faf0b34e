"""Seat counting on ``Opportunity.seats_taken``, always under the opportunity's row lock.

The database check ``seats_taken <= capacity`` backs this up: even code that skipped
these functions could not overfill an opportunity.
"""

from __future__ import annotations

from django.db.models import F

from employers.models import Opportunity

from .exceptions import CapacityConflict


def seat_take(*, opportunity_id: int) -> None:
    """Claim one seat or raise ``CapacityConflict``. Call inside a transaction.

    One conditional UPDATE: it takes the row lock, and a full opportunity changes no row."""
    claimed = Opportunity.objects.filter(pk=opportunity_id, seats_taken__lt=F("capacity")).update(
        seats_taken=F("seats_taken") + 1
    )
    if not claimed:
        raise seats_full(Opportunity.objects.only("title", "capacity").get(pk=opportunity_id))


def seats_full(opportunity: Opportunity) -> CapacityConflict:
    return CapacityConflict(
        f"“{opportunity.title}” has no places left: all {opportunity.capacity} are taken."
    )


def seat_release(*, opportunity_id: int) -> None:
    """Give one seat back. Call inside a transaction."""
    Opportunity.objects.filter(pk=opportunity_id, seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)
