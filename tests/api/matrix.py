"""The table the authorisation matrix is generated from: every API operation, who may take
it, and whose objects each role can see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from employers.models import ComplianceRecord, Employer, Opportunity, Site
from placements.lifecycle.models import PlacementFeedback
from placements.models import Application, Match, MatchRun, MatchStatus
from schools.models import Pupil, WorkExperienceWindow
from tests.factories import WINDOW_END, WINDOW_START

from .conftest import YESTERDAY, ApiWorld, Side

ALL = frozenset({"pupil", "employer", "school_staff", "youth_worker", "adviser", "admin"})
STAFF = frozenset({"school_staff", "adviser", "admin"})
# A youth worker may try what school staff may, but only on their own service's young people.
STAFF_ROLES = STAFF | {"youth_worker"}
NOT_YOUTH = ALL - {"youth_worker"}
YOUTH_SCOPE = frozenset({"youth_worker", "admin"})
ADVISING = frozenset({"adviser", "admin"})
EMPLOYING = frozenset({"employer", "admin"})
SCHOOL_WRITERS = frozenset({"school_staff", "admin"})
ADMIN = frozenset({"admin"})

Body = Callable[[ApiWorld, str, str], dict[str, Any]]
Effect = Callable[[Side], bool]


@dataclass(frozen=True)
class Op:
    name: str
    route: str  # "PATCH windows/{id}/": the method, and the path below /api/v1/ ("{id}" from ``obj``)
    roles: frozenset[str]  # roles the view lets try at all
    sees_own: frozenset[str] = ALL  # of those, the roles for whom the "own" object is in scope
    sees_other: frozenset[str] = ADMIN
    obj: str | tuple[str, str] | None = None  # Side attribute: one for both sides, or own and other
    ok: int = 200
    out_of_scope: int = 404  # answer when the role may act but not on this object
    body: Body | dict[str, Any] | None = None
    status: str | None = None  # both matches are put in this status first
    started: bool = False  # the placements have started (feedback is open)
    sides: tuple[str, ...] = ("own", "other")
    # What an accepted write must have done (GETs write nothing): a check, or the fields ``obj`` now has.
    effect: Effect | dict[str, Any] | None = None

    @property
    def method(self) -> str:
        return self.route.split()[0].lower()

    @property
    def path(self) -> str:
        return "/api/v1/" + self.route.split()[1]

    def attr(self, which: str) -> str:
        assert self.obj is not None, f"{self.name} names no object"
        own, other = (self.obj, self.obj) if isinstance(self.obj, str) else self.obj
        return own if which == "own" else other

    def url(self, world: ApiWorld, which: str) -> str:
        if self.obj is None:
            return self.path
        return self.path.format(id=getattr(world.side(which), self.attr(which)).pk)

    def payload(self, world: ApiWorld, which: str, role: str) -> dict[str, Any] | None:
        return self.body(world, which, role) if callable(self.body) else self.body

    def done(self, world: ApiWorld, which: str) -> bool:
        assert self.effect is not None, f"{self.name} needs an expected effect"
        side = world.side(which)
        if callable(self.effect):
            return self.effect(side)
        obj = getattr(side, self.attr(which))
        return bool(type(obj).objects.filter(pk=obj.pk, **self.effect).exists())

    def expected(self, role: str, which: str) -> set[int]:
        if role == "anonymous":
            return {401}
        if role not in self.roles:
            return {403}
        return (
            {self.ok}
            if role in (self.sees_own if which == "own" else self.sees_other)
            else {self.out_of_scope}
        )


def _same(attr: str) -> tuple[str, str]:
    return (attr, attr)


def _patch(
    name: str,
    path: str,
    roles: frozenset[str],
    sees: frozenset[str] = ALL,
    /,
    *,
    obj: str,
    sees_other: frozenset[str] = ADMIN,
    **fields: Any,
) -> Op:
    """An update of ``obj`` that must leave it with the fields sent."""
    return Op(name, f"PATCH {path}", roles, sees, sees_other, obj=obj, body=fields, effect=fields)


def _delete(name: str, path: str, roles: frozenset[str], obj: str) -> Op:
    return Op(name, f"DELETE {path}", roles, obj=obj, ok=204, effect=lambda side: not _exists(side, obj))


def _exists(side: Side, attr: str) -> bool:
    obj = getattr(side, attr)
    return bool(type(obj).objects.filter(pk=obj.pk).exists())


def _feedback(world: ApiWorld, which: str, role: str) -> dict[str, Any]:
    return {"rating": 4, "comment": "Good week", **({"days_attended": 5} if role == "employer" else {})}


def _applied(side: Side) -> bool:
    return Application.objects.filter(pupil=side.pupil, status="active").count() == 2


def _new_window(world: ApiWorld, which: str, role: str) -> dict[str, Any]:
    school = world.side(which).school
    return {"school": school.pk, "year_group": 12, "starts_on": str(WINDOW_START), "ends_on": str(WINDOW_END)}


def _new_opportunity(world: ApiWorld, which: str, role: str) -> dict[str, Any]:
    return {
        "site": world.side(which).site.pk,
        "title": "Lab week",
        "description": "Science",
        "sector": "digital-creative",
        "capacity": 3,
        "starts_on": str(WINDOW_START),
        "ends_on": str(WINDOW_END),
    }


def _window_made(side: Side) -> bool:
    return WorkExperienceWindow.objects.filter(school=side.school, year_group=12).exists()


def _opportunity_made(side: Side) -> bool:
    return Opportunity.objects.filter(employer=side.employer, title="Lab week").exists()


def _run_made(side: Side) -> bool:
    return MatchRun.objects.filter(region=side.run.region, seed=7).exists()


def _application_for(world: ApiWorld, which: str, role: str) -> dict[str, Any]:
    opportunity = world.spare_opportunity if which == "own" else world.other.draft
    return {"opportunity": opportunity.pk}  # type: ignore[union-attr]


def _reorder(world: ApiWorld, which: str, role: str) -> dict[str, Any]:
    return {"application_ids": [world.side(which).application.pk]}


def _new_run(world: ApiWorld, which: str, role: str) -> dict[str, Any]:
    return {"region": world.side(which).run.region.code, "policy": "stable", "seed": 7}


S = MatchStatus
PUPIL = frozenset({"pupil"})
EMPLOYER = frozenset({"employer"})
PUPIL_SCOPE = frozenset({"pupil", *STAFF})
SEES_EMPLOYERS = frozenset({"employer", *STAFF, "youth_worker"})
EDITS_PUPILS = frozenset({"pupil", "school_staff", "youth_worker", "admin"})
COMPLIANCE = frozenset({"employer", *ADVISING})
SEES_RUNS = frozenset({"school_staff", "youth_worker", "adviser", "admin"})
NOBODY = frozenset[str]()


def _moves(
    name: str,
    route: str,
    roles: frozenset[str],
    obj: str,
    now: str,
    sees: frozenset[str] = ALL,
    **op: Any,
) -> Op:
    """A POST that must leave ``obj`` in status ``now``."""
    return Op(name, f"POST {route}", roles, sees, obj=obj, effect={"status": now}, **op)


def _event(
    event: str,
    roles: frozenset[str],
    before: str,
    after: str,
    body: dict[str, Any] | None = None,
    sees: frozenset[str] = ALL,
) -> Op:
    """A lifecycle event on a match: who may take it (``sees``: on this side's match), from which
    status, and where it leads."""
    return _moves(
        f"match {event}", f"matches/{{id}}/{event}/", roles, "match", after, sees, status=before, body=body
    )


def _create(
    name: str, path: str, roles: frozenset[str], body: Body, made: Effect, sees_other: frozenset[str] = ADMIN
) -> Op:
    """A POST that makes a new object; naming another side's object in the body is a 400."""
    return Op(
        name, f"POST {path}", roles, sees_other=sees_other, ok=201, out_of_scope=400, body=body, effect=made
    )


def _consent(name: str, obj: str, sees: frozenset[str], status: str, **now: Any) -> Op:
    """Staff, or the youth worker, record where a parent's consent stands."""
    route = "POST pupils/{id}/consent/"
    return Op(f"{name} consent", route, STAFF_ROLES, sees, obj=obj, body={"status": status}, effect=now)


def _verdict(verb: str, note: str, outcome: str) -> Op:
    """An adviser's verdict on an organisation that signed itself up."""
    route = f"POST employers/{{id}}/{verb}/"
    return Op(
        f"employer {verb}",
        route,
        ADVISING,
        obj="pending",
        body={"note": note},
        effect={"verification_status": outcome},
    )


# One row an operation. ``sees_own`` is left out where every role that may try sees its own object.
OPS: list[Op] = [
    Op("school retrieve", "GET schools/{id}/", ALL, PUPIL_SCOPE, obj="school"),
    Op("window retrieve", "GET windows/{id}/", ALL, PUPIL_SCOPE, obj="window"),
    _create("window create", "windows/", SCHOOL_WRITERS, _new_window, _window_made),
    _patch("window update", "windows/{id}/", SCHOOL_WRITERS, obj="window", application_deadline=None),
    _delete("window delete", "windows/{id}/", SCHOOL_WRITERS, "window"),
    Op("pupil retrieve", "GET pupils/{id}/", ALL, PUPIL_SCOPE, obj="pupil"),
    _patch(
        "pupil update",
        "pupils/{id}/",
        EDITS_PUPILS,
        SCHOOL_WRITERS | PUPIL,
        obj="pupil",
        access_needs="Step-free entrance",
        max_travel_minutes=40,
    ),
    _consent("pupil", "pupil", STAFF, "requested", parental_consent="requested"),
    # The young person outside school: their youth worker's, not the school's or its adviser's.
    Op("young person retrieve", "GET pupils/{id}/", ALL, YOUTH_SCOPE, obj="young"),
    _patch(
        "young person update", "pupils/{id}/", EDITS_PUPILS, YOUTH_SCOPE, obj="young", max_travel_minutes=33
    ),
    _consent("young person", "young", YOUTH_SCOPE, "requested", parental_consent="requested"),
    Op("employer retrieve", "GET employers/{id}/", ALL, SEES_EMPLOYERS, STAFF_ROLES, obj="employer"),
    _patch("employer update", "employers/{id}/", EMPLOYING, obj="employer", website="https://example.org/"),
    _verdict("verify", "Companies House record seen", "verified"),
    _verdict("refuse", "Not a registered company", "refused"),
    Op("employers awaiting verification", "GET employers/awaiting-verification/", ADVISING, sides=("own",)),
    Op("site retrieve", "GET sites/{id}/", ALL, EMPLOYING, obj="site"),
    Op(
        "site create",
        "POST sites/",
        EMPLOYER,
        ok=201,
        sides=("own",),
        body={"name": "Depot", "address": "Dale Street", "postcode": "l2 2dh"},
        effect=lambda s: Site.objects.filter(employer=s.employer, name="Depot").exists(),
    ),
    _patch("site update", "sites/{id}/", EMPLOYING, obj="site", name="Renamed"),
    _delete("site delete", "sites/{id}/", EMPLOYING, "spare_site"),
    Op("opportunity retrieve", "GET opportunities/{id}/", ALL, obj=("opportunity", "draft")),
    # A placement one pupil found is for them alone: no other pupil sees it, nobody publishes it.
    Op("reserved opportunity retrieve", "GET opportunities/{id}/", ALL, EMPLOYING, obj="reserved"),
    Op("reserved opportunity publish", "POST opportunities/{id}/publish/", EMPLOYING, obj="reserved", ok=409),
    _create("opportunity create", "opportunities/", EMPLOYER, _new_opportunity, _opportunity_made, NOBODY),
    _patch("opportunity update", "opportunities/{id}/", EMPLOYING, obj="draft", capacity=4, title="Renamed"),
    _moves("opportunity publish", "opportunities/{id}/publish/", EMPLOYING, "draft", "published"),
    _moves("opportunity close", "opportunities/{id}/close/", EMPLOYING, "opportunity", "closed"),
    _delete("opportunity delete", "opportunities/{id}/", EMPLOYING, "draft"),
    Op("compliance retrieve", "GET compliance/{id}/", ALL, COMPLIANCE, ADVISING, obj="compliance"),
    Op("compliance create", "POST compliance/", EMPLOYER, ok=409, sides=("own",), body={"insurer": "Mutual"}),
    _patch(
        "compliance update",
        "compliance/{id}/",
        COMPLIANCE,
        sees_other=ADVISING,
        obj="compliance",
        supervisor_name="Pat Supervisor",
    ),
    Op("application retrieve", "GET applications/{id}/", ALL, PUPIL_SCOPE, obj="application"),
    _create("application create", "applications/", PUPIL, _application_for, _applied, NOBODY),
    _moves("application withdraw", "applications/{id}/withdraw/", PUPIL, "application", "withdrawn"),
    Op(
        "application reorder",
        "POST applications/reorder/",
        PUPIL,
        sees_other=NOBODY,
        out_of_scope=400,
        body=_reorder,
        effect=lambda s: Application.objects.filter(pk=s.application.pk, rank=1).exists(),
    ),
    Op("match retrieve", "GET matches/{id}/", ALL, NOT_YOUTH, obj="match"),
    Op("match history", "GET matches/{id}/history/", STAFF_ROLES, STAFF, obj="match"),
    _event("approve", ADVISING, S.PROPOSED, S.APPROVED, {"note": "Good fit"}),
    _event("reject", ADVISING, S.PROPOSED, S.REJECTED, {"reason": "travel", "note": "Three buses"}),
    _event("offer", ADVISING, S.APPROVED, S.OFFERED),
    _event("employer-confirm", EMPLOYING, S.OFFERED, S.EMPLOYER_CONFIRMED),
    _event("employer-decline", EMPLOYING, S.OFFERED, S.EMPLOYER_DECLINED, {"reason": "no_supervisor"}),
    _event("accept", PUPIL, S.EMPLOYER_CONFIRMED, S.CONFIRMED),
    _event("decline", PUPIL, S.EMPLOYER_CONFIRMED, S.PUPIL_DECLINED, {"reason": "travel"}),
    _event("confirm", STAFF_ROLES, S.ACCEPTED, S.CONFIRMED, sees=STAFF),
    _event("cancel", ALL, S.CONFIRMED, S.CANCELLED, {"reason": "other", "note": "Test"}, sees=NOT_YOUTH),
    Op(
        "match feedback",
        "POST matches/{id}/feedback/",
        PUPIL | EMPLOYER,
        obj="match",
        status=S.CONFIRMED,
        started=True,
        body=_feedback,
        effect=lambda s: PlacementFeedback.objects.filter(match=s.match).exists(),
    ),
    Op("run retrieve", "GET runs/{id}/", ALL, SEES_RUNS, obj="run"),
    _create("run create", "runs/", ADVISING, _new_run, _run_made),
]

# List endpoints: which roles see the own and the other side's object in the results.
LISTS: list[tuple[str, str, tuple[str, str], frozenset[str], frozenset[str]]] = [
    ("schools", "/api/v1/schools/", _same("school"), PUPIL_SCOPE, ADMIN),
    ("windows", "/api/v1/windows/", _same("window"), PUPIL_SCOPE, ADMIN),
    ("pupils", "/api/v1/pupils/", _same("pupil"), PUPIL_SCOPE, ADMIN),
    ("employers", "/api/v1/employers/", _same("employer"), SEES_EMPLOYERS, STAFF_ROLES),
    ("young people", "/api/v1/pupils/", _same("young"), YOUTH_SCOPE, ADMIN),
    ("sites", "/api/v1/sites/", _same("site"), EMPLOYING, ADMIN),
    ("opportunities", "/api/v1/opportunities/", ("opportunity", "draft"), ALL, ADMIN),
    ("reserved opportunities", "/api/v1/opportunities/", _same("reserved"), EMPLOYING, ADMIN),
    ("compliance", "/api/v1/compliance/", _same("compliance"), COMPLIANCE, ADVISING),
    ("applications", "/api/v1/applications/", _same("application"), PUPIL_SCOPE, ADMIN),
    ("matches", "/api/v1/matches/", _same("match"), NOT_YOUTH, ADMIN),
    ("runs", "/api/v1/runs/", _same("run"), STAFF_ROLES, ADMIN),
]

PUPIL_SECRETS = frozenset(
    {
        "date_of_birth",
        "postcode",
        "fsm_or_pupil_premium",
        "care_experienced",
        "send",
        "young_carer",
        "at_risk_of_neet",
        "parental_consent",
        "priority_tier",
        "explanation",
    }
)


def snapshot() -> dict[str, set[tuple[Any, ...]]]:
    """Everything an operation in the table could write."""
    return {
        "windows": set(WorkExperienceWindow.objects.values_list("pk", "year_group", "application_deadline")),
        "pupils": set(
            Pupil.objects.values_list(
                "pk", "access_needs", "max_travel_minutes", "parental_consent", "parental_consent_recorded_at"
            )
        ),
        "employers": set(Employer.objects.values_list("pk", "website", "verification_status")),
        "sites": set(Site.objects.values_list("pk", "name")),
        "opportunities": set(
            Opportunity.objects.values_list("pk", "title", "status", "capacity", "seats_taken")
        ),
        "compliance": set(ComplianceRecord.objects.values_list("pk", "supervisor_name", "insurer")),
        "applications": set(Application.objects.values_list("pk", "status", "rank")),
        "matches": set(Match.objects.values_list("pk", "status")),
        "feedback": set(PlacementFeedback.objects.values_list("match_id", "side")),
        "runs": set(MatchRun.objects.values_list("pk", "status")),
    }


def prepare(world: ApiWorld, op: Op) -> None:
    if op.status:
        fields: dict[str, Any] = {"starts_on": YESTERDAY} if op.started else {}
        world.set_status(op.status, **fields)
