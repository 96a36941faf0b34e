"""Which matches a user's role concerns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from employers.permissions import opportunity_managed_by
from mobility.accounts.models import Role
from mobility.permissions import role_of
from schools.permissions import pupil_in_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from mobility.accounts.models import User
    from placements.models import Match


def match_in_scope(user: User | AnonymousUser | None, match: Match) -> bool:
    """Is this match one the user's role concerns: their own, their employer's, their school's?"""
    if role_of(user) == Role.EMPLOYER:
        return opportunity_managed_by(user, match.opportunity)
    return pupil_in_scope(user, match.pupil)
