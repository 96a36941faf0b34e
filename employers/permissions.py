"""Who may manage an employer's opportunities."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mobility.permissions import employer_id_of, is_admin

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from employers.models import Opportunity
    from mobility.accounts.models import User


def opportunity_managed_by(user: User | AnonymousUser | None, opportunity: Opportunity) -> bool:
    return is_admin(user) or (
        employer_id_of(user) is not None and opportunity.employer_id == employer_id_of(user)
    )
