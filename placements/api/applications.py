from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from mobility.accounts.models import Role
from mobility.api.base import IdFilter, ScopedViewSet, validated
from placements.lifecycle.applications import application_reorder, application_submit, application_withdraw
from placements.lifecycle.selectors import applications_for_user
from placements.models import Application
from schools.models import Pupil
from schools.permissions import pupil_of

from .serializers import ApplicationSerializer, ReorderSerializer


class ApplicationFilter(filters.FilterSet):
    opportunity = IdFilter(field_name="opportunity_id")
    pupil = IdFilter(field_name="pupil_id")

    class Meta:
        model = Application
        fields = ["status", "opportunity", "pupil"]


class ApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    """A pupil's ranked applications (rank 1 is the first choice). School staff and advisers
    read their schools' pupils' applications."""

    model = Application
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    action_roles = {"create": {Role.PUPIL}, "withdraw": {Role.PUPIL}, "reorder": {Role.PUPIL}}

    def scoped_queryset(self) -> QuerySet[Application]:
        return applications_for_user(user=self.request.user).order_by("pupil_id", "status", "rank", "pk")

    def _pupil(self) -> Pupil:
        pupil = pupil_of(self.request.user)
        if pupil is None:
            raise PermissionDenied("Only a pupil with a profile can apply.")
        return pupil

    def perform_create(self, serializer: BaseSerializer[Application]) -> None:
        serializer.instance = application_submit(
            pupil=self._pupil(), opportunity=serializer.validated_data["opportunity"], now=timezone.now()
        )

    @extend_schema(request=None, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw one application; those ranked below move up."""
        application = application_withdraw(application=self.get_object())
        return Response(self.get_serializer(application).data)

    @extend_schema(request=ReorderSerializer, responses={200: ApplicationSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def reorder(self, request: Request) -> Response:
        """Re-rank all your active applications, first choice first."""
        ids = validated(ReorderSerializer, request)["application_ids"]
        ranked = application_reorder(pupil=self._pupil(), application_ids=ids, now=timezone.now())
        return Response(self.get_serializer(ranked, many=True).data, status=status.HTTP_200_OK)
