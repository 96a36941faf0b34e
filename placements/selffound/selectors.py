"""Reads for placements pupils find, scoped to who is asking."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from employers.models import Employer
from mobility.permissions import pupil_id_of, staff_school_id_of, youth_service_id_of

from .models import Proposal, ProposalStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from mobility.accounts.models import User


def proposals_for_user(*, user: User | AnonymousUser) -> QuerySet[Proposal]:
    """A pupil sees their own; school staff their school's pupils'; youth workers their service's
    young people's; nobody else any."""
    base = Proposal.objects.select_related("pupil__user")
    pupil_id = pupil_id_of(user)
    if pupil_id is not None:
        return base.filter(pupil_id=pupil_id)
    school_id = staff_school_id_of(user) or youth_service_id_of(user)
    if school_id is not None:
        return base.filter(pupil__school_id=school_id)
    return base.none()


def proposals_awaiting_vetting(*, user: User | AnonymousUser) -> QuerySet[Proposal]:
    return (
        proposals_for_user(user=user)
        .filter(status=ProposalStatus.AWAITING_VETTING)
        .order_by("employer_completed_at", "pk")
    )


def latest_proposal(*, user: User | AnonymousUser) -> Proposal | None:
    return proposals_for_user(user=user).first()


def employer_candidates(*, proposal: Proposal) -> QuerySet[Employer]:
    """Employers already on the platform with the same name and a site at the same postcode."""
    return (
        Employer.objects.filter(
            name__iexact=proposal.employer_name.strip(), sites__postcode=proposal.postcode
        )
        .distinct()
        .order_by("pk")
    )
