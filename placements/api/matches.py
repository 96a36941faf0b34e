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
from mobility.api.base import IdFilter, ScopedViewSet
from mobility.audit.services import pupil_record_view_record
from mobility.permissions import acting_user
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
    school = IdFilter(field_name="pupil__school_id")
    run = IdFilter(field_name="run_id")
    opportunity = IdFilter(field_name="opportunity_id")

    class Meta:
        model = Match
        fields = ["status", "school", "run", "opportunity"]


def _act(body_class: type[Serializer[Any]] | None, summary: str, path: str) -> Callable[..., Any]:
    """A match event: POST to /matches/{id}/<path>/, documented request and response."""

    def wrap(method: Callable[..., Any]) -> Any:
        routed = action(detail=True, methods=["post"], url_path=path)(method)
        return extend_schema(summary=summary, request=body_class, responses={200: MatchSerializer})(routed)

    return wrap


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

    def _event(
        self, request: Request, body_class: type[Serializer[Any]] | None, call: Callable[..., Any]
    ) -> Response:
        match = self.get_object()
        values: dict[str, Any] = {}
        if body_class is not None:
            body = body_class(data=request.data)
            body.is_valid(raise_exception=True)
            values = dict(body.validated_data)
        call(match_id=match.pk, actor=request.user, **values)
        return Response(self.get_serializer(self.get_queryset().get(pk=match.pk)).data)

    @_act(NoteSerializer, "Adviser approves a proposed match (takes a seat)", "approve")
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._event(request, NoteSerializer, services.match_approve)

    @_act(RejectSerializer, "Adviser rejects a match, with a reason and a note", "reject")
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._event(request, RejectSerializer, services.match_reject)

    @_act(None, "Adviser offers an approved match to the employer and the pupil", "offer")
    def offer(self, request: Request, pk: str | None = None) -> Response:
        return self._event(request, None, services.match_offer)

    @_act(NoteSerializer, "Employer confirms an offered placement", "employer-confirm")
    def employer_confirm(self, request: Request, pk: str | None = None) -> Response:
        return self._event(request, NoteSerializer, services.match_employer_confirm)

    @_act(EmployerDeclineSerializer, "Employer declines an offered placement", "employer-decline")
    def employer_decline(self, request: Request, pk: str | None = None) -> Response:
        return self._event(request, EmployerDeclineSerializer, services.match_employer_decline)

    @_act(None, "Pupil accepts (confirmed at once if consent is on file)", "accept")
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._event(request, None, services.match_accept)

    @_act(PupilDeclineSerializer, "Pupil declines the offer", "decline")
    def decline(self, request: Request, pk: str | None = None) -> Response:
        return self._event(request, PupilDeclineSerializer, services.match_pupil_decline)

    @_act(None, "Confirm an accepted placement once parental consent is recorded", "confirm")
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        return self._event(request, None, services.match_confirm)

    @_act(CancelSerializer, "Cancel a live placement; the seat is re-offered by policy", "cancel")
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        return self._event(request, CancelSerializer, services.match_cancel)

    @_act(FeedbackSerializer, "Pupil or employer gives feedback (employer records attendance)", "feedback")
    def feedback(self, request: Request, pk: str | None = None) -> Response:
        return self._event(request, FeedbackSerializer, match_feedback_record)

    def _bulk(self, request: Request, event: str, body_class: type[Serializer[Any]]) -> Response:
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        outcomes = services.matches_bulk_decide(
            actor=acting_user(request), event=event, match_ids=values.pop("ids"), **values
        )
        return Response(BulkOutcomeSerializer(outcomes, many=True).data)

    @extend_schema(
        summary="Adviser approves many matches; each moves or fails on its own",
        request=BulkSerializer,
        responses={200: BulkOutcomeSerializer(many=True)},
    )
    @action(detail=False, methods=["post"], url_path="bulk-approve", **ANSWER_PER_ID)
    def bulk_approve(self, request: Request) -> Response:
        return self._bulk(request, "approve", BulkSerializer)

    @extend_schema(
        summary="Adviser offers many approved matches; each moves or fails on its own",
        request=BulkSerializer,
        responses={200: BulkOutcomeSerializer(many=True)},
    )
    @action(detail=False, methods=["post"], url_path="bulk-offer", **ANSWER_PER_ID)
    def bulk_offer(self, request: Request) -> Response:
        return self._bulk(request, "offer", BulkSerializer)

    @extend_schema(
        summary="Adviser rejects many matches with one reason and note",
        request=BulkRejectSerializer,
        responses={200: BulkOutcomeSerializer(many=True)},
    )
    @action(detail=False, methods=["post"], url_path="bulk-reject", **ANSWER_PER_ID)
    def bulk_reject(self, request: Request) -> Response:
        return self._bulk(request, "reject", BulkRejectSerializer)

    @extend_schema(
        summary="Status history (who, when, from, to, why)",
        responses={200: StatusChangeSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request: Request, pk: str | None = None) -> Response:
        match = self.get_object()
        changes = match.status_changes.select_related("changed_by")
        return Response(StatusChangeSerializer(changes, many=True).data)
