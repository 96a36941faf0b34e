"""Shared pieces for every API view: deny by default, scope by role, gate actions by role."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from typing import Any, ClassVar, TypeVar

from django import forms
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import Model, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import pagination, permissions, viewsets
from rest_framework.request import Request
from rest_framework.serializers import BaseSerializer, Serializer

from mobility.pagination import IdPaginator
from mobility.permissions import ActionRoles, role_of

_M = TypeVar("_M", bound=Model)


def instance_of(serializer: BaseSerializer[_M]) -> _M:
    """The object an update serializer was built around (DRF always sets it for updates)."""
    if serializer.instance is None:
        raise TypeError("An update serializer needs the object it updates.")
    return serializer.instance


def validated(body_class: type[Serializer[Any]], request: Request) -> dict[str, Any]:
    """The request's body as ``body_class`` reads it; a 400 saying what is wrong otherwise."""
    body = body_class(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


# Relation fields whose choices are narrowed to what the user may pick: with
# ``choices_from = {"site": "sites"}``, ``site`` picks from the context's ``sites``, which the view
# gives (``ScopedViewSet.relation_choices``). No docstring: the schema would show it for subclasses.
class ChoicesFromContext(Serializer[Any]):
    choices_from: ClassVar[Mapping[str, str]] = {}

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        for name, key in self.choices_from.items():
            choices = self.context.get(key)
            if choices is not None:
                fields[name].queryset = choices
        return fields


class IntegerFilter(filters.NumberFilter):
    field_class = forms.IntegerField


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(IntegerFilter):
    """Filter by a related object's id. An unknown id matches nothing (no 400, no hint
    whether it exists)."""


class Pagination(pagination.PageNumberPagination):
    """Pages sorted on ids alone; the full rows (joins, prefetches) are loaded for the page only."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list[Any] | None:
        if not isinstance(queryset, QuerySet) or getattr(queryset, "_fields", None) is not None:
            self.django_paginator_class = DjangoPaginator
            return super().paginate_queryset(queryset, request, view)
        self.django_paginator_class = IdPaginator  # the page's ids and the total in one query
        ids = super().paginate_queryset(queryset, request, view)
        if ids is None:
            return None
        rows = queryset.order_by().in_bulk(ids)
        return [rows[pk] for pk in ids]


class ScopedViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """``get_queryset`` returns only what the user's role reaches, so others' ids answer 404."""

    permission_classes = [permissions.IsAuthenticated, ActionRoles]
    pagination_class = Pagination
    action_roles: Mapping[str, AbstractSet[str]] = {}
    model: type[Model]

    def scoped_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return self.model._default_manager.none()
        return self.scoped_queryset()

    def relation_choices(self) -> dict[str, QuerySet[Any]]:
        """What the serializer's relation fields may pick from, by context key (``ChoicesFromContext``)."""
        return {}

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):  # schema generation has no user
            context.update(self.relation_choices())
        return context

    @property
    def role(self) -> str | None:
        return role_of(self.request.user)
