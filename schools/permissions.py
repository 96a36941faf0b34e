"""Who may reach a pupil's own record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mobility.accounts.models import Role
from mobility.permissions import role_of, school_ids_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from mobility.accounts.models import User
    from schools.models import Pupil


def pupil_of(user: User | AnonymousUser | None) -> Pupil | None:
    if role_of(user) != Role.PUPIL:
        return None
    return getattr(user, "pupil", None)


def pupil_in_scope(user: User | AnonymousUser | None, pupil: Pupil) -> bool:
    """May this user see this pupil's own record (not the employer's narrow view)?"""
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    if role == Role.PUPIL:
        return pupil.user_id == getattr(user, "pk", None)
    return pupil.school_id in school_ids_of(user)
