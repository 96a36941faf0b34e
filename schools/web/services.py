"""Writes behind the school staff's pages that no shared service covers: importing pupils."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mobility.accounts.models import Role, User
from schools.models import Pupil, School
from schools.web.csv_import import Preview

log = logging.getLogger(__name__)


class ImportFailed(Exception):
    """The file could not be imported; nothing was saved."""


def pupils_import(*, school: School, preview: Preview, actor: User) -> list[Pupil]:
    """Create a login and a pupil record per row, all or none. Pupils set a password by reset."""
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
    except (ValidationError, IntegrityError) as error:
        raise ImportFailed(f"Row {row.number} could not be saved ({error}). Nothing was saved.") from error
    log.info("%s imported %d pupils into school %s", actor.email, len(created), school.pk)
    return created
