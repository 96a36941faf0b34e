"""The table the web scoping matrix is generated from: every page that takes an object, who may
open it, and what an accepted write must have changed.

Two sides, as in the API matrix: the signed-in pupil, employer member, school staff member,
adviser and region lead own the "own" side; the "other" side (another school in another region, another
employer, another pupil) is in scope for none of them. Admins may use the adviser's pages only,
and see every run and match there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from employers.models import Employer, EmployerMember, Opportunity, Site
from placements.lifecycle.models import PlacementFeedback
from placements.models import SEAT_HOLDING_STATUSES, Application, Match, MatchRun, MatchStatus
from placements.selffound.models import Proposal, ProposalStatus
from schools.models import ConsentStatus, Pupil, WorkExperienceWindow

ROLES = (
    "anonymous",
    "pupil",
    "employer",
    "school_staff",
    "youth_worker",
    "adviser",
    "region_lead",
    "admin",
)
ADVISING = frozenset({"adviser", "admin"})
S = MatchStatus


@dataclass
class Side:
    pupil: Pupil
    employer_id: int
    site: Site
    opportunity: Opportunity  # the pupil's first choice, and their match's placement
    second: Opportunity  # the pupil's second choice
    spare: Opportunity  # published, not applied for
    draft: Opportunity
    first_choice: Application
    second_choice: Application
    run: MatchRun
    match: Match
    found: Proposal  # a placement the pupil found, waiting for the school's check
    pending: Employer  # signed itself up, with a site in this side's region
    colleague: EmployerMember  # a second member of the side's employer
    young: Pupil  # a young person outside school, registered by the side's youth service


@dataclass
class World:
    own: Side
    other: Side
    users: dict[str, Any]

    def side(self, which: str) -> Side:
        return self.own if which == "own" else self.other


def put(world: World, status: str, *, started: bool = False) -> None:
    """Set-up only: both sides' matches straight into ``status``, seats to match."""
    today = timezone.localdate()
    for side in (world.own, world.other):
        Match.objects.filter(pk=side.match.pk).update(status=status)
        dates = {"starts_on": today - dt.timedelta(days=1), "ends_on": today + dt.timedelta(days=3)}
        Opportunity.objects.filter(pk=side.opportunity.pk).update(
            seats_taken=int(status in SEAT_HOLDING_STATUSES), **(dates if started else {})
        )


def snapshot() -> dict[str, set[tuple[Any, ...]]]:
    """Everything a page in the table could write."""
    return {
        "matches": set(Match.objects.values_list("pk", "status")),
        "applications": set(Application.objects.values_list("pk", "pupil_id", "status", "rank")),
        "sites": set(Site.objects.values_list("pk", "name", "address", "postcode")),
        "opportunities": set(
            Opportunity.objects.values_list("pk", "title", "status", "capacity", "seats_taken")
        ),
        "pupils": set(Pupil.objects.values_list("pk", "parental_consent", "postcode", "send")),
        "windows": set(WorkExperienceWindow.objects.values_list("pk", "pupil_id", "starts_on")),
        "feedback": set(PlacementFeedback.objects.values_list("match_id", "side")),
        "runs": set(MatchRun.objects.values_list("pk", "status")),
        "proposals": set(Proposal.objects.values_list("pk", "status", "refusal_reason")),
        "employers": set(Employer.objects.values_list("pk", "verification_status", "verification_note")),
        "members": set(EmployerMember.objects.values_list("pk", "employer_id", "user__is_active")),
    }


def status_of(match: Model) -> str:
    return Match.objects.get(pk=match.pk).status


Obj = Callable[[Side], Model]
Body = Callable[[Side], dict[str, Any]]
Effect = Callable[[Side], bool]


@dataclass(frozen=True)
class Page:
    name: str  # URL name
    methods: tuple[str, ...]
    roles: frozenset[str]  # roles the page lets in at all
    obj: Obj  # the object the URL names, on a given side
    other_obj: Obj | None = None  # when the other side's counterpart is not simply obj(other)
    status: str | None = None  # both matches are put in this status first
    started: bool = False
    body: Body | None = None
    effect: Effect | None = None  # what an accepted POST must have done
    ok_post: int = 302
    ok_get: int = 200
    sees_other: frozenset[str] = frozenset()

    @property
    def id(self) -> str:
        return self.name

    def url(self, world: World, which: str) -> str:
        pick = self.other_obj if which == "other" and self.other_obj else self.obj
        return reverse(self.name, args=[pick(world.side(which)).pk])

    def allows(self, role: str, which: str) -> bool:
        return role in self.roles and (which == "own" or role in self.sees_other)

    def expected(self, role: str, which: str, method: str) -> int:
        if role == "anonymous":
            return 302
        if role not in self.roles:
            return 403
        if not self.allows(role, which):
            return 404
        return self.ok_get if method == "get" else self.ok_post


def _opportunity_body(side: Side) -> dict[str, Any]:
    o = side.opportunity
    return {
        "title": "Renamed placement",
        "description": o.description,
        "sector": o.sector_id,
        "site": o.site_id,
        "mode": o.mode,
        "capacity": o.capacity,
        "starts_on": o.starts_on.isoformat(),
        "ends_on": o.ends_on.isoformat(),
        "daily_hours": o.daily_hours,
        "minimum_age": o.minimum_age,
        "accessibility": "",
        "status": o.status,
    }


def _ranks(side: Side) -> list[int]:
    return list(
        Application.objects.filter(pk__in=[side.first_choice.pk, side.second_choice.pk])
        .order_by("pk")
        .values_list("rank", flat=True)
    )


def _feedback_from(who: str) -> Effect:
    return lambda side: PlacementFeedback.objects.filter(match=side.match, side=who).exists()


EMPLOYER = frozenset({"employer"})
LEADING = frozenset({"region_lead", "admin"})
PUPIL = frozenset({"pupil"})
STAFF = frozenset({"school_staff"})
YOUTH = frozenset({"youth_worker"})


def _young_flags(side: Side) -> dict[str, Any]:
    return {"postcode": "L1 8JQ", "max_travel_minutes": 30, "send": "on"}


def _later_week(side: Side) -> dict[str, Any]:
    start = timezone.localdate() + dt.timedelta(days=120)
    return {"starts_on": start.isoformat(), "ends_on": (start + dt.timedelta(days=4)).isoformat()}


PAGES: list[Page] = [
    # The employer's pages
    Page(
        "employer:site_edit",
        ("get", "post"),
        EMPLOYER,
        lambda s: s.site,
        body=lambda s: {"name": "Renamed site", "address": s.site.address, "postcode": s.site.postcode},
        effect=lambda s: Site.objects.get(pk=s.site.pk).name == "Renamed site",
    ),
    Page(
        "employer:opportunity_edit",
        ("get", "post"),
        EMPLOYER,
        lambda s: s.opportunity,
        body=_opportunity_body,
        effect=lambda s: Opportunity.objects.get(pk=s.opportunity.pk).title == "Renamed placement",
    ),
    Page("employer:match", ("get",), EMPLOYER, lambda s: s.match, status=S.OFFERED),
    Page(
        "employer:match_confirm",
        ("post",),
        EMPLOYER,
        lambda s: s.match,
        status=S.OFFERED,
        effect=lambda s: status_of(s.match) == S.EMPLOYER_CONFIRMED,
    ),
    Page(
        "employer:match_decline",
        ("post",),
        EMPLOYER,
        lambda s: s.match,
        status=S.OFFERED,
        body=lambda s: {"reason": "no_supervisor", "note": "Our supervisor is away"},
        effect=lambda s: status_of(s.match) == S.EMPLOYER_DECLINED,
    ),
    Page(
        "employer:match_feedback",
        ("post",),
        EMPLOYER,
        lambda s: s.match,
        status=S.CONFIRMED,
        started=True,
        body=lambda s: {"days_attended": 1, "rating": 4, "comment": "Keen and punctual"},
        effect=_feedback_from(PlacementFeedback.Side.EMPLOYER),
    ),
    Page(
        "employer:colleague_remove",
        ("post",),
        EMPLOYER,
        lambda s: s.colleague,
        effect=lambda s: not EmployerMember.objects.filter(pk=s.colleague.pk).exists(),
    ),
    # School staff
    Page(
        "school:consent",
        ("get", "post"),
        STAFF,
        lambda s: s.pupil,
        body=lambda s: {"status": ConsentStatus.REQUESTED},
        effect=lambda s: Pupil.objects.get(pk=s.pupil.pk).parental_consent == ConsentStatus.REQUESTED,
    ),
    Page(
        "school:found",
        ("get", "post"),
        STAFF,
        lambda s: s.found,
        body=lambda s: {"outcome": "refuse", "refusal_reason": "No risk assessment for young workers."},
        effect=lambda s: Proposal.objects.get(pk=s.found.pk).status == ProposalStatus.REFUSED,
    ),
    # Youth workers, for their service's young people
    Page("youth:person", ("get",), YOUTH, lambda s: s.young),
    Page("youth:person_record", ("get",), YOUTH, lambda s: s.young),
    Page("youth:person_record_json", ("get",), YOUTH, lambda s: s.young),
    Page(
        "youth:edit",
        ("get", "post"),
        YOUTH,
        lambda s: s.young,
        body=_young_flags,
        effect=lambda s: Pupil.objects.get(pk=s.young.pk).send,
    ),
    Page(
        "youth:window",
        ("get", "post"),
        YOUTH,
        lambda s: s.young,
        body=_later_week,
        effect=lambda s: WorkExperienceWindow.objects.filter(pupil=s.young).count() == 2,
    ),
    Page(
        "youth:consent",
        ("get", "post"),
        YOUTH,
        lambda s: s.young,
        body=lambda s: {"status": ConsentStatus.REQUESTED},
        effect=lambda s: Pupil.objects.get(pk=s.young.pk).parental_consent == ConsentStatus.REQUESTED,
    ),
    # The pupil's pages
    # Pupils browse every published placement: the one out of their reach is a draft.
    Page("pupil:opportunity", ("get",), PUPIL, lambda s: s.opportunity, other_obj=lambda s: s.draft),
    Page(
        "pupil:apply",
        ("post",),
        PUPIL,
        lambda s: s.spare,
        other_obj=lambda s: s.draft,
        effect=lambda s: Application.objects.filter(
            pupil=s.pupil, opportunity=s.spare, status=Application.Status.ACTIVE
        ).exists(),
    ),
    Page(
        "pupil:found_withdraw",
        ("post",),
        PUPIL,
        lambda s: s.found,
        effect=lambda s: Proposal.objects.get(pk=s.found.pk).status == ProposalStatus.WITHDRAWN,
    ),
    Page(
        "pupil:move_up",
        ("post",),
        PUPIL,
        lambda s: s.second_choice,
        effect=lambda s: _ranks(s) == [2, 1],
    ),
    Page(
        "pupil:move_down",
        ("post",),
        PUPIL,
        lambda s: s.first_choice,
        effect=lambda s: _ranks(s) == [2, 1],
    ),
    Page(
        "pupil:withdraw",
        ("post",),
        PUPIL,
        lambda s: s.first_choice,
        effect=lambda s: Application.objects.get(pk=s.first_choice.pk).status == Application.Status.WITHDRAWN,
    ),
    Page(
        "pupil:accept",
        ("post",),
        PUPIL,
        lambda s: s.match,
        status=S.EMPLOYER_CONFIRMED,
        effect=lambda s: status_of(s.match) == S.CONFIRMED,
    ),
    Page(
        "pupil:decline",
        ("get", "post"),
        PUPIL,
        lambda s: s.match,
        status=S.EMPLOYER_CONFIRMED,
        body=lambda s: {"reason": "travel", "note": ""},
        effect=lambda s: status_of(s.match) == S.PUPIL_DECLINED,
    ),
    Page(
        "pupil:reflection",
        ("get", "post"),
        PUPIL,
        lambda s: s.match,
        status=S.CONFIRMED,
        started=True,
        body=lambda s: {"rating": 5, "comment": "I learned to test code"},
        effect=_feedback_from(PlacementFeedback.Side.PUPIL),
    ),
    # The region lead's report on their region
    Page("region:report", ("get",), LEADING, lambda s: s.run.region, sees_other=frozenset({"admin"})),
    # The adviser's pages
    Page("adviser:run", ("get",), ADVISING, lambda s: s.run, sees_other=frozenset({"admin"})),
    # The run has finished, so the progress fragment answers 286: htmx stops polling.
    Page(
        "adviser:run_progress",
        ("get",),
        ADVISING,
        lambda s: s.run,
        ok_get=286,
        sees_other=frozenset({"admin"}),
    ),
    Page(
        "adviser:bulk",
        ("post",),
        ADVISING,
        lambda s: s.run,
        status=S.PROPOSED,
        body=lambda s: {"action": "approve", "match": [s.match.pk]},
        effect=lambda s: status_of(s.match) == S.APPROVED,
        sees_other=frozenset({"admin"}),
    ),
    Page(
        "adviser:approve",
        ("post",),
        ADVISING,
        lambda s: s.match,
        status=S.PROPOSED,
        effect=lambda s: status_of(s.match) == S.APPROVED,
        sees_other=frozenset({"admin"}),
    ),
    Page(
        "adviser:offer",
        ("post",),
        ADVISING,
        lambda s: s.match,
        status=S.APPROVED,
        effect=lambda s: status_of(s.match) == S.OFFERED,
        sees_other=frozenset({"admin"}),
    ),
    Page(
        "adviser:reject",
        ("get", "post"),
        ADVISING,
        lambda s: s.match,
        status=S.PROPOSED,
        body=lambda s: {"reason": "travel", "note": "Three buses each way"},
        effect=lambda s: status_of(s.match) == S.REJECTED,
        sees_other=frozenset({"admin"}),
    ),
    # Organisations awaiting verification: advisers of the region, and admins
    Page("adviser:employer", ("get",), ADVISING, lambda s: s.pending, sees_other=frozenset({"admin"})),
    Page(
        "adviser:employer_verify",
        ("post",),
        ADVISING,
        lambda s: s.pending,
        body=lambda s: {"verified-note": "Companies House record seen"},
        effect=lambda s: Employer.objects.get(pk=s.pending.pk).verification_status == "verified",
        sees_other=frozenset({"admin"}),
    ),
    Page(
        "adviser:employer_refuse",
        ("post",),
        ADVISING,
        lambda s: s.pending,
        body=lambda s: {"refused-note": "Not a registered company"},
        effect=lambda s: Employer.objects.get(pk=s.pending.pk).verification_status == "refused",
        sees_other=frozenset({"admin"}),
    ),
]
