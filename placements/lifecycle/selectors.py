"""Reads for applications, matches and runs, scoped by role, and the lapse sweep's query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet

from mobility.accounts.models import Role, User
from mobility.geography.models import Region
from mobility.permissions import SCHOOL_ROLES, role_of, school_ids_of, scope_by_role
from placements.models import Application, Match, MatchRun, MatchStatus

from .offer_clock import offer_clocks

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

OFFER_STATUSES = (MatchStatus.OFFERED, MatchStatus.EMPLOYER_CONFIRMED)
# Before the offer, a match is the advisers' business: pupils and employers do not see it.
NOT_YET_OFFERED = (MatchStatus.PROPOSED, MatchStatus.REJECTED, MatchStatus.APPROVED)


def applications_for_user(*, user: User | AnonymousUser) -> QuerySet[Application]:
    base = Application.objects.select_related("opportunity__employer", "pupil__user", "pupil__school")
    return scope_by_role(base, user, own="pupil__user", schools="pupil__school_id")


def matches_for_user(*, user: User | AnonymousUser) -> QuerySet[Match]:
    """Pupils their own; employer members their organisation's; staff and advisers their
    schools'; admins all. Pupils and employers see a match once it is offered."""
    base = Match.objects.select_related(
        "pupil__user", "pupil__school", "opportunity__employer", "opportunity__site", "run"
    )
    if role_of(user) in (Role.PUPIL, Role.EMPLOYER):
        base = base.exclude(status__in=NOT_YET_OFFERED)
    return scope_by_role(
        base, user, own="pupil__user", employer="opportunity__employer_id", schools="pupil__school_id"
    )


def runs_for_user(*, user: User | AnonymousUser) -> QuerySet[MatchRun]:
    """Admins all runs; advisers and school staff the runs of their schools' regions."""
    role = role_of(user)
    if role == Role.ADMIN:
        return MatchRun.objects.all()
    if role in SCHOOL_ROLES:
        return MatchRun.objects.filter(
            region__local_authorities__schools__id__in=school_ids_of(user)
        ).distinct()
    return MatchRun.objects.none()


def offer_lapses_at(match: Match) -> dt.datetime | None:
    """When an unanswered offer lapses: N days after it reached its current waiting status and the
    news of it went out (``offer_clock``). While the news is still waiting, this is provisional."""
    return offers_lapse_at([match])[match.pk]


def offers_lapse_at(matches: Iterable[Match]) -> dict[int, dt.datetime | None]:
    """``offer_lapses_at`` for a page of matches, in at most two queries."""
    matches = list(matches)
    waiting = [m for m in matches if m.status in OFFER_STATUSES]
    clocks = offer_clocks(waiting) if waiting else {}
    lapse = dt.timedelta(days=settings.MOBILITY["OFFER_LAPSE_DAYS"])
    return {m.pk: clocks[m.pk].starts_at + lapse if m.pk in clocks else None for m in matches}


def overdue_offer_ids(*, now: dt.datetime) -> list[int]:
    cutoff = now - dt.timedelta(days=settings.MOBILITY["OFFER_LAPSE_DAYS"])
    return list(
        Match.objects.filter(status__in=OFFER_STATUSES, status_changed_at__lte=cutoff)
        .order_by("status_changed_at", "pk")
        .values_list("pk", flat=True)
    )


def regions_for_user(*, user: User | AnonymousUser) -> QuerySet[Region]:
    """Regions a user may start match runs for: their schools' regions; admins all."""
    role = role_of(user)
    if role == Role.ADMIN:
        return Region.objects.all()
    if role == Role.ADVISER:
        return Region.objects.filter(local_authorities__schools__id__in=school_ids_of(user)).distinct()
    return Region.objects.none()
