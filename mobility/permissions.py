"""Who a user is, in the platform's terms, and what they may reach.

Scoping is by queryset (see each app's ``selectors``); these helpers need only the user and
give DRF a role gate. Per-object questions live with the app that owns the object
(``schools.permissions``, ``employers.permissions``, ``placements.permissions``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from mobility.accounts.models import Role

if TYPE_CHECKING:
    from mobility.accounts.models import User
    from mobility.geography.located import Located
    from mobility.geography.travel import GridPoint

M = TypeVar("M", bound=Model)
# Those who work with schools' pupils: their reach is their schools (a youth worker's service).
SCHOOL_ROLES = frozenset({Role.SCHOOL_STAFF, Role.YOUTH_WORKER, Role.ADVISER})


def role_of(user: User | AnonymousUser | None) -> str | None:
    """The user's role; superusers count as admins. None for anonymous or inactive users."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return str(user.role)


def acting_user(request: Request) -> User:
    """The signed-in user behind a request that has passed ``IsAuthenticated``."""
    user = request.user
    if isinstance(user, AnonymousUser):
        raise NotAuthenticated()
    return user


def is_admin(user: User | AnonymousUser | None) -> bool:
    return role_of(user) == Role.ADMIN


def _record_of(user: User | AnonymousUser | None, role: str, relation: str) -> Any:
    """The user's linked record (their pupil, membership, staff row...) when they hold ``role``."""
    return getattr(user, relation, None) if role_of(user) == role else None


def pupil_home_of(user: User | AnonymousUser | None) -> GridPoint | None:
    """A signed-in pupil's home grid point. The kernel knows a pupil only as a located record."""
    pupil: Located | None = _record_of(user, Role.PUPIL, "pupil")
    return pupil.grid_point if pupil else None


def pupil_id_of(user: User | AnonymousUser | None) -> int | None:
    pupil: Located | None = _record_of(user, Role.PUPIL, "pupil")
    return pupil.pk if pupil else None


def employer_id_of(user: User | AnonymousUser | None) -> int | None:
    member = _record_of(user, Role.EMPLOYER, "employer_member")
    return member.employer_id if member else None


def staff_school_id_of(user: User | AnonymousUser | None) -> int | None:
    staff = _record_of(user, Role.SCHOOL_STAFF, "school_staff")
    return staff.school_id if staff else None


def youth_service_id_of(user: User | AnonymousUser | None) -> int | None:
    """A youth worker's service: a school-like organisation their staff record belongs to."""
    staff = _record_of(user, Role.YOUTH_WORKER, "school_staff")
    return staff.school_id if staff else None


def adviser_school_ids_of(user: User | AnonymousUser | None) -> list[int]:
    adviser = _record_of(user, Role.ADVISER, "careers_adviser")
    if adviser is None:
        return []
    # Kept on the adviser row, which lives as long as the request's user: a page asks several times.
    ids: list[int] | None = getattr(adviser, "_school_ids", None)
    if ids is None:
        ids = adviser._school_ids = list(adviser.schools.values_list("id", flat=True))
    return list(ids)


def lead_region_id_of(user: User | AnonymousUser | None) -> int | None:
    """The one region a region lead reports on; None for everyone else."""
    lead = _record_of(user, Role.REGION_LEAD, "region_lead")
    return lead.region_id if lead else None


def school_ids_of(user: User | AnonymousUser | None) -> list[int]:
    """Schools a member of school staff or an adviser works with; a youth worker's service."""
    staff_school = staff_school_id_of(user) or youth_service_id_of(user)
    return [staff_school] if staff_school else adviser_school_ids_of(user)


def scope_by_role(
    base: QuerySet[M],
    user: User | AnonymousUser | None,
    *,
    own: str | None = None,
    employer: str | None = None,
    schools: str | None = None,
) -> QuerySet[M]:
    """``base`` narrowed to what the user reaches, each path a lookup from a row: admins all rows;
    a pupil those whose ``own`` is their user; an employer member those whose ``employer`` is their
    organisation's id; ``SCHOOL_ROLES`` those whose ``schools`` is one of their schools' ids. Anyone
    else, or a role whose path is not given, nothing."""
    role = role_of(user)
    if role == Role.ADMIN:
        return base
    if role == Role.PUPIL and own is not None:
        return base.filter(**{own: user})
    employer_id = employer_id_of(user)
    if employer is not None and employer_id is not None:
        return base.filter(**{employer: employer_id})
    if role in SCHOOL_ROLES and schools is not None:
        return base.filter(**{f"{schools}__in": school_ids_of(user)})
    return base.none()


class ActionRoles(BasePermission):
    """Each view lists, per action, the roles that may take it: ``action_roles = {"create": {...}}``.

    Actions not listed are open to every role (their querysets are still scoped). The check
    does not depend on the object, so a refusal here says nothing about which ids exist.
    """

    message = "Your role cannot do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        role = role_of(request.user)
        if role is None:
            return False
        allowed = getattr(view, "action_roles", {}).get(getattr(view, "action", None))
        return allowed is None or role in allowed
