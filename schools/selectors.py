"""Reads for schools, pupils and work-experience windows, scoped by role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from mobility.accounts.models import Invitation, Role, User
from mobility.permissions import role_of, school_ids_of, scope_by_role
from schools.models import ConsentRecord, ConsentStatus, Pupil, School, SchoolStaff, WorkExperienceWindow
from schools.permissions import pupil_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def pupils_for_user(*, user: User | AnonymousUser) -> QuerySet[Pupil]:
    """A pupil sees themself; school staff their school; advisers their schools; admins all.
    Employers see matched pupils only through a match, never here."""
    return scope_by_role(
        Pupil.objects.select_related("user", "school"), user, own="user", schools="school_id"
    )


def schools_for_user(*, user: User | AnonymousUser) -> QuerySet[School]:
    role = role_of(user)
    if role == Role.ADMIN:
        return School.objects.all()
    if role == Role.PUPIL:
        pupil = pupil_of(user)
        return School.objects.filter(pk=pupil.school_id) if pupil else School.objects.none()
    return School.objects.filter(pk__in=school_ids_of(user))


def windows_for_user(*, user: User | AnonymousUser) -> QuerySet[WorkExperienceWindow]:
    """Pupils see their own windows; staff and advisers their schools'; youth workers their service's."""
    role = role_of(user)
    windows = WorkExperienceWindow.objects.select_related("school")
    if role == Role.ADMIN:
        return windows
    if role == Role.PUPIL:
        pupil = pupil_of(user)
        if pupil is None:
            return windows.none()
        return windows_of(pupil=pupil).select_related("school")
    return windows.filter(school_id__in=school_ids_of(user))


def windows_of(*, pupil: Pupil) -> QuerySet[WorkExperienceWindow]:
    """A pupil's windows: their year group's at their school; a young person's own."""
    if pupil.is_young_person:
        return WorkExperienceWindow.objects.filter(pupil_id=pupil.pk)
    return WorkExperienceWindow.objects.filter(
        school_id=pupil.school_id, year_group=pupil.year_group, pupil__isnull=True
    )


def windows_of_outer_pupil() -> Q:
    """The same windows for a subquery whose outer row is a pupil (``OuterRef``)."""
    year_group = Q(
        pupil__isnull=True, school_id=OuterRef("school_id"), year_group=OuterRef("year_group")
    ) & Q(school__kind=School.Kind.SCHOOL)
    return year_group | Q(pupil_id=OuterRef("pk"))


def windows_overlapping(
    *, pupil: Pupil, starts_on: dt.date, ends_on: dt.date
) -> QuerySet[WorkExperienceWindow]:
    """The pupil's windows that overlap a placement's dates."""
    return windows_of(pupil=pupil).filter(Q(starts_on__lte=ends_on) & Q(ends_on__gte=starts_on))


def window_clash(window: WorkExperienceWindow, *, among: Q) -> WorkExperienceWindow | None:
    """Another window in ``among`` that shares a day with ``window``: windows may not overlap."""
    return (
        WorkExperienceWindow.objects.filter(
            among, starts_on__lte=window.ends_on, ends_on__gte=window.starts_on
        )
        .exclude(pk=window.pk)
        .first()
    )


def application_deadline(
    *, pupil: Pupil, starts_on: dt.date, ends_on: dt.date
) -> tuple[bool, dt.date | None]:
    """(any overlapping window?, last day applications are open: None means no deadline set)."""
    windows = list(windows_overlapping(pupil=pupil, starts_on=starts_on, ends_on=ends_on))
    if not windows:
        return False, None
    if any(w.application_deadline is None for w in windows):
        return True, None
    return True, max(w.application_deadline for w in windows if w.application_deadline)


@dataclass(frozen=True)
class AccountRow:
    """A pupil's or colleague's account as school staff see it: has its owner activated it?"""

    user: User
    kind: str
    year_group: int | None
    activated: bool
    invited_until: dt.datetime | None  # the outstanding invitation's expiry, if there is one
    last_invited_at: dt.datetime | None

    @property
    def status(self) -> str:
        if self.activated:
            return "Activated"
        if self.invited_until:
            return "Invited"
        return "Invitation expired" if self.last_invited_at else "Not invited"


def school_accounts(*, school: School, year_group: int | None = None) -> list[AccountRow]:
    """Every pupil's and staff member's account at the school, pupils by year group and name."""
    now = timezone.now()
    newest_first = Prefetch("user__invitations", queryset=Invitation.objects.order_by("-created_at"))
    pupils = Pupil.objects.filter(school=school).select_related("user").prefetch_related(newest_first)
    if year_group is not None:
        pupils = pupils.filter(year_group=year_group)
    rows = [
        _row(p.user, "Pupil", p.year_group, now) for p in pupils.order_by("year_group", "user__last_name")
    ]
    if year_group is None:
        staff = (
            SchoolStaff.objects.filter(school=school).select_related("user").prefetch_related(newest_first)
        )
        rows = [_row(s.user, "Staff", None, now) for s in staff.order_by("user__last_name")] + rows
    return rows


def _row(user: User, kind: str, year_group: int | None, now: dt.datetime) -> AccountRow:
    invitations = list(user.invitations.all())
    newest = invitations[0] if invitations else None
    return AccountRow(
        user=user,
        kind=kind,
        year_group=year_group,
        activated=user.has_usable_password(),
        invited_until=newest.expires_at if newest and newest.is_outstanding(now) else None,
        last_invited_at=newest.created_at if newest else None,
    )


def consent_history(*, pupil: Pupil) -> QuerySet[ConsentRecord]:
    """Every recorded answer about a pupil's parental consent, newest first."""
    return (
        ConsentRecord.objects.filter(pupil=pupil)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-pk")
    )


def current_consent(*, pupil: Pupil) -> str:
    """The latest recorded answer; without one, what the pupil's record says (an import or older data)."""
    latest = consent_history(pupil=pupil).values_list("status", flat=True).first()
    return str(latest) if latest is not None else str(pupil.parental_consent or ConsentStatus.NOT_REQUESTED)


Person = tuple[str, str, dt.date]


def person_key(first_name: str, last_name: str, date_of_birth: dt.date | None) -> Person | None:
    """Who someone is, for spotting the same person twice: case and spacing in names do not matter."""
    if not (first_name and last_name and date_of_birth):
        return None
    return (" ".join(first_name.split()).casefold(), " ".join(last_name.split()).casefold(), date_of_birth)


@dataclass
class SamePeople:
    by_person: dict[Person, Pupil]
    by_upn: dict[str, Pupil]


def pupils_same_people(*, school: School, births: set[dt.date], upns: set[str]) -> SamePeople:
    """The school's own pupils (never another school's) who may be people named in an import or
    form: looked up by date of birth or UPN, keyed by name-and-birthday and by UPN."""
    pupils = Pupil.objects.filter(school=school).filter(Q(date_of_birth__in=births) | Q(upn__in=upns - {""}))
    found = list(pupils.select_related("user"))
    return SamePeople(
        by_person={
            key: p
            for p in found
            if (key := person_key(p.user.first_name, p.user.last_name, p.date_of_birth)) is not None
        },
        by_upn={p.upn: p for p in found if p.upn},
    )


def pupil_same_person(
    *, school: School, first_name: str, last_name: str, date_of_birth: dt.date, upn: str
) -> Pupil | None:
    """The school's pupil with this UPN, or else with this name and date of birth."""
    same = pupils_same_people(school=school, births={date_of_birth}, upns={upn})
    key = person_key(first_name, last_name, date_of_birth)
    return same.by_upn.get(upn) or (same.by_person.get(key) if key else None)
