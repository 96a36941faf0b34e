from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins
from rest_framework.serializers import BaseSerializer

from mobility.accounts.models import Role
from mobility.api.base import ScopedViewSet
from mobility.permissions import acting_user
from placements.lifecycle.selectors import regions_for_user, runs_for_user
from placements.matching.services import match_run_create
from placements.models import MatchRun

from .serializers import MatchRunSerializer


class MatchRunViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    """Match runs for a region. Creating one queues it for a matching worker; poll
    ``status``/``progress``, then review its matches at ``/matches/?run=<id>``."""

    model = MatchRun
    serializer_class = MatchRunSerializer
    filterset_fields = ["status", "policy"]
    action_roles = {"create": {Role.ADVISER, Role.ADMIN}}

    def scoped_queryset(self) -> QuerySet[MatchRun]:
        return runs_for_user(user=self.request.user).select_related("region").order_by("-created_at", "-pk")

    def relation_choices(self) -> dict[str, QuerySet[Any]]:
        return {"regions": regions_for_user(user=self.request.user)}

    def perform_create(self, serializer: BaseSerializer[MatchRun]) -> None:
        data = serializer.validated_data
        serializer.instance = match_run_create(
            region=data["region"],
            policy=data.get("policy", MatchRun.Policy.STABLE),
            seed=data.get("seed"),
            created_by=acting_user(self.request),
            what_if=data.get("what_if", False),
        )
