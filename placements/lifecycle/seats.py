"""Seat counting on ``Opportunity.seats_taken``, always under the opportunity's row lock.

The database check ``seats_taken <= capacity`` backs this up: even code that skipped
these functions could not overfill an opportunity.
"""

from __future__ import annotations

from django.db.models import F

from employers.models import Opportunity

from .exceptions import CapacityConflict


def seat_take(*, opportunity_id: int) -> Opportunity:
    """Claim one seat or raise ``CapacityConflict``. Call inside a transaction."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity_id)
    if opportunity.seats_taken >= opportunity.capacity:
        raise CapacityConflict(
            f"“{opportunity.title}” has no places left: all {opportunity.capacity} are taken."
        )
    Opportunity.objects.filter(pk=opportunity_id).update(seats_taken=F("seats_taken") + 1)
    opportunity.refresh_from_db(fields=["seats_taken"])
    return opportunity


def seat_release(*, opportunity_id: int) -> Opportunity:
    """Give one seat back. Call inside a transaction."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity_id)
    Opportunity.objects.filter(pk=opportunity_id, seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)
    opportunity.refresh_from_db(fields=["seats_taken"])
    return opportunity
