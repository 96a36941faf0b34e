"""Reads behind the employer's pages, including what a member may see of a matched pupil."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from employers.models import ComplianceRecord, Employer
from placements.models import Match, MatchStatus

WARN_DAYS = 60
# Once the placement is agreed the employer may also see the pupil's surname.
NAMED_STATUSES = (MatchStatus.CONFIRMED, MatchStatus.COMPLETED)
# Once the pupil accepts, the employer may see the access needs the pupil or school marked to share.
SHARED_STATUSES = (MatchStatus.ACCEPTED, *NAMED_STATUSES)


@dataclass(frozen=True)
class Expiry:
    label: str
    date: dt.date | None
    state: str  # "missing", "expired", "soon" or "ok"

    @property
    def words(self) -> str:
        if self.date is None:
            return "Not recorded"
        days = (self.date - dt.date.today()).days
        if self.state == "expired":
            return f"Expired on {self.date:%-d %B %Y}"
        if self.state == "soon":
            return f"Expires on {self.date:%-d %B %Y}, in {days} day{'s' if days != 1 else ''}"
        return f"Valid until {self.date:%-d %B %Y}"


def _expiry(label: str, date: dt.date | None, today: dt.date) -> Expiry:
    if date is None:
        return Expiry(label, None, "missing")
    if date < today:
        return Expiry(label, date, "expired")
    if (date - today).days <= WARN_DAYS:
        return Expiry(label, date, "soon")
    return Expiry(label, date, "ok")


def compliance_expiries(*, employer: Employer) -> list[Expiry]:
    today = dt.date.today()
    record = ComplianceRecord.objects.filter(employer=employer).first()
    if record is None:
        return [
            Expiry("Employer's liability insurance", None, "missing"),
            Expiry("Young workers' risk assessment", None, "missing"),
        ]
    return [
        _expiry("Employer's liability insurance", record.insurance_expires_on, today),
        _expiry("Young workers' risk assessment", record.risk_assessment_valid_until, today),
    ]


@dataclass(frozen=True)
class MatchedPupil:
    """The only pupil details an employer sees. Never date of birth, postcode or disadvantage flags."""

    match: Match
    name: str
    school: str
    year_group: int
    access_needs: str
    needs_step_free_access: bool


def matched_pupil(match: Match) -> MatchedPupil:
    """Before the pupil accepts: first name, year group and school only."""
    pupil, user = match.pupil, match.pupil.user
    name = user.get_full_name() if match.status in NAMED_STATUSES else user.first_name
    shared = match.status in SHARED_STATUSES and pupil.share_access_needs
    return MatchedPupil(
        match=match,
        name=name,
        school=pupil.school.name,
        year_group=pupil.year_group,
        access_needs=pupil.access_needs if shared else "",
        needs_step_free_access=pupil.needs_step_free_access if shared else False,
    )


def matched_pupils(matches: Any) -> list[MatchedPupil]:
    return [matched_pupil(m) for m in matches]
