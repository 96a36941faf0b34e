"""Reads for employers, their sites, opportunities and compliance, scoped by role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Exists, OuterRef, Q, QuerySet

from employers.models import OPEN_TO_PUPILS, ComplianceRecord, Employer, EmployerMember, Opportunity, Site
from mobility.accounts.models import Role
from mobility.geography.models import LocalAuthority
from mobility.geography.travel import GridPoint, journey_minutes, reach_metres
from mobility.pagination import matching_words
from mobility.permissions import SCHOOL_ROLES, role_of, school_ids_of, scope_by_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from mobility.accounts.models import User


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
    if role_of(user) in SCHOOL_ROLES:
        return Employer.objects.all()
    return scope_by_role(Employer.objects.all(), user, employer="pk")


def employers_for_verification(*, user: User | AnonymousUser) -> QuerySet[Employer]:
    """Organisations this user may verify or refuse: admins all; an adviser those with a site in
    a region where they advise a school (the reverse relations ``schools`` adds, so this app
    imports nothing of it)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return Employer.objects.all()
    if role != Role.ADVISER:
        return Employer.objects.none()
    codes = LocalAuthority.objects.filter(
        region__local_authorities__schools__id__in=school_ids_of(user)
    ).values("code")
    in_region = Site.objects.filter(employer=OuterRef("pk"), local_authority_code__in=codes)
    return Employer.objects.filter(Exists(in_region))


def email_confirmed() -> Q:
    """A member has set a password through the emailed link, which proves the address is theirs."""
    confirmed = EmployerMember.objects.filter(employer=OuterRef("pk"), user__is_active=True).exclude(
        user__password__startswith=UNUSABLE_PASSWORD_PREFIX
    )
    return Q(Exists(confirmed))


def employers_awaiting_verification(
    *, user: User | AnonymousUser, status: str = Employer.Verification.PENDING, search: str = ""
) -> QuerySet[Employer]:
    """The adviser's queue, oldest first: organisations in ``status`` whose contact has confirmed
    their email address; ``search`` finds words in the name, a site's postcode or the contact."""
    qs = employers_for_verification(user=user).filter(email_confirmed(), verification_status=status)
    if search:
        found = Employer.objects.filter(
            matching_words(search, "name", "sites__postcode", "contact__last_name", "contact__email")
        )
        qs = qs.filter(pk__in=found.values("pk"))
    return qs.select_related("sector", "contact").order_by("created_at", "pk")


def sites_for_user(*, user: User | AnonymousUser) -> QuerySet[Site]:
    return scope_by_role(Site.objects.all(), user, employer="employer_id")


def compliance_for_user(*, user: User | AnonymousUser) -> QuerySet[ComplianceRecord]:
    """Members see their own record; advisers and admins see all (they approve against them)."""
    if role_of(user) == Role.ADVISER:
        return ComplianceRecord.objects.all()
    return scope_by_role(ComplianceRecord.objects.all(), user, employer="employer_id")


def opportunities_for_user(*, user: User | AnonymousUser) -> QuerySet[Opportunity]:
    """Members see all their organisation's; pupils browse those open to them (published, by a
    verified employer); school staff and advisers also see any their pupils are matched to."""
    base = Opportunity.objects.select_related("employer", "site", "sector")
    role = role_of(user)
    if role == Role.PUPIL:
        return base.filter(OPEN_TO_PUPILS)
    if role in SCHOOL_ROLES:
        # Through the reverse relation placements adds, so this app imports nothing of it.
        matched = Opportunity.objects.filter(
            pk=OuterRef("pk"), matches__pupil__school_id__in=school_ids_of(user)
        )
        return base.filter(OPEN_TO_PUPILS | Q(Exists(matched)))
    return scope_by_role(base, user, employer="employer_id")


def _minutes(home: GridPoint, rows: list[Opportunity]) -> list[int]:
    destinations = [
        None if o.mode == Opportunity.Mode.VIRTUAL or o.site is None else o.site.grid_point for o in rows
    ]
    return journey_minutes(home=home, destinations=destinations)


def opportunity_travel_minutes(*, home: GridPoint, opportunities: Iterable[Opportunity]) -> dict[int, int]:
    """Estimated one-way minutes from ``home`` to each opportunity's site (0 for virtual ones)."""
    rows = list(opportunities)
    return {o.pk: m for o, m in zip(rows, _minutes(home, rows), strict=True)}


def opportunities_within(
    *, home: GridPoint, opportunities: QuerySet[Opportunity], minutes: int
) -> QuerySet[Opportunity]:
    """Those within ``minutes`` of ``home``, by the kernel's one travel estimate."""
    reach = int(reach_metres(minutes))
    easting, northing = home
    near = list(
        opportunities.filter(
            Q(mode=Opportunity.Mode.VIRTUAL)
            | Q(
                site__easting__range=(easting - reach, easting + reach),
                site__northing__range=(northing - reach, northing + reach),
            )
        ).select_related("site")
    )
    keep = [o.pk for o, m in zip(near, _minutes(home, near), strict=True) if m <= minutes]
    return opportunities.filter(pk__in=keep)
