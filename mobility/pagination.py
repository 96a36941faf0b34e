"""One page of a long list: sorted on ids alone, the full rows loaded for that page only."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Model, Q, QuerySet

PER_PAGE = 50


def page_of(queryset: QuerySet[Any], number: Any, *, per_page: int = PER_PAGE) -> Page[Any]:
    """Page ``number`` of ``queryset`` (keeps its order and its ``select_related``).

    Sorting narrow rows and then fetching 50 wide ones is much cheaper than sorting every wide
    row (pupil, school, opportunity, employer, site joined) to keep 50 of them.
    """
    paginator = Paginator(queryset.values_list("pk", flat=True), per_page)
    page = paginator.get_page(number)
    ids = list(page.object_list)
    rows: dict[Any, Model] = queryset.order_by().in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids]
    return page


def matching_words(text: str, *fields: str) -> Q:
    """Rows where each word of ``text`` is found (any case) in one of ``fields``."""
    condition = Q()
    for word in text.split()[:5]:
        either = Q()
        for field in fields:
            either |= Q(**{f"{field}__icontains": word})
        condition &= either
    return condition


def query_without_page(params: Any) -> str:
    """The list's query string (search, filters) for its page links."""
    query = params.copy()
    query.pop("page", None)
    return str(query.urlencode())
