"""Reads behind the employer's own pages: compliance expiries, colleagues."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from employers.models import ComplianceRecord, Employer, EmployerMember
from mobility.accounts.models import Invitation

WARN_DAYS = 60


@dataclass(frozen=True)
class Expiry:
    label: str
    date: dt.date | None
    state: str  # "missing", "expired", "soon" or "ok"
    days_left: int | None = None

    @property
    def words(self) -> str:
        if self.date is None:
            return "Not recorded"
        days = self.days_left or 0
        if self.state == "expired":
            return f"Expired on {self.date:%-d %B %Y}"
        if self.state == "soon":
            return f"Expires on {self.date:%-d %B %Y}, in {days} day{'s' if days != 1 else ''}"
        return f"Valid until {self.date:%-d %B %Y}"


def _expiry(label: str, date: dt.date | None, today: dt.date) -> Expiry:
    if date is None:
        return Expiry(label, None, "missing")
    if date < today:
        return Expiry(label, date, "expired", (date - today).days)
    if (date - today).days <= WARN_DAYS:
        return Expiry(label, date, "soon", (date - today).days)
    return Expiry(label, date, "ok", (date - today).days)


def compliance_expiries(*, employer: Employer, today: dt.date) -> list[Expiry]:
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
class Colleague:
    member: EmployerMember
    activated: bool  # has set a password through their invitation
    invited_until: dt.datetime | None  # when their outstanding invitation stops working


def colleagues_of(*, employer: Employer) -> list[Colleague]:
    """The organisation's members, with where each stands with their invitation."""
    members = list(
        EmployerMember.objects.filter(employer=employer, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    until = dict(
        Invitation.objects.filter(
            user__in=[m.user_id for m in members], used_at=None, revoked_at=None
        ).values_list("user_id", "expires_at")
    )
    return [Colleague(m, m.user.has_usable_password(), until.get(m.user_id)) for m in members]
