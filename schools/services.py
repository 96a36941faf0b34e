"""Writes for pupils' profiles and their import, parental consent and work-experience windows.

Callers pass only the fields a role may change; ``school``, consent and the located grid
point are never taken from a client.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Unpack, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from mobility.accounts.models import Role, User
from mobility.accounts.services import (
    Invitee,
    IssuedInvitation,
    colleague_invite,
    invitation_send,
    invitations_send,
)
from mobility.geography.models import Sector
from schools.imports import FLAGS, Preview, Row, import_preview
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
from schools.selectors import pupil_same_person, window_clash
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
        moved = "year_group" in data and data["year_group"] != pupil.year_group
        for name, value in data.items():
            setattr(pupil, name, value)
        if moved:
            pupil.check_age_fits_year_group(today=timezone.localdate(), field="year_group")
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
        overlapping = window_clash(window, among=Q(school=school, year_group=window.year_group))
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


PUPIL_NEW_FIELDS = ("year_group", "date_of_birth", "postcode", "upn", "access_needs", *FLAGS)


def pupil_create(
    *,
    school: School,
    data: dict[str, Any],
    actor: User | None,
    site_url: str | None = None,
    invite: bool = True,
) -> Pupil:
    """A pupil's login and record at ``school``, invited by email (sent on commit) to set a password.

    Refused when the school already has the same person (name and date of birth, or UPN), the
    email address has an account, or the date of birth does not fit the year group.
    """
    email = str(data["email"]).strip().lower()
    upn = str(data.get("upn") or "").replace(" ", "").upper()
    with transaction.atomic():
        same = pupil_same_person(
            school=school,
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            upn=upn,
        )
        if same is not None:
            raise ValidationError(
                f"{same.user.get_full_name()} (Year {same.year_group}, born "
                f"{same.date_of_birth:%d/%m/%Y}) is already a pupil at your school."
            )
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError({"email": "An account with this email address already exists."})
        user = User.objects.create_user(
            email=email,
            password=None,
            first_name=str(data["first_name"]).strip(),
            last_name=str(data["last_name"]).strip(),
            role=Role.PUPIL,
        )
        values = {name: data[name] for name in PUPIL_NEW_FIELDS if name in data}
        pupil = Pupil(user=user, school=school, **{**values, "upn": upn})
        pupil.check_age_fits_year_group(today=timezone.localdate())
        pupil.full_clean(exclude=["user", "school"])
        pupil.save()
        if invite:
            invitations_send(users=[user], sent_by=actor, site_url=site_url)
    return pupil


class ImportFailed(Exception):
    """The file could not be imported; nothing was saved. ``preview`` is the file as checked."""

    def __init__(self, message: str, preview: Preview | None = None) -> None:
        super().__init__(message)
        self.preview = preview


class Choice(models.TextChoices):
    SKIP = "skip", "Skip this row"
    UPDATE = "update", "Update the existing pupil"


@dataclass
class ImportResult:
    created: list[Pupil] = field(default_factory=list)
    updated: list[Pupil] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0


def pupils_import(
    *,
    school: School,
    text: str,
    choices: dict[int, str],
    for_all: str = "",
    actor: User,
    site_url: str | None = None,
) -> ImportResult:
    """Save a checked file, all or none: new pupils are created and invited; a row that is
    already the school's pupil is skipped or updates that pupil, as ``choices`` (row number to
    skip or update) says, or ``for_all`` for every such row; a repeat of an earlier row is
    skipped. Importing the same file again
    with "update" changes nothing."""
    with transaction.atomic():
        School.objects.select_for_update().get(pk=school.pk)  # one import per school at a time
        # Checked again under the lock: another import may have added pupils since the preview.
        preview = import_preview(text, school=school)
        if not preview.clean:
            raise ImportFailed("Fix the errors in the file and upload it again. Nothing was saved.", preview)
        if for_all in Choice.values:
            choices = {r.number: for_all for r in preview.rows if r.needs_choice}
        undecided = [
            r.number for r in preview.rows if r.needs_choice and choices.get(r.number) not in Choice.values
        ]
        if undecided:
            rows = ", ".join(str(n) for n in undecided)
            raise ImportFailed(f"Choose skip or update for row {rows}. Nothing was saved.", preview)
        result = ImportResult()
        for row in preview.rows:
            if row.existing is None and row.same_as_row is None:
                result.created.append(_import_new(school, row))
            elif row.needs_choice and choices[row.number] == Choice.UPDATE:
                pupil = _import_update(row)
                if pupil is None:
                    result.unchanged += 1
                else:
                    result.updated.append(pupil)
            else:
                result.skipped += 1
        invitations_send(users=[p.user for p in result.created], sent_by=actor, site_url=site_url)
    log.info(
        "%s imported pupils into school %s: %d new, %d updated, %d unchanged, %d skipped",
        actor.email,
        school.pk,
        len(result.created),
        len(result.updated),
        result.unchanged,
        result.skipped,
    )
    return result


def _import_new(school: School, row: Row) -> Pupil:
    try:
        with transaction.atomic():
            return pupil_create(school=school, data=row.values, actor=None, invite=False)
    except (ValidationError, IntegrityError) as error:
        messages = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        raise ImportFailed(f"Row {row.number} could not be saved ({messages}). Nothing was saved.") from error


def _import_update(row: Row) -> Pupil | None:
    """The row's school fields onto the pupil it matched; an empty optional cell keeps what is
    there. Name, email (the login) and date of birth stay. None when nothing differs."""
    assert row.existing is not None
    pupil = Pupil.objects.select_for_update().get(pk=row.existing.pupil_id)
    wanted = {"year_group": row.values["year_group"], "postcode": row.values["postcode"]}
    wanted |= {name: row.values[name] for name in row.given}
    changed = {name: value for name, value in wanted.items() if getattr(pupil, name) != value}
    if not changed:
        return None
    for name, value in changed.items():
        setattr(pupil, name, value)
    if "year_group" in changed:
        pupil.check_age_fits_year_group(today=timezone.localdate(), field="year_group")
    try:
        pupil.full_clean(exclude=["user", "school"])
    except ValidationError as error:
        raise ImportFailed(f"Row {row.number}: {'; '.join(error.messages)}. Nothing was saved.") from error
    pupil.save()
    return pupil


def staff_invite(*, school: School, job_title: str, **invitee: Unpack[Invitee]) -> SchoolStaff:
    """A colleague's account at the same school, with an invitation to set a password."""
    return colleague_invite(
        role=Role.SCHOOL_STAFF,
        attach=lambda user: SchoolStaff.objects.create(
            user=user, school=school, job_title=job_title or "Careers leader"
        ),
        **invitee,
    )


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
