from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from mobility.accounts.models import Role
from mobility.api.base import IdFilter, ScopedViewSet, validated
from mobility.audit.services import pupil_record_view_record
from mobility.permissions import acting_user, role_of
from placements.lifecycle import services
from placements.lifecycle.feedback import match_feedback_record
from placements.lifecycle.selectors import matches_for_user
from placements.models import Match, MatchStatus
from placements.selectors import SHARED_STATUSES

from .serializers import (
    BulkOutcomeSerializer,
    BulkRejectSerializer,
    BulkSerializer,
    CancelSerializer,
    EmployerDeclineSerializer,
    FeedbackSerializer,
    MatchSerializer,
    NoteSerializer,
    PupilDeclineSerializer,
    RejectSerializer,
    StatusChangeSerializer,
)

ADVISING = {Role.ADVISER, Role.ADMIN}
# A bulk action answers one row per id asked, unfiltered and unpaginated.
ANSWER_PER_ID: dict[str, Any] = {"filter_backends": [], "pagination_class": None}
EMPLOYING = {Role.EMPLOYER, Role.ADMIN}
STAFF = {Role.SCHOOL_STAFF, Role.YOUTH_WORKER, Role.ADVISER, Role.ADMIN}


class MatchFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=MatchStatus.choices)
    school = IdFilter(method="filter_school")
    run = IdFilter(field_name="run_id")
    opportunity = IdFilter(field_name="opportunity_id")

    class Meta:
        model = Match
        fields = ["status", "school", "run", "opportunity"]

    def filter_school(self, queryset: QuerySet[Match], name: str, value: int) -> QuerySet[Match]:
        # Grouping its pupils by school would let an employer tell which came from one youth service.
        if role_of(self.request.user) == Role.EMPLOYER:
            return queryset.none()
        return queryset.filter(pupil__school_id=value)


# Each match event the API offers (an entry of the transition table): the body it takes and the
# service it calls.
EVENTS: dict[str, tuple[type[Serializer[Any]] | None, Callable[..., Any]]] = {
    "approve": (NoteSerializer, services.match_approve),
    "reject": (RejectSerializer, services.match_reject),
    "offer": (None, services.match_offer),
    "employer_confirm": (NoteSerializer, services.match_employer_confirm),
    "employer_decline": (EmployerDeclineSerializer, services.match_employer_decline),
    "accept": (None, services.match_accept),
    "decline": (PupilDeclineSerializer, services.match_pupil_decline),
    "confirm": (None, services.match_confirm),
    "cancel": (CancelSerializer, services.match_cancel),
    "feedback": (FeedbackSerializer, match_feedback_record),
}


def _event(name: str, summary: str) -> Any:
    """A match event: POST to /matches/{id}/<name>/, documented request and response."""
    body_class, call = EVENTS[name]

    def event(self: MatchViewSet, request: Request, pk: str | None = None) -> Response:
        match = self.get_object()
        values = validated(body_class, request) if body_class is not None else {}
        call(match_id=match.pk, actor=request.user, **values)
        return Response(self.get_serializer(self.get_queryset().get(pk=match.pk)).data)

    event.__name__ = name  # DRF routes an action by its function's name
    routed = action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(event)
    return extend_schema(summary=summary, request=body_class, responses={200: MatchSerializer})(routed)


def _bulk_event(event: str, body_class: type[Serializer[Any]], summary: str) -> Any:
    """Many matches at once: POST to /matches/bulk-<event>/; each moves or fails on its own."""

    def bulk(self: MatchViewSet, request: Request) -> Response:
        values = validated(body_class, request)
        outcomes = services.matches_bulk_decide(
            actor=acting_user(request), event=event, match_ids=values.pop("ids"), **values
        )
        return Response(BulkOutcomeSerializer(outcomes, many=True).data)

    bulk.__name__ = f"bulk_{event}"
    routed = action(detail=False, methods=["post"], url_path=f"bulk-{event}", **ANSWER_PER_ID)(bulk)
    return extend_schema(
        summary=summary, request=body_class, responses={200: BulkOutcomeSerializer(many=True)}
    )(routed)


class MatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Matches and their lifecycle. Each action is one event in the transition table;
    a state conflict answers 409 with the reason."""

    model = Match
    serializer_class = MatchSerializer
    filterset_class = MatchFilter

    def scoped_queryset(self) -> QuerySet[Match]:
        # Not the run: the API gives its id only, and its row carries the run's figures (JSON).
        return (
            matches_for_user(user=self.request.user)
            .select_related(None)
            .select_related("pupil__user", "pupil__school", "opportunity__employer", "opportunity__site")
            .prefetch_related("feedback")
            .order_by("-pk")
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        match = self.get_object()
        response = super().retrieve(request, *args, **kwargs)
        # An employer is shown a pupil's details only once the pupil has accepted.
        if self.role == Role.EMPLOYER and match.status in SHARED_STATUSES:
            pupil_record_view_record(pupil_id=match.pupil_id, viewer=request.user, place="employer API match")
        return response

    action_roles = {
        "approve": ADVISING,
        "reject": ADVISING,
        "offer": ADVISING,
        "employer_confirm": EMPLOYING,
        "employer_decline": EMPLOYING,
        "accept": {Role.PUPIL},
        "decline": {Role.PUPIL},
        "confirm": STAFF,
        "cancel": {*STAFF, Role.PUPIL, Role.EMPLOYER},
        "feedback": {Role.PUPIL, Role.EMPLOYER},
        "history": STAFF,
        "bulk_approve": ADVISING,
        "bulk_offer": ADVISING,
        "bulk_reject": ADVISING,
    }

    approve = _event("approve", "Adviser approves a proposed match (takes a seat)")
    reject = _event("reject", "Adviser rejects a match, with a reason and a note")
    offer = _event("offer", "Adviser offers an approved match to the employer and the pupil")
    employer_confirm = _event("employer_confirm", "Employer confirms an offered placement")
    employer_decline = _event("employer_decline", "Employer declines an offered placement")
    accept = _event("accept", "Pupil accepts (confirmed at once if consent is on file)")
    decline = _event("decline", "Pupil declines the offer")
    confirm = _event("confirm", "Confirm an accepted placement once parental consent is recorded")
    cancel = _event("cancel", "Cancel a live placement; the seat is re-offered by policy")
    feedback = _event("feedback", "Pupil or employer gives feedback (employer records attendance)")

    bulk_approve = _bulk_event(
        "approve", BulkSerializer, "Adviser approves many matches; each moves or fails on its own"
    )
    bulk_offer = _bulk_event(
        "offer", BulkSerializer, "Adviser offers many approved matches; each moves or fails on its own"
    )
    bulk_reject = _bulk_event(
        "reject", BulkRejectSerializer, "Adviser rejects many matches with one reason and note"
    )

    @extend_schema(
        summary="Status history (who, when, from, to, why)",
        responses={200: StatusChangeSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request: Request, pk: str | None = None) -> Response:
        match = self.get_object()
        changes = match.status_changes.select_related("changed_by")
        return Response(StatusChangeSerializer(changes, many=True).data)
