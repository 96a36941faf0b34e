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

ALL = frozenset({"pupil", "employer", "school_staff", "adviser", "admin"})
STAFF = frozenset({"school_staff", "adviser", "admin"})
ADVISING = frozenset({"adviser", "admin"})
EMPLOYING = frozenset({"employer", "admin"})
SCHOOL_WRITERS = frozenset({"school_staff", "admin"})
ADMIN = frozenset({"admin"})

Body = Callable[[ApiWorld, str, str], dict[str, Any]]
Effect = Callable[[Side], bool]


@dataclass(frozen=True)
class Op:
    name: str
    method: str
    path: str  # "{id}" is filled from ``obj``
    roles: frozenset[str]  # roles the view lets try at all
    sees_own: frozenset[str] = ALL  # roles for whom the "own" object is in scope
    sees_other: frozenset[str] = ADMIN
    obj: tuple[str, str] | None = None  # Side attribute for the own and the other object
    ok: int = 200
    out_of_scope: int = 404  # answer when the role may act but not on this object
    body: Body | None = None
    status: str | None = None  # both matches are put in this status first
    started: bool = False  # the placements have started (feedback is open)
    sides: tuple[str, ...] = ("own", "other")
    effect: Effect | None = None  # what an accepted write must have done (GETs write nothing)

    def url(self, world: ApiWorld, which: str) -> str:
        if self.obj is None:
            return self.path
        attr = self.obj[0] if which == "own" else self.obj[1]
        return self.path.format(id=getattr(world.side(which), attr).pk)

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


def _feedback(world: ApiWorld, which: str, role: str) -> dict[str, Any]:
    return {"rating": 4, "comment": "Good week", **({"days_attended": 5} if role == "employer" else {})}


def _ref(key: str, attr: str) -> Body:
    return lambda world, which, role: {key: getattr(world.side(which), attr).pk}


def _now(status: str) -> Effect:
    return lambda side: Match.objects.get(pk=side.match.pk).status == status


def _applied(side: Side) -> bool:
    return Application.objects.filter(pupil=side.pupil, status="active").count() == 2


M = "/api/v1/matches/{id}/"
S = MatchStatus
PUPIL_SCOPE = frozenset({"pupil", *STAFF})


def _event(
    event: str, roles: frozenset[str], before: str, after: str, body: dict[str, Any] | None = None
) -> Op:
    """A lifecycle event on a match: who may take it, from which status, and where it leads."""
    return Op(
        f"match {event}",
        "post",
        f"{M}{event}/",
        roles,
        roles,
        obj=_same("match"),
        status=before,
        body=None if body is None else (lambda w, which, role: body),
        effect=_now(after),
    )


OPS: list[Op] = [
    Op("school retrieve", "get", "/api/v1/schools/{id}/", ALL, PUPIL_SCOPE, obj=_same("school")),
    Op("window retrieve", "get", "/api/v1/windows/{id}/", ALL, PUPIL_SCOPE, obj=_same("window")),
    Op(
        "window create",
        "post",
        "/api/v1/windows/",
        SCHOOL_WRITERS,
        SCHOOL_WRITERS,
        ADMIN,
        ok=201,
        out_of_scope=400,
        body=lambda w, which, role: {
            "school": w.side(which).school.pk,
            "year_group": 12,
            "starts_on": str(WINDOW_START),
            "ends_on": str(WINDOW_END),
        },
        effect=lambda s: WorkExperienceWindow.objects.filter(school=s.school, year_group=12).exists(),
    ),
    Op(
        "window update",
        "patch",
        "/api/v1/windows/{id}/",
        SCHOOL_WRITERS,
        SCHOOL_WRITERS,
        obj=_same("window"),
        body=lambda w, which, role: {"application_deadline": None},
        effect=lambda s: WorkExperienceWindow.objects.get(pk=s.window.pk).application_deadline is None,
    ),
    Op(
        "window delete",
        "delete",
        "/api/v1/windows/{id}/",
        SCHOOL_WRITERS,
        SCHOOL_WRITERS,
        obj=_same("window"),
        ok=204,
        effect=lambda s: not WorkExperienceWindow.objects.filter(pk=s.window.pk).exists(),
    ),
    Op("pupil retrieve", "get", "/api/v1/pupils/{id}/", ALL, PUPIL_SCOPE, obj=_same("pupil")),
    Op(
        "pupil update",
        "patch",
        "/api/v1/pupils/{id}/",
        frozenset({"pupil", "school_staff", "admin"}),
        frozenset({"pupil", "school_staff", "admin"}),
        obj=_same("pupil"),
        body=lambda w, which, role: {"access_needs": "Step-free entrance", "max_travel_minutes": 40},
        effect=lambda s: Pupil.objects.get(pk=s.pupil.pk).access_needs == "Step-free entrance",
    ),
    Op(
        "pupil consent",
        "post",
        "/api/v1/pupils/{id}/consent/",
        STAFF,
        STAFF,
        obj=_same("pupil"),
        body=lambda w, which, role: {"status": "given"},
        effect=lambda s: Pupil.objects.get(pk=s.pupil.pk).parental_consent_recorded_at is not None,
    ),
    Op(
        "employer retrieve",
        "get",
        "/api/v1/employers/{id}/",
        ALL,
        frozenset({"employer", *STAFF}),
        STAFF,
        obj=_same("employer"),
    ),
    Op(
        "employer update",
        "patch",
        "/api/v1/employers/{id}/",
        EMPLOYING,
        EMPLOYING,
        obj=_same("employer"),
        body=lambda w, which, role: {"website": "https://example.org/"},
        effect=lambda s: Employer.objects.get(pk=s.employer.pk).website == "https://example.org/",
    ),
    Op("site retrieve", "get", "/api/v1/sites/{id}/", ALL, EMPLOYING, obj=_same("site")),
    Op(
        "site create",
        "post",
        "/api/v1/sites/",
        frozenset({"employer"}),
        ok=201,
        sides=("own",),
        body=lambda w, which, role: {"name": "Depot", "address": "Dale Street", "postcode": "l2 2dh"},
        effect=lambda s: Site.objects.filter(employer=s.employer, name="Depot").exists(),
    ),
    Op(
        "site update",
        "patch",
        "/api/v1/sites/{id}/",
        EMPLOYING,
        EMPLOYING,
        obj=_same("site"),
        body=lambda w, which, role: {"name": "Renamed"},
        effect=lambda s: Site.objects.get(pk=s.site.pk).name == "Renamed",
    ),
    Op(
        "site delete",
        "delete",
        "/api/v1/sites/{id}/",
        EMPLOYING,
        EMPLOYING,
        obj=_same("spare_site"),
        ok=204,
        effect=lambda s: not Site.objects.filter(pk=s.spare_site.pk).exists(),
    ),
    Op("opportunity retrieve", "get", "/api/v1/opportunities/{id}/", ALL, ALL, obj=("opportunity", "draft")),
    Op(
        "opportunity create",
        "post",
        "/api/v1/opportunities/",
        frozenset({"employer"}),
        ok=201,
        out_of_scope=400,
        sees_other=frozenset(),
        body=lambda w, which, role: {
            "site": w.side(which).site.pk,
            "title": "Lab week",
            "description": "Science",
            "sector": "digital-creative",
            "capacity": 3,
            "starts_on": str(WINDOW_START),
            "ends_on": str(WINDOW_END),
        },
        effect=lambda s: Opportunity.objects.filter(employer=s.employer, title="Lab week").exists(),
    ),
    Op(
        "opportunity update",
        "patch",
        "/api/v1/opportunities/{id}/",
        EMPLOYING,
        EMPLOYING,
        obj=_same("draft"),
        body=lambda w, which, role: {"capacity": 4, "title": "Renamed"},
        effect=lambda s: Opportunity.objects.get(pk=s.draft.pk).title == "Renamed",
    ),
    Op(
        "opportunity publish",
        "post",
        "/api/v1/opportunities/{id}/publish/",
        EMPLOYING,
        EMPLOYING,
        obj=_same("draft"),
        effect=lambda s: Opportunity.objects.get(pk=s.draft.pk).status == "published",
    ),
    Op(
        "opportunity close",
        "post",
        "/api/v1/opportunities/{id}/close/",
        EMPLOYING,
        EMPLOYING,
        obj=_same("opportunity"),
        effect=lambda s: Opportunity.objects.get(pk=s.opportunity.pk).status == "closed",
    ),
    Op(
        "opportunity delete",
        "delete",
        "/api/v1/opportunities/{id}/",
        EMPLOYING,
        EMPLOYING,
        obj=_same("draft"),
        ok=204,
        effect=lambda s: not Opportunity.objects.filter(pk=s.draft.pk).exists(),
    ),
    Op(
        "compliance retrieve",
        "get",
        "/api/v1/compliance/{id}/",
        ALL,
        frozenset({"employer", *ADVISING}),
        ADVISING,
        obj=_same("compliance"),
    ),
    Op(
        "compliance create",
        "post",
        "/api/v1/compliance/",
        frozenset({"employer"}),
        ok=409,
        sides=("own",),
        body=lambda w, which, role: {"insurer": "Mutual"},
    ),
    Op(
        "compliance update",
        "patch",
        "/api/v1/compliance/{id}/",
        frozenset({"employer", *ADVISING}),
        frozenset({"employer", *ADVISING}),
        ADVISING,
        obj=_same("compliance"),
        body=lambda w, which, role: {"supervisor_name": "Pat Supervisor"},
        effect=lambda s: ComplianceRecord.objects.get(pk=s.compliance.pk).supervisor_name == "Pat Supervisor",
    ),
    Op(
        "application retrieve",
        "get",
        "/api/v1/applications/{id}/",
        ALL,
        PUPIL_SCOPE,
        obj=_same("application"),
    ),
    Op(
        "application create",
        "post",
        "/api/v1/applications/",
        frozenset({"pupil"}),
        ok=201,
        out_of_scope=400,
        sees_other=frozenset(),
        body=lambda w, which, role: {
            "opportunity": (w.spare_opportunity if which == "own" else w.other.draft).pk  # type: ignore[union-attr]
        },
        effect=_applied,
    ),
    Op(
        "application withdraw",
        "post",
        "/api/v1/applications/{id}/withdraw/",
        frozenset({"pupil"}),
        obj=_same("application"),
        effect=lambda s: Application.objects.get(pk=s.application.pk).status == "withdrawn",
    ),
    Op(
        "application reorder",
        "post",
        "/api/v1/applications/reorder/",
        frozenset({"pupil"}),
        out_of_scope=400,
        sees_other=frozenset(),
        body=lambda w, which, role: {"application_ids": [w.side(which).application.pk]},
        effect=lambda s: Application.objects.get(pk=s.application.pk).rank == 1,
    ),
    Op("match retrieve", "get", M, ALL, obj=_same("match")),
    Op("match history", "get", M + "history/", STAFF, STAFF, obj=_same("match")),
    _event("approve", ADVISING, S.PROPOSED, S.APPROVED, {"note": "Good fit"}),
    _event("reject", ADVISING, S.PROPOSED, S.REJECTED, {"reason": "travel", "note": "Three buses"}),
    _event("offer", ADVISING, S.APPROVED, S.OFFERED),
    _event("employer-confirm", EMPLOYING, S.OFFERED, S.EMPLOYER_CONFIRMED),
    _event("employer-decline", EMPLOYING, S.OFFERED, S.EMPLOYER_DECLINED, {"reason": "no_supervisor"}),
    _event("accept", frozenset({"pupil"}), S.EMPLOYER_CONFIRMED, S.CONFIRMED),
    _event("decline", frozenset({"pupil"}), S.EMPLOYER_CONFIRMED, S.PUPIL_DECLINED, {"reason": "travel"}),
    _event("confirm", STAFF, S.ACCEPTED, S.CONFIRMED),
    _event("cancel", ALL, S.CONFIRMED, S.CANCELLED, {"reason": "other", "note": "Test"}),
    Op(
        "match feedback",
        "post",
        M + "feedback/",
        frozenset({"pupil", "employer"}),
        obj=_same("match"),
        status=S.CONFIRMED,
        started=True,
        body=_feedback,
        effect=lambda s: PlacementFeedback.objects.filter(match=s.match).exists(),
    ),
    Op(
        "run retrieve",
        "get",
        "/api/v1/runs/{id}/",
        ALL,
        frozenset({"school_staff", "adviser", "admin"}),
        obj=_same("run"),
    ),
    Op(
        "run create",
        "post",
        "/api/v1/runs/",
        ADVISING,
        ADVISING,
        ADMIN,
        ok=201,
        out_of_scope=400,
        body=lambda w, which, role: {"region": w.side(which).run.region.code, "policy": "stable", "seed": 7},
        effect=lambda s: MatchRun.objects.filter(region=s.run.region, seed=7).exists(),
    ),
]

# List endpoints: which roles see the own and the other side's object in the results.
LISTS: list[tuple[str, str, tuple[str, str], frozenset[str], frozenset[str]]] = [
    ("schools", "/api/v1/schools/", _same("school"), PUPIL_SCOPE, ADMIN),
    ("windows", "/api/v1/windows/", _same("window"), PUPIL_SCOPE, ADMIN),
    ("pupils", "/api/v1/pupils/", _same("pupil"), PUPIL_SCOPE, ADMIN),
    ("employers", "/api/v1/employers/", _same("employer"), frozenset({"employer", *STAFF}), STAFF),
    ("sites", "/api/v1/sites/", _same("site"), EMPLOYING, ADMIN),
    ("opportunities", "/api/v1/opportunities/", ("opportunity", "draft"), ALL, ADMIN),
    ("compliance", "/api/v1/compliance/", _same("compliance"), frozenset({"employer", *ADVISING}), ADVISING),
    ("applications", "/api/v1/applications/", _same("application"), PUPIL_SCOPE, ADMIN),
    ("matches", "/api/v1/matches/", _same("match"), ALL, ADMIN),
    ("runs", "/api/v1/runs/", _same("run"), STAFF, ADMIN),
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
        "employers": set(Employer.objects.values_list("pk", "website")),
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
