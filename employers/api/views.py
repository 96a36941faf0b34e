from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from employers import services, verification
from employers.models import ComplianceRecord, Employer, Opportunity, Site
from employers.selectors import (
    compliance_for_user,
    employers_awaiting_verification,
    employers_for_user,
    employers_for_verification,
    opportunities_for_user,
    opportunities_within,
    opportunity_travel_minutes,
    sites_for_user,
)
from mobility.accounts.models import Role
from mobility.api.base import IdFilter, IntegerFilter, ScopedViewSet, instance_of, validated
from mobility.errors import Conflict
from mobility.permissions import acting_user, employer_id_of, pupil_home_of

from .serializers import (
    ComplianceSerializer,
    EmployerSerializer,
    OpportunitySerializer,
    SiteSerializer,
    VerificationDecisionSerializer,
    VerifySerializer,
)

MANAGERS = {Role.EMPLOYER, Role.ADMIN}
ADVISING = {Role.ADVISER, Role.ADMIN}
ADVISING_ACTIONS = ("verify", "refuse", "awaiting_verification")


class EmployerViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, ScopedViewSet
):
    """Organisations: members see and edit their own; advisers, school staff and admins read all."""

    model = Employer
    serializer_class = EmployerSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_roles = {
        "partial_update": MANAGERS,
        "verify": ADVISING,
        "refuse": ADVISING,
        "awaiting_verification": ADVISING,
    }

    def scoped_queryset(self) -> QuerySet[Employer]:
        if self.action in ADVISING_ACTIONS:  # advisers decide only for their own region
            return employers_for_verification(user=self.request.user).select_related("sector")
        return employers_for_user(user=self.request.user).select_related("sector")

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Words in the name, a site's postcode or the contact."),
            OpenApiParameter("status", str, enum=["pending", "refused"], description="Default pending."),
        ],
        responses={200: EmployerSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], url_path="awaiting-verification")
    def awaiting_verification(self, request: Request) -> Response:
        """Advisers: organisations in their region whose contact has confirmed their email address,
        oldest first."""
        status_ = request.query_params.get("status") or Employer.Verification.PENDING
        if status_ not in (Employer.Verification.PENDING, Employer.Verification.REFUSED):
            raise ValidationError({"status": "Choose pending or refused."})
        qs = employers_awaiting_verification(
            user=request.user, status=status_, search=request.query_params.get("q", "").strip()
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=VerificationDecisionSerializer, responses={200: EmployerSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        """Pupils may now see the organisation's published opportunities."""
        return self._decide(request, verification.employer_verify, note_as="note")

    @extend_schema(request=VerificationDecisionSerializer, responses={200: EmployerSerializer})
    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: str | None = None) -> Response:
        """Its opportunities stay hidden from pupils; the contact is emailed the reason."""
        return self._decide(request, verification.employer_refuse, note_as="reason")

    def _decide(self, request: Request, decide: Callable[..., Employer], note_as: str) -> Response:
        note = str(validated(VerificationDecisionSerializer, request)["note"])
        employer = decide(employer=self.get_object(), actor=acting_user(request), **{note_as: note})
        return Response(self.get_serializer(employer).data)


class _OwnEmployerViewSet(ScopedViewSet):
    def own_employer(self) -> Employer:
        employer_id = employer_id_of(self.request.user)
        if employer_id is None:
            raise PermissionDenied("Only a member of an employer can add this.")
        return Employer.objects.get(pk=employer_id)


class _OwnEmployerModelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    _OwnEmployerViewSet,
):
    """What a member creates, edits and deletes for their own organisation."""


class SiteViewSet(_OwnEmployerModelViewSet):
    """An organisation's workplaces. Their postcodes are located to a grid point."""

    model = Site
    serializer_class = SiteSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    action_roles = {"create": {Role.EMPLOYER}, "partial_update": MANAGERS, "destroy": MANAGERS}

    def scoped_queryset(self) -> QuerySet[Site]:
        return sites_for_user(user=self.request.user)

    def perform_create(self, serializer: BaseSerializer[Site]) -> None:
        serializer.instance = services.site_save(employer=self.own_employer(), data=serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer[Site]) -> None:
        site = instance_of(serializer)
        serializer.instance = services.site_save(
            employer=site.employer, site=site, data=serializer.validated_data
        )

    def perform_destroy(self, instance: Site) -> None:
        services.site_delete(site=instance)


class OpportunityFilter(filters.FilterSet):
    sector = filters.CharFilter(field_name="sector__slug", help_text="Sector slug, e.g. digital.")
    employer = IdFilter(field_name="employer_id")
    starts_on = filters.DateFromToRangeFilter()
    ends_on = filters.DateFromToRangeFilter()
    step_free = filters.BooleanFilter(method="filter_step_free", help_text="Step-free access (or virtual).")
    max_travel_minutes = IntegerFilter(
        method="filter_travel",
        min_value=1,
        max_value=240,
        help_text="Pupils only: within this many minutes of home, by the platform's travel estimate.",
    )

    class Meta:
        model = Opportunity
        fields = ["sector", "mode", "status", "employer", "starts_on", "ends_on"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_step_free(
        self, queryset: QuerySet[Opportunity], name: str, value: bool | None
    ) -> QuerySet[Opportunity]:
        if value is None:
            return queryset
        step_free = queryset.filter(site__step_free_access=True) | queryset.filter(
            mode=Opportunity.Mode.VIRTUAL
        )
        return step_free if value else queryset.exclude(pk__in=step_free.values("pk"))

    @extend_schema_field({"type": "integer", "minimum": 1, "maximum": 240})
    def filter_travel(self, queryset: QuerySet[Opportunity], name: str, value: Any) -> QuerySet[Opportunity]:
        home = pupil_home_of(self.request.user) if self.request else None
        if home is None or value is None:
            return queryset
        return opportunities_within(home=home, opportunities=queryset, minutes=int(value))


class OpportunityViewSet(_OwnEmployerModelViewSet):
    """Opportunities: pupils browse published ones with their own travel time; members manage
    their organisation's; school staff and advisers also see those their pupils are matched to."""

    model = Opportunity
    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    action_roles = {
        "create": {Role.EMPLOYER},
        "partial_update": MANAGERS,
        "destroy": MANAGERS,
        "publish": MANAGERS,
        "close": MANAGERS,
    }

    def scoped_queryset(self) -> QuerySet[Opportunity]:
        return opportunities_for_user(user=self.request.user).order_by("starts_on", "title", "pk")

    def relation_choices(self) -> dict[str, QuerySet[Any]]:
        return {"sites": sites_for_user(user=self.request.user)}

    def get_serializer(self, *args: Any, **kwargs: Any) -> BaseSerializer[Opportunity]:
        home = pupil_home_of(self.request.user)
        if home is not None and args:
            rows = args[0] if isinstance(args[0], list | QuerySet) else [args[0]]
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["travel_minutes"] = opportunity_travel_minutes(home=home, opportunities=rows)
        return super().get_serializer(*args, **kwargs)

    def perform_create(self, serializer: BaseSerializer[Opportunity]) -> None:
        serializer.instance = services.opportunity_create(
            employer=self.own_employer(), data=serializer.validated_data
        )

    def perform_update(self, serializer: BaseSerializer[Opportunity]) -> None:
        serializer.instance = services.opportunity_update(
            opportunity=instance_of(serializer), data=serializer.validated_data
        )

    def perform_destroy(self, instance: Opportunity) -> None:
        services.opportunity_delete(opportunity=instance)

    def _set_status(self, new_status: str) -> Response:
        opportunity = services.opportunity_set_status(opportunity=self.get_object(), status=new_status)
        return Response(self.get_serializer(opportunity).data, status=status.HTTP_200_OK)

    @extend_schema(request=None, responses={200: OpportunitySerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Open the opportunity for applications."""
        return self._set_status(Opportunity.Status.PUBLISHED)

    @extend_schema(request=None, responses={200: OpportunitySerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Stop taking applications; places already held are kept."""
        return self._set_status(Opportunity.Status.CLOSED)


class ComplianceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    _OwnEmployerViewSet,
):
    """Insurance, risk assessment and supervisor on file. Members keep their own up to date;
    advisers and admins read all, and their edits count as a check."""

    model = ComplianceRecord
    serializer_class = ComplianceSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_roles = {
        "create": {Role.EMPLOYER},
        "partial_update": {Role.EMPLOYER, Role.ADVISER, Role.ADMIN},
        "verify": {Role.ADVISER, Role.ADMIN},
    }

    def scoped_queryset(self) -> QuerySet[ComplianceRecord]:
        return compliance_for_user(user=self.request.user)

    @extend_schema(request=VerifySerializer, responses={200: ComplianceSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        """An adviser has seen the evidence: the record now counts for approval."""
        note = validated(VerifySerializer, request)["note"]
        record = services.compliance_verify(record=self.get_object(), actor=acting_user(request), note=note)
        return Response(ComplianceSerializer(record, context=self.get_serializer_context()).data)

    def perform_create(self, serializer: BaseSerializer[ComplianceRecord]) -> None:
        employer = self.own_employer()
        if ComplianceRecord.objects.filter(employer=employer).exists():
            raise Conflict("Your organisation already has a compliance record; update it instead.")
        serializer.instance = services.compliance_save(
            employer=employer, data=serializer.validated_data, actor=acting_user(self.request), checker=False
        )

    def perform_update(self, serializer: BaseSerializer[ComplianceRecord]) -> None:
        serializer.instance = services.compliance_save(
            employer=instance_of(serializer).employer,
            data=serializer.validated_data,
            actor=acting_user(self.request),
            checker=self.role in (Role.ADVISER, Role.ADMIN),
        )
