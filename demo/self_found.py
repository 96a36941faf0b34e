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

# (employer, contact, email, address, postcode, what the pupil plans, employer's part or None)
FOUND = (
    ("Bold Street Bakery", "Pat Okafor", "pat@boldstreetbakery.example", "2 Bold Street, Liverpool",
     "L1 4DS", "Help in the shop and learn how the bread is made.", None),
    ("Lark Lane Vets", "Sam Byrne", "sam@larklanevets.example", "41 Lark Lane, Liverpool",
     "L17 8UU", "Shadow the nurses and help look after the animals.", "Kennels and reception"),
)  # fmt: skip


def build_self_found(pupils: Sequence[Pupil], sectors: dict[str, Sector]) -> list[Proposal]:
    """Proposals for Year 10 pupils whose school has a week for Year 10 (not the named demo pupil,
    who is the first: their journey starts with applying)."""
    weeks = {w.school_id: w for w in WorkExperienceWindow.objects.filter(year_group=10, pupil__isnull=True)}
    chosen = [p for p in pupils[1:] if p.year_group == 10 and p.school_id in weeks]
    made = []
    for pupil, (employer, contact, email, address, postcode, plans, site) in zip(chosen, FOUND, strict=False):
        week = weeks[pupil.school_id]
        proposal = Proposal(
            pupil=pupil,
            status=ProposalStatus.AWAITING_EMPLOYER,
            employer_name=employer,
            contact_name=contact,
            contact_email=email,
            contact_phone="0151 496 0000",
            address=address,
            postcode=postcode,
            starts_on=week.starts_on,
            ends_on=week.ends_on,
            pupil_plans=plans,
        )
        if site is not None:
            proposal.status = ProposalStatus.AWAITING_VETTING
            proposal.sector = next(iter(sectors.values()))
            proposal.site_name = site
            proposal.daily_hours = Decimal("6.5")
            proposal.supervisor_name = contact
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
