"""Reads for employers, their sites, opportunities and compliance, scoped by role."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db.models import Exists, OuterRef, Q, QuerySet

from employers.models import ComplianceRecord, Employer, Opportunity, Site
from mobility.accounts.models import Role
from mobility.permissions import employer_id_of, role_of, school_ids_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from mobility.accounts.models import User
    from schools.models import Pupil


NOT_VERIFIED = "The compliance record is not yet verified by an adviser."


def compliance_awaiting_verification() -> QuerySet[ComplianceRecord]:
    """Records an adviser has not verified since the employer last changed them, oldest first."""
    return ComplianceRecord.objects.filter(verified_at__isnull=True).select_related("employer").order_by("pk")


def compliance_problems(*, employer: Employer, through: dt.date) -> list[str]:
    """Why the employer's checks do not cover a placement ending on ``through`` (empty if they do)."""
    record = ComplianceRecord.objects.filter(employer=employer).first()
    if record is None:
        return [f"{employer.name} has no insurance or risk assessment on file."]
    problems = [] if record.is_verified else [NOT_VERIFIED]
    if record.valid_through(through):
        return problems
    when = through.strftime("%-d %B %Y")
    if record.insurance_expires_on is None:
        problems.append("No employer's liability insurance is on file.")
    elif record.insurance_expires_on < through:
        problems.append(
            f"Employer's liability insurance expires on {record.insurance_expires_on:%-d %B %Y}, "
            f"before the placement ends on {when}."
        )
    until = record.risk_assessment_valid_until
    if until is None:
        problems.append("No young workers' risk assessment is on file.")
    elif until < through:
        problems.append(
            f"The risk assessment is valid until {until:%-d %B %Y}, before the placement ends on {when}."
        )
    if not record.supervisor_name:
        problems.append("No supervisor is named.")
    return problems


def employers_for_user(*, user: User | AnonymousUser) -> QuerySet[Employer]:
    """Admins, advisers and school staff see every organisation; members see their own."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.ADVISER, Role.SCHOOL_STAFF):
        return Employer.objects.all()
    employer_id = employer_id_of(user)
    return Employer.objects.filter(pk=employer_id) if employer_id else Employer.objects.none()


def sites_for_user(*, user: User | AnonymousUser) -> QuerySet[Site]:
    if role_of(user) == Role.ADMIN:
        return Site.objects.all()
    employer_id = employer_id_of(user)
    return Site.objects.filter(employer_id=employer_id) if employer_id else Site.objects.none()


def compliance_for_user(*, user: User | AnonymousUser) -> QuerySet[ComplianceRecord]:
    """Members see their own record; advisers and admins see all (they approve against them)."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.ADVISER):
        return ComplianceRecord.objects.all()
    employer_id = employer_id_of(user)
    return (
        ComplianceRecord.objects.filter(employer_id=employer_id)
        if employer_id
        else ComplianceRecord.objects.none()
    )


def opportunities_for_user(*, user: User | AnonymousUser) -> QuerySet[Opportunity]:
    """Members see all their organisation's; pupils browse published ones; school staff and
    advisers also see any their pupils are matched to."""
    from placements.models import Match

    base = Opportunity.objects.select_related("employer", "site", "sector")
    role = role_of(user)
    published = Q(status=Opportunity.Status.PUBLISHED)
    if role == Role.ADMIN:
        return base
    if role == Role.EMPLOYER:
        employer_id = employer_id_of(user)
        return base.filter(employer_id=employer_id) if employer_id else base.none()
    if role == Role.PUPIL:
        return base.filter(published)
    if role in (Role.SCHOOL_STAFF, Role.ADVISER):
        matched = Match.objects.filter(
            opportunity_id=OuterRef("pk"), pupil__school_id__in=school_ids_of(user)
        )
        return base.filter(published | Q(Exists(matched)))
    return base.none()


def _travel_model() -> Any:
    from placements.engine.policy import TravelModel

    return TravelModel()


def _estimate(pupil: Pupil, rows: list[Opportunity]) -> Any:
    from placements.engine.travel import estimate_travel_minutes

    return estimate_travel_minutes(
        np.full(len(rows), pupil.easting),
        np.full(len(rows), pupil.northing),
        np.array([o.site.easting if o.site else pupil.easting for o in rows]),  # virtual: no site
        np.array([o.site.northing if o.site else pupil.northing for o in rows]),
        np.array([o.mode == Opportunity.Mode.VIRTUAL for o in rows]),
        _travel_model(),
    )


def opportunity_travel_minutes(*, pupil: Pupil, opportunities: Iterable[Opportunity]) -> dict[int, int]:
    """The pupil's estimated one-way minutes to each opportunity's site (0 for virtual ones)."""
    rows = list(opportunities)
    if not rows:
        return {}
    return {o.pk: math.ceil(m) for o, m in zip(rows, _estimate(pupil, rows), strict=True)}


def opportunities_within(
    *, pupil: Pupil, opportunities: QuerySet[Opportunity], minutes: int
) -> QuerySet[Opportunity]:
    """Those within ``minutes`` of the pupil's home, by the one travel estimate the engine uses."""
    from placements.engine.travel import reach_metres

    reach = int(reach_metres(minutes, _travel_model()))
    near = list(
        opportunities.filter(
            Q(mode=Opportunity.Mode.VIRTUAL)
            | Q(
                site__easting__range=(pupil.easting - reach, pupil.easting + reach),
                site__northing__range=(pupil.northing - reach, pupil.northing + reach),
            )
        ).select_related("site")
    )
    keep = [o.pk for o, m in zip(near, _estimate(pupil, near), strict=True) if m <= minutes] if near else []
    return opportunities.filter(pk__in=keep)
