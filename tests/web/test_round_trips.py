"""Round trips per page: run figures in one grouped query, a page's ids and its total in one,
sessions read from Redis, an adviser's schools looked up once per request."""

from __future__ import annotations

import statistics

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mobility.accounts.models import Role
from mobility.pagination import IdPaginator, page_of
from mobility.permissions import school_ids_of
from placements.matching.figures import run_figures
from placements.models import Match, MatchRun, MatchStatus
from tests import factories as f
from tests.twofactor import verified_login
from tests.web.world import build_world

pytestmark = pytest.mark.django_db

# (tier, rank, suggested, minutes): tier 0 has an even number of journeys, tier 1 an odd one
# and a match with no journey (online), tier 2 suggestions only.
ROWS = [
    (0, 1, False, 10),
    (0, 2, False, 21),
    (0, 1, False, 30),
    (0, None, True, 44),
    (0, 3, False, 5),
    (0, 1, False, 12),
    (1, 1, False, 7),
    (1, 2, False, 9),
    (1, 1, False, None),
    (1, 4, False, 40),
    (1, 1, False, 15),
    (1, 2, False, 30),
    (2, None, True, 20),
    (2, None, True, 25),
    (2, None, True, 26),
    (2, None, True, 27),
    (2, None, True, 28),
]


def _run_with(rows: list[tuple[int, int | None, bool, int | None]]) -> MatchRun:
    run = f.MatchRunFactory.create()
    by_tier = [
        {"group": f"group {t}", "pupils": 20, "placed": sum(1 for r in rows if r[0] == t)} for t in range(3)
    ]
    run.statistics = {"by_tier": by_tier}
    run.save(update_fields=["statistics"])
    for tier, rank, suggested, minutes in rows:
        f.MatchFactory.create(
            run=run, priority_tier=tier, rank=rank, is_suggestion=suggested, travel_minutes=minutes
        )
    return run


def test_run_figures_are_one_grouped_query_with_the_same_answers() -> None:
    run = _run_with(ROWS)
    with CaptureQueriesContext(connection) as captured:
        figures = run_figures(run=run, reveal=True)
    assert len(captured.captured_queries) == 1
    for tier, row in enumerate(figures.groups):
        mine = [r for r in ROWS if r[0] == tier]
        own = [r for r in mine if not r[2]]
        journeys = [r[3] for r in mine if r[3] is not None]
        first = sum(1 for r in own if r[1] == 1)
        assert row.first_choice_rate == (first / len(own) if own else None), tier
        assert row.median_travel == round(statistics.median(journeys), 1), tier
    # Tier 0's six journeys: the median is the mean of the middle two (12 and 21).
    assert figures.groups[0].median_travel == 16.5
    # More matches, still one query.
    f.MatchFactory.create_batch(5, run=run, priority_tier=1, travel_minutes=3)
    with CaptureQueriesContext(connection) as captured:
        run_figures(run=run, reveal=True)
    assert len(captured.captured_queries) == 1


def test_a_few_journeys_give_no_median_to_anyone_but_an_admin() -> None:
    run = _run_with([(0, 1, False, 10), (0, 1, False, 20), (0, 2, False, 30)])
    assert run_figures(run=run, reveal=True).groups[0].median_travel == 20
    assert run_figures(run=run, reveal=False).groups[0].median_travel is None


def test_a_page_and_its_total_come_from_one_query() -> None:
    run = f.MatchRunFactory.create()
    matches = f.MatchFactory.create_batch(7, run=run)
    ids = sorted(m.pk for m in matches)
    queryset = Match.objects.filter(run=run).order_by("pk")
    with CaptureQueriesContext(connection) as captured:
        page = IdPaginator(queryset, 3).get_page("2")
        assert (list(page.object_list), page.paginator.count, page.paginator.num_pages) == (ids[3:6], 7, 3)
    assert len(captured.captured_queries) == 1
    # Past the end: the last page; not a number: the first; an empty list: one empty page.
    assert list(IdPaginator(queryset, 3).get_page(9).object_list) == ids[6:]
    assert list(IdPaginator(queryset, 3).get_page("x").object_list) == ids[:3]
    empty = IdPaginator(Match.objects.none().order_by("pk"), 3).get_page(1)
    assert (list(empty.object_list), empty.paginator.count, empty.paginator.num_pages) == ([], 0, 1)
    # page_of loads the full rows of that page only, in order.
    assert [m.pk for m in page_of(queryset, 3, per_page=3).object_list] == ids[6:]


def test_a_distinct_list_is_counted_after_distinct() -> None:
    run = f.MatchRunFactory.create()
    f.MatchFactory.create_batch(4, run=run)
    # One run joined to its four matches: four rows before DISTINCT, one after.
    runs = MatchRun.objects.filter(matches__isnull=False, pk=run.pk).distinct().order_by("pk")
    page = IdPaginator(runs, 10).get_page(1)
    assert (list(page.object_list), page.paginator.count) == ([run.pk], 1)


def test_match_api_counts_and_pages_as_before() -> None:
    world = build_world()
    run = f.MatchRunFactory.create(region=world.region)
    for i in range(5):
        f.MatchFactory.create(
            run=run, pupil=world.add_pupil(f"Paged{i}"), opportunity=world.add_opportunity("P")
        )
    client = Client()
    verified_login(client, world.adviser)
    body = client.get(f"/api/v1/matches/?run={run.pk}&page_size=2&page=3").json()
    assert (body["count"], len(body["results"]), body["next"]) == (5, 1, None)
    assert client.get(f"/api/v1/matches/?run={run.pk}&page_size=2&page=4").status_code == 404
    # A page number too large for the database's OFFSET is simply past the end.
    assert client.get(f"/api/v1/matches/?run={run.pk}&page={10**24}").status_code == 404
    assert client.get(f"/adviser/runs/{run.pk}/?page={10**24}").status_code == 200


def test_session_is_read_from_the_cache_and_ends_on_sign_out() -> None:
    world = build_world()
    client = Client()
    verified_login(client, world.pupil.user)
    client.get("/pupil/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/pupil/").status_code == 200
    assert not [q for q in captured.captured_queries if "django_session" in q["sql"]]
    key = client.session.session_key
    assert key is not None
    assert Session.objects.filter(session_key=key).exists(), "written through to the database"
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies["sessionid"] = key  # the old cookie, replayed
    assert client.get("/pupil/").status_code == 302


def test_an_advisers_schools_are_looked_up_once_per_request() -> None:
    world = build_world()
    user = type(world.adviser).objects.get(pk=world.adviser.pk)
    assert user.role == Role.ADVISER
    first = school_ids_of(user)
    with CaptureQueriesContext(connection) as captured:
        assert school_ids_of(user) == first == [world.school.pk]
    assert captured.captured_queries == []
    # A fresh request's user looks again, so a change of schools shows at once.
    other = f.SchoolFactory.create(local_authority=world.liverpool)
    user.careers_adviser.schools.add(other)
    fresh = type(world.adviser).objects.get(pk=world.adviser.pk)
    assert sorted(school_ids_of(fresh)) == sorted([world.school.pk, other.pk])


@pytest.mark.parametrize(
    ("status", "colour"),
    [
        (MatchStatus.PROPOSED, "yellow"),
        (MatchStatus.APPROVED, "blue"),
        (MatchStatus.CONFIRMED, "green"),
        (MatchStatus.CANCELLED, "red"),
    ],
)
def test_status_tag(status: str, colour: str) -> None:
    from django.template import engines

    html = (
        engines["django"]
        .from_string("{% load match_status %}{% match_status s l %}")
        .render({"s": status, "l": "<b>"})
    )
    assert html == f'<strong class="govuk-tag govuk-tag--{colour}">&lt;b&gt;</strong>'


@pytest.mark.parametrize(
    "name",
    ["adviser:approve", "adviser:offer", "adviser:reject", "pupil:opportunity", "employer:match"],
)
def test_row_links_are_the_links_url_gives(name: str) -> None:
    from django.template import engines
    from django.urls import clear_script_prefix, reverse, set_script_prefix

    row = engines["django"].from_string("{% load row_url %}{% row_url n pk %}|{% url n pk %}")
    for pk in (1, 7, 918273645, 10**12):
        ours, django_s = row.render({"n": name, "pk": pk}).split("|")
        assert ours == django_s == reverse(name, args=[pk])
    # Behind a proxy that mounts the site under a path, the prefix follows each request.
    set_script_prefix("/mobility/")
    try:
        ours, django_s = row.render({"n": name, "pk": 5}).split("|")
        assert ours == django_s and ours.startswith("/mobility/")
    finally:
        clear_script_prefix()
