"""Two placements Year 10 pupils found themselves: one waiting for the employer's details, one
waiting for the school's check (the employer has filled in its part)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from mobility.geography.models import Sector
from placements.selffound.models import Proposal, ProposalStatus
from schools.models import Pupil, WorkExperienceWindow

from .plan import TODAY

# What the pupil wrote in, and the workplace name the employer gave in its part (None: not yet).
FOUND: tuple[tuple[dict[str, str], str | None], ...] = (
    (
        {
            "employer_name": "Bold Street Bakery",
            "contact_name": "Pat Okafor",
            "contact_email": "pat@boldstreetbakery.example",
            "address": "2 Bold Street, Liverpool",
            "postcode": "L1 4DS",
            "pupil_plans": "Help in the shop and learn how the bread is made.",
        },
        None,
    ),
    (
        {
            "employer_name": "Lark Lane Vets",
            "contact_name": "Sam Byrne",
            "contact_email": "sam@larklanevets.example",
            "address": "41 Lark Lane, Liverpool",
            "postcode": "L17 8UU",
            "pupil_plans": "Shadow the nurses and help look after the animals.",
        },
        "Kennels and reception",
    ),
)


def build_self_found(pupils: Sequence[Pupil], sectors: dict[str, Sector]) -> list[Proposal]:
    """Proposals for Year 10 pupils whose school has a week for Year 10 (not the named demo pupil,
    who is the first: their journey starts with applying)."""
    weeks = {w.school_id: w for w in WorkExperienceWindow.objects.filter(year_group=10, pupil__isnull=True)}
    chosen = [p for p in pupils[1:] if p.year_group == 10 and p.school_id in weeks]
    made = []
    for pupil, (proposed, site) in zip(chosen, FOUND, strict=False):
        week = weeks[pupil.school_id]
        proposal = Proposal(
            pupil=pupil,
            status=ProposalStatus.AWAITING_EMPLOYER,
            contact_phone="0151 496 0000",
            starts_on=week.starts_on,
            ends_on=week.ends_on,
            **proposed,
        )
        if site is not None:
            proposal.status = ProposalStatus.AWAITING_VETTING
            proposal.sector = next(iter(sectors.values()))
            proposal.site_name = site
            proposal.daily_hours = Decimal("6.5")
            proposal.supervisor_name = proposal.contact_name
            proposal.supervisor_role = "Head nurse"
            proposal.duties = "Helping at reception, cleaning kennels, watching consultations."
            proposal.insurer = "Merseyside Mutual"
            proposal.insurance_policy_number = "EL-204411"
            proposal.insurance_expires_on = TODAY + dt.timedelta(days=300)
            proposal.risk_assessment_on = TODAY - dt.timedelta(days=20)
            proposal.employer_completed_at = dt.datetime.combine(TODAY, dt.time(11), tzinfo=dt.UTC)
        proposal.full_clean()  # locates the postcode
        proposal.save()
        made.append(proposal)
    return made
