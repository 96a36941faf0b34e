"""One page of a long list: sorted on ids alone, the full rows loaded for that page only."""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, Model, Q, QuerySet, Window

PER_PAGE = 50
MAX_OFFSET = 2**62  # OFFSET is a bigint; a page number past it cannot hold rows


class IdPaginator(Paginator[Any]):
    """Pages of a queryset's ids; a page's ids and the total come from one query.

    ``COUNT(*) OVER ()`` rides on the page query, so a page costs one round trip instead of a
    count and a slice. Querysets it cannot count that way (DISTINCT), orphans and pages past the end
    take Django's usual path.
    """

    def __init__(self, queryset: QuerySet[Any], per_page: int, **kwargs: Any) -> None:
        super().__init__(queryset.values_list("pk", flat=True), per_page, **kwargs)
        self.source = queryset

    def page(self, number: Any) -> Page[Any]:
        if "count" in self.__dict__ or self.source.query.distinct or self.orphans:
            return super().page(number)
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # raises PageNotAnInteger
        bottom = (wanted - 1) * self.per_page
        if wanted < 1 or bottom + self.per_page > MAX_OFFSET:
            return super().page(number)  # raises EmptyPage without an offset the database refuses
        rows = list(
            self.source.annotate(_total=Window(Count("pk"))).values_list("pk", "_total")[
                bottom : bottom + self.per_page
            ]
        )
        if not rows and wanted > 1:
            return super().page(number)  # past the end: counts, then raises EmptyPage
        self.__dict__["count"] = rows[0][1] if rows else 0
        return Page([pk for pk, _total in rows], wanted, self)

    def get_page(self, number: Any) -> Page[Any]:
        """As Django's: a page that is not a number gives the first, one past the end the last."""
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages)


def page_of(queryset: QuerySet[Any], number: Any, *, per_page: int = PER_PAGE) -> Page[Any]:
    """Page ``number`` of ``queryset`` (keeps its order and its ``select_related``).

    Sorting narrow rows and then fetching 50 wide ones is much cheaper than sorting every wide
    row (pupil, school, opportunity, employer, site joined) to keep 50 of them.
    """
    page = IdPaginator(queryset, per_page).get_page(number)
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
