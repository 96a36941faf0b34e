"""`GET /api/v1/opportunities/reachable/`: what the signed-in pupil can reach and apply for.

The same query as the pupil's search page (``placements.reach``), so the two always agree.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from employers.api.serializers import OpportunitySerializer
from employers.models import Opportunity
from employers.selectors import opportunities_for_user
from mobility.api.base import Pagination
from mobility.geography.models import Sector
from placements.reach import Reachable, opportunities_of, opportunities_reachable
from schools.permissions import pupil_of


class ReachQuerySerializer(serializers.Serializer[Any]):
    sector = serializers.SlugRelatedField(
        slug_field="slug", queryset=Sector.objects.all(), required=False, help_text="e.g. digital"
    )
    starts_on_after = serializers.DateField(required=False)
    ends_on_before = serializers.DateField(required=False)
    max_travel_minutes = serializers.IntegerField(
        min_value=1, max_value=240, required=False, help_text="A shorter limit than the pupil's own."
    )
    step_free = serializers.BooleanField(required=False, default=False)
    show_all = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Include those outside the pupil's work-experience dates or over their age.",
    )


class ReachableSerializer(OpportunitySerializer):
    can_apply = serializers.SerializerMethodField()

    class Meta(OpportunitySerializer.Meta):
        fields = [*OpportunitySerializer.Meta.fields, "can_apply"]

    def get_can_apply(self, opportunity: Opportunity) -> bool:
        return bool(self.context["can_apply"].get(opportunity.pk))


class ReachableOpportunitiesView(APIView):
    """Published opportunities the pupil can reach, nearest first, with their journey minutes.
    By default only those they can apply for (their dates, their age); ``show_all`` adds the rest."""

    pagination_class = Pagination

    @extend_schema(parameters=[ReachQuerySerializer], responses={200: ReachableSerializer(many=True)})
    def get(self, request: Request) -> Response:
        pupil = pupil_of(request.user)
        if pupil is None:
            raise PermissionDenied("Only a pupil has journeys to reach.")
        query = ReachQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        opportunities = opportunities_for_user(user=request.user)
        if params.get("sector"):
            opportunities = opportunities.filter(sector=params["sector"])
        if params.get("starts_on_after"):
            opportunities = opportunities.filter(starts_on__gte=params["starts_on_after"])
        if params.get("ends_on_before"):
            opportunities = opportunities.filter(ends_on__lte=params["ends_on_before"])
        rows = opportunities_reachable(
            pupil=pupil,
            today=timezone.localdate(),
            opportunities=opportunities,
            max_minutes=params.get("max_travel_minutes"),
            step_free=params["step_free"],
            show_all=params["show_all"],
        )
        paginator = self.pagination_class()
        page: list[Reachable] = paginator.paginate_queryset(rows, request, view=self) or []
        context = {
            "request": request,
            "travel_minutes": {r.opportunity_id: r.minutes for r in page},
            "can_apply": {r.opportunity_id: r.can_apply for r in page},
        }
        data = ReachableSerializer(opportunities_of(page), many=True, context=context).data
        return paginator.get_paginated_response(data)
