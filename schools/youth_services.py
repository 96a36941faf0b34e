"""Writes for young people outside school: a youth service registers them, keeps their flags
and their own availability windows, and records their own consent (no parent's at 16 or over).

A youth service is a ``School`` of kind ``youth_service``: its young people are ``Pupil`` rows,
so applications, match runs and the whole placement lifecycle serve them unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from mobility.accounts.models import Role, User
from mobility.accounts.services import user_invite
from schools.models import (
    DISADVANTAGE_FLAGS,
    YOUNG_PERSON_AGES,
    Cohort,
    ConsentMethod,
    ConsentStatus,
    Pupil,
    School,
    WorkExperienceWindow,
)
from schools.selectors import window_clash
from schools.services import PUPIL_SELF_FIELDS, pupil_consent_record, pupil_update

# What a youth worker may change on a young person's record (no year group: they have none).
YOUNG_PERSON_WORKER_FIELDS = PUPIL_SELF_FIELDS | set(DISADVANTAGE_FLAGS)
PROFILE_FIELDS = (
    "postcode",
    "needs_step_free_access",
    "access_needs",
    "share_access_needs",
    "max_travel_minutes",
)


def young_person_age_problem(*, cohort: str, date_of_birth: dt.date, today: dt.date) -> str:
    """Why a young person of this age cannot be registered in this cohort ('' if they can)."""
    if cohort not in YOUNG_PERSON_AGES:
        return (
            "Choose whether the young person is not in education, employment or training, or a care leaver."
        )
    youngest, oldest = YOUNG_PERSON_AGES[Cohort(cohort)]
    born = date_of_birth
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if youngest <= age <= oldest:
        return ""
    who = "Care leavers" if cohort == Cohort.CARE_LEAVER else "Young people not in education or work"
    return f"{who} must be aged {youngest} to {oldest}; this date of birth makes them {age}."


def nominal_year_group(age: int) -> int:
    """The school year a young person of this age would be in (12 at 16, capped at 14), kept
    because every pupil record has one; their windows are their own, not a year group's."""
    return max(12, min(14, age - 4))


def young_person_register(
    *, service: School, actor: User, data: dict[str, Any], site_url: str | None = None
) -> Pupil:
    """Register a young person at a youth service with their own consent, invite them to set a
    password, and record any availability window given. Raises ValidationError with field errors."""
    if not service.is_youth_service:
        raise ValidationError({"__all__": "Only a youth service registers young people outside school."})
    today = timezone.localdate()
    cohort, born = data.get("cohort", ""), data["date_of_birth"]
    problem = young_person_age_problem(cohort=cohort, date_of_birth=born, today=today)
    if problem:
        raise ValidationError({"date_of_birth": problem})
    if not data.get("consent_given"):
        raise ValidationError(
            {"consent_given": "The young person must agree to take part before they are registered."}
        )
    flags = {flag: bool(data.get(flag)) for flag in DISADVANTAGE_FLAGS}
    if cohort == Cohort.CARE_LEAVER:
        flags["care_experienced"] = True  # a care leaver is care-experienced: free travel follows
    try:
        with transaction.atomic():
            user = user_invite(
                email=data["email"].strip().lower(),
                first_name=data["first_name"].strip(),
                last_name=data.get("last_name", "").strip(),
                role=Role.PUPIL,
                invited_by=actor,
                site_url=site_url,
            )
            age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            pupil = Pupil(
                user=user,
                school=service,
                cohort=cohort,
                year_group=nominal_year_group(age),
                date_of_birth=born,
                **{name: data[name] for name in PROFILE_FIELDS if name in data},
                **flags,
            )
            pupil.full_clean(exclude=["user", "school"])
            pupil.save()
            pupil_consent_record(
                pupil=pupil,
                status=ConsentStatus.GIVEN,
                method=data.get("consent_method") or ConsentMethod.PHONE,
                actor=actor,
            )
            if data.get("window_starts_on") and data.get("window_ends_on"):
                young_person_window_save(
                    pupil=pupil,
                    data={"starts_on": data["window_starts_on"], "ends_on": data["window_ends_on"]},
                )
    except IntegrityError as error:
        raise ValidationError({"email": "An account with this email address already exists."}) from error
    pupil.refresh_from_db()
    return pupil


def young_person_update(*, pupil: Pupil, data: dict[str, Any]) -> Pupil:
    """A youth worker changes a young person's flags and profile. A care leaver stays care-experienced."""
    _check_young(pupil)
    if pupil.cohort == Cohort.CARE_LEAVER and data.get("care_experienced") is False:
        raise ValidationError(
            {"care_experienced": "A care leaver is care-experienced; this cannot be unset."}
        )
    return pupil_update(pupil=pupil, allowed=YOUNG_PERSON_WORKER_FIELDS, data=data)


def young_person_window_save(
    *, pupil: Pupil, data: dict[str, Any], window: WorkExperienceWindow | None = None
) -> WorkExperienceWindow:
    """A young person's own availability window. New dates must not lie in the past, and one
    person's windows never overlap."""
    _check_young(pupil)
    with transaction.atomic():
        Pupil.objects.select_for_update().get(pk=pupil.pk)  # one window change per person at a time
        window = window or WorkExperienceWindow(school_id=pupil.school_id, pupil=pupil)
        window.year_group = pupil.year_group
        for name in ("starts_on", "ends_on", "application_deadline"):
            if name in data:
                setattr(window, name, data[name])
        window.full_clean(validate_constraints=False)
        if window.ends_on < window.starts_on:
            raise ValidationError({"ends_on": "The last day must be the same as or after the first day."})
        if window.starts_on < timezone.localdate():
            raise ValidationError({"starts_on": "The first day must be today or later."})
        overlapping = window_clash(window, among=Q(pupil=pupil))
        if overlapping is not None:
            raise ValidationError(
                {
                    "starts_on": f"{pupil.user.first_name} is already free from "
                    f"{overlapping.starts_on:%-d %B} to {overlapping.ends_on:%-d %B %Y}: no overlaps."
                }
            )
        window.save()
    return window


def _check_young(pupil: Pupil) -> None:
    if not pupil.is_young_person:
        raise ValidationError({"__all__": "This is a school's pupil, not a young person outside school."})
