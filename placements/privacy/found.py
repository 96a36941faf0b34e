"""Placements a pupil found, as the pupil's subject access export shows them.

The employer's contact is a third party: their email and phone are the employer's business
details, so they stay out; their name (and the supervisor's name and role) say who the
pupil's placement was agreed with, so they are in. Insurance details are the employer's.
"""

from __future__ import annotations

from typing import Any

from placements.selffound.models import Proposal
from placements.selffound.notifications import event_keys
from schools.models import Pupil


def found_placements(*, pupil: Pupil) -> list[dict[str, Any]]:
    return [
        {
            "id": p.pk,
            "employer": p.employer_name,
            "employer_contact": p.contact_name,
            "supervisor": p.supervisor_name,
            "supervisor_role": p.supervisor_role,
            "workplace": p.address,
            "postcode": p.postcode,
            "starts_on": p.starts_on,
            "ends_on": p.ends_on,
            "what_you_proposed": p.pupil_plans,
            "duties_the_employer_described": p.duties,
            "status": p.get_status_display(),
            "proposed_at": p.created_at,
            "employer_completed_at": p.employer_completed_at,
            "health_and_safety_checked": p.health_and_safety_checked,
            "safeguarding_checked": p.safeguarding_checked,
            "checked_at": p.vetted_at,
            "checked_by": p.vetted_by.get_full_name() if p.vetted_by else "",
            "school_note": p.vetting_note,
            "refusal_reason": p.refusal_reason,
        }
        for p in Proposal.objects.filter(pupil=pupil).select_related("vetted_by").order_by("pk")
    ]


def found_event_keys(*, pupil: Pupil) -> list[str]:
    """Notification keys about the pupil's proposals (the emails to the employer and school)."""
    ids = Proposal.objects.filter(pupil=pupil).values_list("pk", flat=True)
    return [key for pk in ids for key in event_keys(pk)]
