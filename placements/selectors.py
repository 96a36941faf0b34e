"""What an employer may see of the pupils matched to its opportunities."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from placements.lifecycle.selectors import matches_for_user
from placements.models import Match, MatchStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from mobility.accounts.models import User
    from schools.models import Pupil

# Once the placement is agreed the employer may also see the pupil's surname.
NAMED_STATUSES = (MatchStatus.CONFIRMED, MatchStatus.COMPLETED)
# Once the pupil accepts, the employer may see the access needs the pupil or school marked to share.
SHARED_STATUSES = (MatchStatus.ACCEPTED, *NAMED_STATUSES)
# A youth service's name can say why a young person is outside school (a leaving-care team,
# a youth justice service), so employers see this instead of it.
PARTNER_LABEL = "A Mobility partner"


def school_shown_to_employer(pupil: Pupil) -> str:
    return PARTNER_LABEL if pupil.school.is_youth_service else pupil.school.name


def who_for_employer(pupil: Pupil) -> str:
    """How a message to an employer describes the pupil, as ``school_shown_to_employer`` allows."""
    if pupil.school.is_youth_service:
        return "a young person working with a Mobility partner"
    return f"a Year {pupil.year_group} pupil at {pupil.school.name}"


def employer_matches(*, user: User | AnonymousUser) -> QuerySet[Match]:
    """Matches to the user's organisation's opportunities, with the pupil and school joined."""
    return (
        matches_for_user(user=user)
        .select_related("pupil__user", "pupil__school", "opportunity")
        .order_by("opportunity__starts_on", "pk")
    )


@dataclass(frozen=True)
class MatchedPupil:
    """The only pupil details an employer sees. Never date of birth, postcode or disadvantage flags."""

    match: Match
    name: str
    school: str
    year_group: int | None  # none for a young person outside school: with their age it could say why
    access_needs: str
    needs_step_free_access: bool


def matched_pupil(match: Match) -> MatchedPupil:
    """Before the pupil accepts: first name, year group and school (or partner) only."""
    pupil, user = match.pupil, match.pupil.user
    name = user.get_full_name() if match.status in NAMED_STATUSES else user.first_name
    shared = match.status in SHARED_STATUSES and pupil.share_access_needs
    return MatchedPupil(
        match=match,
        name=name,
        school=school_shown_to_employer(pupil),
        year_group=None if pupil.school.is_youth_service else pupil.year_group,
        access_needs=pupil.access_needs if shared else "",
        needs_step_free_access=pupil.needs_step_free_access if shared else False,
    )


def matched_pupils(matches: Iterable[Match]) -> list[MatchedPupil]:
    return [matched_pupil(m) for m in matches]
