from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from mobility.accounts.models import Role
from mobility.api.base import IdFilter, ScopedViewSet, instance_of, validated
from mobility.audit.services import pupil_record_view_record
from mobility.permissions import acting_user
from schools import services
from schools.models import Pupil, School, WorkExperienceWindow
from schools.selectors import pupils_for_user, schools_for_user, windows_for_user
from schools.youth_services import YOUNG_PERSON_WORKER_FIELDS

from .serializers import (
    ConsentResultSerializer,
    ConsentSerializer,
    PupilCreateSerializer,
    PupilSerializer,
    SchoolSerializer,
    WindowSerializer,
)

STAFF_ROLES = {Role.SCHOOL_STAFF, Role.ADMIN}


class SchoolViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Schools the user works at (or attends); admins see all."""

    model = School
    serializer_class = SchoolSerializer

    def scoped_queryset(self) -> QuerySet[School]:
        return schools_for_user(user=self.request.user).select_related("local_authority")


class WindowFilter(filters.FilterSet):
    school = IdFilter(field_name="school_id")

    class Meta:
        model = WorkExperienceWindow
        fields = ["school", "year_group"]


class WindowViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ScopedViewSet,
):
    """Work-experience windows: school staff manage their school's; others read their own."""

    model = WorkExperienceWindow
    serializer_class = WindowSerializer
    filterset_class = WindowFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    action_roles = {"create": STAFF_ROLES, "partial_update": STAFF_ROLES, "destroy": STAFF_ROLES}

    def scoped_queryset(self) -> QuerySet[WorkExperienceWindow]:
        return windows_for_user(user=self.request.user)

    def relation_choices(self) -> dict[str, QuerySet[Any]]:
        return {"schools": schools_for_user(user=self.request.user)}

    def perform_create(self, serializer: BaseSerializer[WorkExperienceWindow]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.window_save(school=data.pop("school"), data=data)

    def perform_update(self, serializer: BaseSerializer[WorkExperienceWindow]) -> None:
        window = instance_of(serializer)
        serializer.instance = services.window_save(
            school=window.school, window=window, data=serializer.validated_data
        )


class PupilFilter(filters.FilterSet):
    school = IdFilter(field_name="school_id")

    class Meta:
        model = Pupil
        fields = ["school", "year_group", "parental_consent"]


class PupilViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ScopedViewSet,
):
    """Pupils' records: a pupil their own; school staff and advisers their schools' pupils.
    School staff add a pupil to their school (invited by email to set a password).

    Employers never reach this endpoint; they see a matched pupil only through the match.
    """

    model = Pupil
    serializer_class = PupilSerializer
    filterset_class = PupilFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_roles = {
        "create": STAFF_ROLES,
        "partial_update": {Role.PUPIL, Role.SCHOOL_STAFF, Role.YOUTH_WORKER, Role.ADMIN},
        "consent": {Role.SCHOOL_STAFF, Role.YOUTH_WORKER, Role.ADVISER, Role.ADMIN},
    }

    def scoped_queryset(self) -> QuerySet[Pupil]:
        return pupils_for_user(user=self.request.user).prefetch_related("sector_interests")

    def relation_choices(self) -> dict[str, QuerySet[Any]]:
        return {"schools": schools_for_user(user=self.request.user)} if self.action == "create" else {}

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "role": self.role}

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        return PupilCreateSerializer if self.action == "create" else PupilSerializer

    @extend_schema(request=PupilCreateSerializer, responses={201: PupilSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        pupil = services.pupil_create(
            school=data.pop("school"),
            data=data,
            actor=acting_user(request),
            site_url=request.build_absolute_uri("/"),
        )
        shown = PupilSerializer(pupil, context=self.get_serializer_context())
        return Response(shown.data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        pupil_id = int(response.data["id"])
        pupil_record_view_record(pupil_id=pupil_id, viewer=request.user, place="API pupil record")
        return response

    def perform_update(self, serializer: BaseSerializer[Pupil]) -> None:
        allowed: frozenset[str] = services.PUPIL_STAFF_FIELDS
        if self.role == Role.PUPIL:
            allowed = services.PUPIL_SELF_FIELDS
        elif self.role == Role.YOUTH_WORKER:
            allowed = YOUNG_PERSON_WORKER_FIELDS
        serializer.instance = services.pupil_update(
            pupil=instance_of(serializer), allowed=allowed, data=dict(serializer.validated_data)
        )

    @extend_schema(request=ConsentSerializer, responses={200: ConsentResultSerializer})
    @action(detail=True, methods=["post"])
    def consent(self, request: Request, pk: str | None = None) -> Response:
        """Record a parent's or carer's consent: given confirms an accepted placement,
        refused cancels live ones."""
        pupil = self.get_object()
        answer = validated(ConsentSerializer, request)  # status, method, parent_carer_name
        changed = services.pupil_consent_record(pupil=pupil, actor=acting_user(request), **answer)
        pupil.refresh_from_db()
        result = {
            "pupil": PupilSerializer(pupil, context=self.get_serializer_context()).data,
            "changed_match_ids": changed,
        }
        return Response(result, status=status.HTTP_200_OK)
