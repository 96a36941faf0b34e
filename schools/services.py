"""Writes for pupils' profiles and their import, parental consent and work-experience windows.

Callers pass only the fields a role may change; ``school``, consent and the located grid
point are never taken from a client.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from mobility.accounts.models import Role, User
from mobility.accounts.services import IssuedInvitation, invitation_send, invitations_send, user_invite
from mobility.geography.models import Sector
from schools.imports import Preview
from schools.models import (
    DISADVANTAGE_FLAGS,
    ConsentGiver,
    ConsentMethod,
    ConsentRecord,
    ConsentStatus,
    Pupil,
    School,
    SchoolStaff,
    WorkExperienceWindow,
)
from schools.signals import consent_recorded

PUPIL_SELF_FIELDS = frozenset(
    {
        "postcode",
        "needs_step_free_access",
        "access_needs",
        "share_access_needs",
        "max_travel_minutes",
        "sector_interests",
    }
)
PUPIL_STAFF_FIELDS = PUPIL_SELF_FIELDS | {"year_group", *DISADVANTAGE_FLAGS}
log = logging.getLogger(__name__)

WINDOW_FIELDS = ("year_group", "starts_on", "ends_on", "application_deadline")


def pupil_update(*, pupil: Pupil, allowed: Iterable[str], data: dict[str, Any]) -> Pupil:
    """Change a pupil's profile. ``allowed`` is the caller's role's field set; others are refused."""
    refused = set(data) - set(allowed)
    if refused:
        raise ValidationError({name: "You cannot change this." for name in sorted(refused)})
    with transaction.atomic():
        pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
        interests: list[Sector] | None = data.pop("sector_interests", None)
        for name, value in data.items():
            setattr(pupil, name, value)
        pupil.full_clean(exclude=["user", "school"])  # also locates a changed postcode
        pupil.save()
        if interests is not None:
            pupil.sector_interests.set(interests)
    return pupil


def pupil_consent_record(
    *,
    pupil: Pupil,
    status: str,
    actor: User,
    method: str = "",
    parent_carer_name: str = "",
    now: dt.datetime | None = None,
) -> list[int]:
    """Record a parent's or carer's answer as a new row of the pupil's consent history, and act on it.

    Placements act on it (given confirms accepted placements, refused cancels live ones) through
    the ``consent_recorded`` signal. Returns the ids of matches whose status changed.
    """
    if status not in ConsentStatus.values:
        raise ValidationError({"status": f"Choose one of: {', '.join(ConsentStatus.values)}."})
    if method and method not in ConsentMethod.values:
        raise ValidationError({"method": f"Choose one of: {', '.join(ConsentMethod.values)}."})
    # A young person outside school (16 or over) answers for themself, never a parent or carer.
    given_by = ConsentGiver.YOUNG_PERSON if pupil.is_young_person else ConsentGiver.PARENT_CARER
    if given_by == ConsentGiver.YOUNG_PERSON and parent_carer_name.strip():
        raise ValidationError(
            {"parent_carer_name": "A young person of 16 or over answers for themself; leave this blank."}
        )
    now = now or timezone.now()
    with transaction.atomic():
        locked = Pupil.objects.select_for_update().get(pk=pupil.pk)
        ConsentRecord.objects.create(
            pupil=locked,
            status=status,
            given_by=given_by,
            method=method,
            parent_carer_name=parent_carer_name.strip(),
            recorded_by=actor,
            recorded_at=now,
        )
        # Kept for the pages and API that read the current answer; the history is the record.
        locked.parental_consent = status
        locked.parental_consent_recorded_at = now
        locked.save(update_fields=["parental_consent", "parental_consent_recorded_at"])
        answers = consent_recorded.send(sender=Pupil, pupil=locked, status=status, actor=actor, now=now)
        changed: list[int] = [record_id for _, ids in answers for record_id in cast(list[int], ids)]
    return changed


def window_save(
    *, school: School, data: dict[str, Any], window: WorkExperienceWindow | None = None
) -> WorkExperienceWindow:
    """Create or change a school's work-experience window. New or moved dates must not lie in
    the past, and one year group's windows at a school never overlap."""
    with transaction.atomic():
        School.objects.select_for_update().get(pk=school.pk)  # one window change per school at a time
        window = window or WorkExperienceWindow(school=school)
        before = (window.starts_on, window.ends_on) if window.pk else None
        for name in WINDOW_FIELDS:
            if name in data:
                setattr(window, name, data[name])
        window.full_clean()
        if (window.starts_on, window.ends_on) != before and window.starts_on < timezone.localdate():
            raise ValidationError({"starts_on": "The first day must be today or later."})
        overlapping = (
            WorkExperienceWindow.objects.filter(
                school=school,
                year_group=window.year_group,
                starts_on__lte=window.ends_on,
                ends_on__gte=window.starts_on,
            )
            .exclude(pk=window.pk)
            .first()
        )
        if overlapping is not None:
            raise ValidationError(
                {
                    "starts_on": f"Year {window.year_group} already has a week from "
                    f"{overlapping.starts_on:%-d %B} to {overlapping.ends_on:%-d %B %Y}; "
                    "weeks cannot overlap."
                }
            )
        window.save()
    return window


class ImportFailed(Exception):
    """The file could not be imported; nothing was saved."""


def pupils_import(
    *, school: School, preview: Preview, actor: User, site_url: str | None = None
) -> list[Pupil]:
    """Create a login and a pupil record per row, all or none, and invite each pupil by email
    (sent once it is saved) to set a password."""
    if not preview.clean:
        raise ImportFailed("Fix the errors in the file and upload it again. Nothing was saved.")
    created: list[Pupil] = []
    try:
        with transaction.atomic():
            for row in preview.rows:
                v = row.values
                user = User.objects.create_user(
                    email=v["email"],
                    password=None,
                    first_name=v["first_name"],
                    last_name=v["last_name"],
                    role=Role.PUPIL,
                )
                pupil = Pupil(
                    user=user,
                    school=school,
                    year_group=v["year_group"],
                    date_of_birth=v["date_of_birth"],
                    postcode=v["postcode"],
                    access_needs=v["access_needs"],
                    **{
                        flag: v[flag]
                        for flag in (
                            "fsm_or_pupil_premium",
                            "care_experienced",
                            "send",
                            "young_carer",
                            "at_risk_of_neet",
                            "needs_step_free_access",
                        )
                    },
                )
                pupil.full_clean(exclude=["user", "school"])
                pupil.save()
                created.append(pupil)
            invitations_send(users=[p.user for p in created], sent_by=actor, site_url=site_url)
    except (ValidationError, IntegrityError) as error:
        raise ImportFailed(f"Row {row.number} could not be saved ({error}). Nothing was saved.") from error
    log.info("%s imported %d pupils into school %s", actor.email, len(created), school.pk)
    return created


def staff_invite(
    *,
    school: School,
    email: str,
    first_name: str,
    last_name: str,
    job_title: str,
    invited_by: User,
    site_url: str | None = None,
) -> SchoolStaff:
    """A colleague's account at the same school, with an invitation to set a password."""
    with transaction.atomic():
        user = user_invite(
            email=email,
            first_name=first_name,
            last_name=last_name,
            role=Role.SCHOOL_STAFF,
            invited_by=invited_by,
            site_url=site_url,
        )
        staff = SchoolStaff.objects.create(user=user, school=school, job_title=job_title or "Careers leader")
    return staff


def invitations_resend(*, school: School, users: list[User], actor: User, site_url: str | None = None) -> int:
    """Email a new invitation to each of ``users`` (the school's own) who has not activated yet."""
    waiting = [user for user in _school_users(school, users) if not user.has_usable_password()]
    invitations_send(users=waiting, sent_by=actor, site_url=site_url)
    return len(waiting)


def activation_codes_issue(*, school: School, pupils: list[Pupil], actor: User) -> list[IssuedInvitation]:
    """New printed codes for pupils who have not activated; their earlier links and codes stop working."""
    with transaction.atomic():
        return [
            invitation_send(user=pupil.user, sent_by=actor, by_email=False)
            for pupil in pupils
            if pupil.school_id == school.pk and not pupil.user.has_usable_password()
        ]


def _school_users(school: School, users: list[User]) -> list[User]:
    ids = {user.pk for user in users}
    return list(
        User.objects.filter(pk__in=ids)
        .filter(models.Q(pupil__school=school) | models.Q(school_staff__school=school))
        .distinct()
    )
