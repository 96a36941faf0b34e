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
from operator import attrgetter
from typing import Any

from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from employers.models import Employer, EmployerMember, Opportunity, Site
from placements.lifecycle.models import PlacementFeedback
from placements.models import SEAT_HOLDING_STATUSES, Application, Match, MatchRun, MatchStatus
from placements.selffound.models import Proposal, ProposalStatus
from schools.models import ConsentStatus, Pupil, WorkExperienceWindow
from tests import factories as f

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
    young_found: Proposal  # a placement the young person found, waiting for the service's check


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


Body = Callable[[Side], dict[str, Any]]
Effect = Callable[[Side], bool]


@dataclass(frozen=True)
class Page:
    name: str  # URL name
    methods: tuple[str, ...]
    roles: frozenset[str]  # roles the page lets in at all
    obj: str  # the Side attribute (dotted) the URL names
    other_obj: str | None = None  # when the other side's counterpart is not simply the same attribute
    status: str | None = None  # both matches are put in this status first
    started: bool = False
    body: Body | dict[str, Any] | None = None
    effect: Effect | None = None  # what an accepted POST must have done
    ok_post: int = 302
    ok_get: int = 200
    # Admins come in only where ``roles`` lets them, and see both sides there.
    sees_other: frozenset[str] = frozenset({"admin"})

    @property
    def id(self) -> str:
        return self.name

    def url(self, world: World, which: str) -> str:
        pick = self.other_obj if which == "other" and self.other_obj else self.obj
        return reverse(self.name, args=[attrgetter(pick)(world.side(which)).pk])

    def payload(self, side: Side) -> dict[str, Any]:
        return self.body(side) if callable(self.body) else dict(self.body or {})

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


def _now(status: str) -> Effect:
    return lambda side: status_of(side.match) == status


def _is(attr: str, **fields: Any) -> Effect:
    """The side's ``attr`` object now has ``fields``."""

    def check(side: Side) -> bool:
        obj = getattr(side, attr)
        return bool(type(obj).objects.filter(pk=obj.pk, **fields).exists())

    return check


def _gone(attr: str) -> Effect:
    return lambda side: not type(getattr(side, attr)).objects.filter(pk=getattr(side, attr).pk).exists()


def _site_renamed(side: Side) -> dict[str, Any]:
    return {"name": "Renamed site", "address": side.site.address, "postcode": side.site.postcode}


def _applied(side: Side) -> bool:
    return Application.objects.filter(
        pupil=side.pupil, opportunity=side.spare, status=Application.Status.ACTIVE
    ).exists()


def _swapped(side: Side) -> bool:
    return _ranks(side) == [2, 1]


def _second_window(side: Side) -> bool:
    return WorkExperienceWindow.objects.filter(pupil=side.young).count() == 2


def _approve_all(side: Side) -> dict[str, Any]:
    return {"action": "approve", "match": [side.match.pk]}


def _move(
    name: str,
    methods: tuple[str, ...],
    roles: frozenset[str],
    before: str,
    after: str,
    body: Body | dict[str, Any] | None = None,
    obj: str = "match",
) -> Page:
    """A page that moves the side's match from ``before`` to ``after``."""
    return Page(name, methods, roles, obj, status=before, body=body, effect=_now(after))


def _feedback(
    name: str, methods: tuple[str, ...], roles: frozenset[str], who: str, body: dict[str, Any]
) -> Page:
    """Feedback on a placement that has started."""
    return Page(
        name, methods, roles, "match", status=S.CONFIRMED, started=True, body=body, effect=_feedback_from(who)
    )


def _verdict(outcome: str, note: str) -> Page:
    """An adviser's verdict on an organisation that signed itself up; the note field is named for it."""
    verb = {"verified": "verify", "refused": "refuse"}[outcome]
    body = {f"{outcome}-note": note}
    return Page(
        f"adviser:employer_{verb}",
        POST,
        ADVISING,
        "pending",
        body=body,
        effect=_is("pending", verification_status=outcome),
    )


GET = ("get",)
POST = ("post",)
BOTH = ("get", "post")
NO_SUPERVISOR = {"reason": "no_supervisor", "note": "Our supervisor is away"}
EMPLOYER_SAYS = {"days_attended": 1, "rating": 4, "comment": "Keen and punctual"}
PUPIL_SAYS = {"rating": 5, "comment": "I learned to test code"}
THREE_BUSES = {"reason": "travel", "note": "Three buses each way"}
REQUESTED = {"status": ConsentStatus.REQUESTED}
HAS_REQUESTED = {"parental_consent": ConsentStatus.REQUESTED}
REFUSAL = {"outcome": "refuse", "refusal_reason": "No risk assessment for young workers."}

PAGES: list[Page] = [
    # The employer's pages
    Page(
        "employer:site_edit",
        BOTH,
        EMPLOYER,
        "site",
        body=_site_renamed,
        effect=_is("site", name="Renamed site"),
    ),
    Page(
        "employer:opportunity_edit",
        BOTH,
        EMPLOYER,
        "opportunity",
        body=lambda s: f.opportunity_form(s.opportunity, title="Renamed placement"),
        effect=_is("opportunity", title="Renamed placement"),
    ),
    Page("employer:match", GET, EMPLOYER, "match", status=S.OFFERED),
    _move("employer:match_confirm", POST, EMPLOYER, S.OFFERED, S.EMPLOYER_CONFIRMED),
    _move("employer:match_decline", POST, EMPLOYER, S.OFFERED, S.EMPLOYER_DECLINED, NO_SUPERVISOR),
    _feedback("employer:match_feedback", POST, EMPLOYER, PlacementFeedback.Side.EMPLOYER, EMPLOYER_SAYS),
    Page("employer:colleague_remove", POST, EMPLOYER, "colleague", effect=_gone("colleague")),
    # School staff
    Page("school:consent", BOTH, STAFF, "pupil", body=REQUESTED, effect=_is("pupil", **HAS_REQUESTED)),
    Page(
        "school:found", BOTH, STAFF, "found", body=REFUSAL, effect=_is("found", status=ProposalStatus.REFUSED)
    ),
    # Youth workers, for their service's young people
    Page("youth:person", GET, YOUTH, "young"),
    Page("youth:person_record", GET, YOUTH, "young"),
    Page("youth:person_record_json", GET, YOUTH, "young"),
    Page("youth:edit", BOTH, YOUTH, "young", body=_young_flags, effect=_is("young", send=True)),
    Page("youth:window", BOTH, YOUTH, "young", body=_later_week, effect=_second_window),
    Page("youth:consent", BOTH, YOUTH, "young", body=REQUESTED, effect=_is("young", **HAS_REQUESTED)),
    Page(
        "youth:found",
        BOTH,
        YOUTH,
        "young_found",
        body=REFUSAL,
        effect=_is("young_found", status=ProposalStatus.REFUSED),
    ),
    # The pupil's pages
    # Pupils browse every published placement: the one out of their reach is a draft.
    Page("pupil:opportunity", GET, PUPIL, "opportunity", other_obj="draft"),
    Page("pupil:apply", POST, PUPIL, "spare", other_obj="draft", effect=_applied),
    Page("pupil:found_withdraw", POST, PUPIL, "found", effect=_is("found", status=ProposalStatus.WITHDRAWN)),
    Page("pupil:move_up", POST, PUPIL, "second_choice", effect=_swapped),
    Page("pupil:move_down", POST, PUPIL, "first_choice", effect=_swapped),
    Page(
        "pupil:withdraw",
        POST,
        PUPIL,
        "first_choice",
        effect=_is("first_choice", status=Application.Status.WITHDRAWN),
    ),
    _move("pupil:accept", POST, PUPIL, S.EMPLOYER_CONFIRMED, S.CONFIRMED),
    _move(
        "pupil:decline", BOTH, PUPIL, S.EMPLOYER_CONFIRMED, S.PUPIL_DECLINED, {"reason": "travel", "note": ""}
    ),
    _feedback("pupil:reflection", BOTH, PUPIL, PlacementFeedback.Side.PUPIL, PUPIL_SAYS),
    # The region lead's report on their region
    Page("region:report", GET, LEADING, "run.region"),
    # The adviser's pages
    Page("adviser:run", GET, ADVISING, "run"),
    # The run has finished, so the progress fragment answers 286: htmx stops polling.
    Page("adviser:run_progress", GET, ADVISING, "run", ok_get=286),
    _move("adviser:bulk", POST, ADVISING, S.PROPOSED, S.APPROVED, _approve_all, obj="run"),
    _move("adviser:approve", POST, ADVISING, S.PROPOSED, S.APPROVED),
    _move("adviser:offer", POST, ADVISING, S.APPROVED, S.OFFERED),
    _move("adviser:reject", BOTH, ADVISING, S.PROPOSED, S.REJECTED, THREE_BUSES),
    # Organisations awaiting verification: advisers of the region, and admins
    Page("adviser:employer", GET, ADVISING, "pending"),
    _verdict("verified", "Companies House record seen"),
    _verdict("refused", "Not a registered company"),
]
