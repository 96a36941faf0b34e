"""Change requests for live placements: employers ask, advisers approve or refuse."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from employers.models import Opportunity, Site
from employers.selectors import opportunities_for_user, sites_for_user
from mobility.accounts.models import Role
from mobility.api.base import ScopedViewSet, validated
from mobility.permissions import acting_user
from placements.lifecycle import changes
from placements.lifecycle.models import ChangeRequest

ADVISING = {Role.ADVISER, Role.ADMIN}


class ChangeRequestSerializer(serializers.ModelSerializer[ChangeRequest]):
    """``opportunity`` and the new values go in; ``proposed`` shows what changes."""

    opportunity = serializers.PrimaryKeyRelatedField(queryset=Opportunity.objects.none())
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.none(), required=False, write_only=True)
    starts_on = serializers.DateField(required=False, write_only=True)
    ends_on = serializers.DateField(required=False, write_only=True)
    daily_hours = serializers.DecimalField(max_digits=3, decimal_places=1, required=False, write_only=True)
    minimum_age = serializers.IntegerField(required=False, write_only=True)
    mode = serializers.ChoiceField(choices=Opportunity.Mode.choices, required=False, write_only=True)
    reason = serializers.CharField(max_length=1000)

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "opportunity",
            "site",
            "starts_on",
            "ends_on",
            "daily_hours",
            "minimum_age",
            "mode",
            "reason",
            "proposed",
            "previous",
            "status",
            "requested_at",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = ["proposed", "previous", "status", "requested_at", "decided_at", "decision_note"]

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            fields["opportunity"].queryset = opportunities_for_user(user=request.user)
            fields["site"].queryset = sites_for_user(user=request.user)
        return fields


class DecisionSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ChangeRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    """An employer asks to move a placement pupils hold; an adviser approves (the pupils
    confirm again) or refuses."""

    model = ChangeRequest
    serializer_class = ChangeRequestSerializer
    http_method_names = ["get", "post", "head", "options"]
    action_roles = {"create": {Role.EMPLOYER, Role.ADMIN}, "approve": ADVISING, "refuse": ADVISING}

    def scoped_queryset(self) -> QuerySet[ChangeRequest]:
        return changes.change_requests_for_user(user=self.request.user)

    def perform_create(self, serializer: BaseSerializer[ChangeRequest]) -> None:
        data = dict(serializer.validated_data)
        opportunity, reason = data.pop("opportunity"), data.pop("reason")
        if not isinstance(opportunity, Opportunity):
            raise NotFound()
        serializer.instance = changes.change_request_create(
            opportunity=opportunity, actor=acting_user(self.request), data=data, reason=reason
        )

    def _decide(self, request: Request, approve: bool) -> Response:
        note, actor, pk = (
            validated(DecisionSerializer, request)["note"],
            acting_user(request),
            self.get_object().pk,
        )
        if approve:
            decided = changes.change_request_approve(request_id=pk, actor=actor, note=note)
        else:
            decided = changes.change_request_refuse(request_id=pk, actor=actor, note=note)
        return Response(self.get_serializer(decided).data)

    @extend_schema(request=DecisionSerializer, responses={200: ChangeRequestSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Apply the change; pupils holding the placement are told and answer the offer again."""
        return self._decide(request, approve=True)

    @extend_schema(request=DecisionSerializer, responses={200: ChangeRequestSerializer})
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str | None = None) -> Response:
        """Refuse the change, with a note the employer reads."""
        return self._decide(request, approve=False)
