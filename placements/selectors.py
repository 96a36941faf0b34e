"""What an employer may see of the pupils matched to its opportunities."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    """The only pupil details an employer sees, on its pages and through the API. Never date of
    birth, postcode or disadvantage flags; ``None`` is what the employer may not see yet."""

    match: Match
    first_name: str
    last_name: str | None
    school: str
    year_group: int | None  # none for a young person outside school: with their age it could say why
    access_needs: str | None
    needs_step_free_access: bool | None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name

    def shown(self) -> dict[str, Any]:
        """The API's fields: those the employer may see."""
        fields = ("first_name", "last_name", "school", "year_group", "access_needs", "needs_step_free_access")
        return {name: getattr(self, name) for name in fields if getattr(self, name) is not None}


def matched_pupil(match: Match) -> MatchedPupil:
    """Before the pupil accepts: first name, year group and school (or partner) only."""
    pupil, user = match.pupil, match.pupil.user
    shared = match.status in SHARED_STATUSES and pupil.share_access_needs
    return MatchedPupil(
        match=match,
        first_name=user.first_name,
        last_name=user.last_name if match.status in NAMED_STATUSES else None,
        school=school_shown_to_employer(pupil),
        year_group=None if pupil.school.is_youth_service else pupil.year_group,
        access_needs=pupil.access_needs if shared else None,
        needs_step_free_access=pupil.needs_step_free_access if shared else None,
    )


def matched_pupils(matches: Iterable[Match]) -> list[MatchedPupil]:
    return [matched_pupil(m) for m in matches]
