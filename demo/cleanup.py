"""Finding and removing demo rows. Reference data (region, councils, sectors) is left in place."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet

from employers.models import ComplianceRecord, Employer, EmployerMember, Opportunity, Site
from mobility.accounts.models import User
from placements.models import Application, Match, MatchRun
from schools.models import CareersAdviser, Pupil, School, SchoolStaff, WorkExperienceWindow

from .accounts import DEMO_DOMAIN, DEMO_URN_PREFIX, demo_user_q


def demo_users() -> QuerySet[User]:
    return User.objects.filter(demo_user_q())


def demo_schools() -> QuerySet[School]:
    return School.objects.filter(urn__startswith=DEMO_URN_PREFIX)


def demo_employers() -> QuerySet[Employer]:
    return Employer.objects.filter(website__endswith=f".{DEMO_DOMAIN}")


def demo_exists() -> bool:
    return demo_users().exists() or demo_schools().exists() or demo_employers().exists()


@transaction.atomic
def reset_demo() -> int:
    """Delete every demo row and what hangs off it, leaves first; return the number of rows deleted.

    Match runs that matched any demo pupil or placement go too, since their results no longer mean anything.
    """
    users, schools, employers = demo_users(), demo_schools(), demo_employers()
    pupils = Pupil.objects.filter(Q(school__in=schools) | Q(user__in=users))
    opportunities = Opportunity.objects.filter(employer__in=employers)
    matches = Match.objects.filter(Q(pupil__in=pupils) | Q(opportunity__in=opportunities))
    adviser_schools = CareersAdviser.schools.through.objects.filter(
        Q(school__in=schools) | Q(careersadviser__user__in=users)
    )

    deleted = 0
    for queryset in (
        MatchRun.objects.filter(pk__in=list(matches.values_list("run_id", flat=True).distinct())),
        Application.objects.filter(Q(pupil__in=pupils) | Q(opportunity__in=opportunities)),
        Pupil.sector_interests.through.objects.filter(pupil__in=pupils),
        pupils,
        SchoolStaff.objects.filter(Q(school__in=schools) | Q(user__in=users)),
        adviser_schools,
        CareersAdviser.objects.filter(user__in=users),
        EmployerMember.objects.filter(Q(employer__in=employers) | Q(user__in=users)),
        ComplianceRecord.objects.filter(employer__in=employers),
        opportunities,
        Site.objects.filter(employer__in=employers),
        employers,
        WorkExperienceWindow.objects.filter(school__in=schools),
        schools,
        users,
    ):
        deleted += queryset.delete()[0]
    return deleted
