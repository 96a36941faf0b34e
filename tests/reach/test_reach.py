"""One table for the rules of ``placements.reach``, and the page, the API and refill agreeing with it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from employers.models import Opportunity
from placements.reach import opportunities_reachable, pupils_reaching
from schools.models import Pupil
from tests import factories as f
from tests.twofactor import verified_login

pytestmark = pytest.mark.django_db

HOME = (335000, 390000)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Case:
    metres_east: int = 1000  # 1 km: an 18-minute walk; 3 km: 31 minutes by bus; 8 km: 55 minutes
    fields: dict[str, Any] = field(default_factory=dict)
    step_free_site: bool = True
    today: dt.date = f.TODAY
    params: dict[str, Any] = field(default_factory=dict)
    listed: bool = True  # by default: can reach and apply
    listed_with_all: bool = True  # with "show all"


CASES = {
    "near, in the window, old enough": Case(),
    "online far away needs no travel": Case(metres_east=90_000, fields={"mode": "virtual"}),
    "in person far away is out of reach": Case(metres_east=90_000, listed=False, listed_with_all=False),
    "over the pupil's own longest journey": Case(metres_east=8000, listed=False, listed_with_all=False),
    "a longer chosen limit never beats the pupil's own": Case(
        metres_east=8000, params={"max_minutes": 90}, listed=False, listed_with_all=False
    ),
    "within a shorter chosen limit": Case(metres_east=3000, params={"max_minutes": 45}),
    "beyond a shorter chosen limit": Case(
        metres_east=3000, params={"max_minutes": 30}, listed=False, listed_with_all=False
    ),
    "step-free asked, workplace without it": Case(
        step_free_site=False, params={"step_free": True}, listed=False, listed_with_all=False
    ),
    "step-free not asked, workplace without it": Case(step_free_site=False),
    "step-free asked, online needs none": Case(
        step_free_site=False, fields={"mode": "virtual"}, params={"step_free": True}
    ),
    # On the window's first day its application deadline has passed: only "show all" lists it.
    "first day is today": Case(today=f.WINDOW_START, listed=False),
    "first day was yesterday": Case(today=f.WINDOW_START + DAY, listed=False, listed_with_all=False),
    "not published": Case(fields={"status": "draft"}, listed=False, listed_with_all=False),
    "too young on the first day": Case(fields={"minimum_age": 16}, listed=False),
    "old enough on the first day exactly": Case(fields={"minimum_age": 15}),
    "outside the pupil's window": Case(
        fields={"starts_on": f.WINDOW_START + 70 * DAY, "ends_on": f.WINDOW_END + 70 * DAY}, listed=False
    ),
    "overlapping the window's last day": Case(
        fields={"starts_on": f.WINDOW_END, "ends_on": f.WINDOW_END + 2 * DAY}
    ),
    "the window's application deadline has passed": Case(today=f.DEADLINE + DAY, listed=False),
}


@pytest.fixture
def pupil(lcr_region: Any) -> Pupil:
    school = f.SchoolFactory.create()
    f.WindowFactory.create(school=school)
    # Exactly 15 on the window's first day.
    born = f.WINDOW_START.replace(year=f.WINDOW_START.year - 15)
    return f.PupilFactory.create(
        school=school, easting=HOME[0], northing=HOME[1], max_travel_minutes=45, date_of_birth=born
    )


def opportunity(case: Case) -> Opportunity:
    site = f.SiteFactory.create(
        easting=HOME[0] + case.metres_east, northing=HOME[1], step_free_access=case.step_free_site
    )
    return f.OpportunityFactory.create(employer=site.employer, site=site, **case.fields)


@pytest.mark.parametrize("name", list(CASES))
def test_each_rule(name: str, pupil: Pupil) -> None:
    case = CASES[name]
    wanted = opportunity(case)
    f.OpportunityFactory.create(
        site=f.SiteFactory.create(easting=HOME[0] + 500, northing=HOME[1])
    )  # always listed

    def ids(show_all: bool) -> set[int]:
        rows = opportunities_reachable(pupil=pupil, today=case.today, show_all=show_all, **case.params)
        return {r.opportunity_id for r in rows}

    assert (wanted.pk in ids(False)) is case.listed
    assert (wanted.pk in ids(True)) is case.listed_with_all


def test_rows_carry_minutes_nearest_first_and_who_can_apply(pupil: Pupil) -> None:
    bus = opportunity(Case(metres_east=3000))
    walk = opportunity(Case(metres_east=1000))
    online = opportunity(Case(metres_east=90_000, fields={"mode": "virtual"}))
    young = opportunity(Case(metres_east=2000, fields={"minimum_age": 16}))
    rows = opportunities_reachable(pupil=pupil, today=f.TODAY, show_all=True)
    assert [(r.opportunity_id, r.minutes, r.can_apply) for r in rows] == [
        (online.pk, 0, True),
        (walk.pk, 18, True),
        (young.pk, 26, False),
        (bus.pk, 31, True),
    ]


def test_refill_reads_the_same_rules(pupil: Pupil) -> None:
    step_free = f.PupilFactory.create(
        school=pupil.school,
        easting=HOME[0],
        northing=HOME[1],
        needs_step_free_access=True,
        date_of_birth=pupil.date_of_birth,
        max_travel_minutes=45,
    )
    far = f.PupilFactory.create(
        school=pupil.school,
        easting=HOME[0] - 7000,
        northing=HOME[1],
        date_of_birth=pupil.date_of_birth,
        max_travel_minutes=45,
    )
    everyone = [pupil, step_free, far]
    no_ramp = opportunity(Case(metres_east=1000, step_free_site=False))
    assert [p.pk for p, _ in pupils_reaching(opportunity=no_ramp, pupils=everyone)] == [pupil.pk]
    online = opportunity(Case(metres_east=1000, step_free_site=False, fields={"mode": "virtual"}))
    assert [m for _, m in pupils_reaching(opportunity=online, pupils=everyone)] == [0, 0, 0]
    young = opportunity(Case(fields={"minimum_age": 16}))
    assert pupils_reaching(opportunity=young, pupils=everyone) == []


def test_the_page_and_the_api_list_what_the_query_lists(pupil: Pupil) -> None:
    cases = [Case(), Case(metres_east=3000), Case(fields={"minimum_age": 16}), Case(metres_east=90_000)]
    for case in cases:
        opportunity(case)
    opportunity(Case(fields={"mode": "virtual"}, metres_east=50_000))
    client = Client()
    verified_login(client, pupil.user)
    for show_all in (False, True):
        expected = [
            r.opportunity_id for r in opportunities_reachable(pupil=pupil, today=f.TODAY, show_all=show_all)
        ]
        query = {"show_all": "1"} if show_all else {}
        page = client.get("/pupil/opportunities/", query)
        assert page.status_code == 200
        assert [r.opportunity.pk for r in page.context["results"]] == expected
        api = client.get("/api/v1/opportunities/reachable/", {"show_all": str(show_all).lower()})
        assert api.status_code == 200, api.content
        assert [o["id"] for o in api.json()["results"]] == expected
        assert all(o["can_apply"] for o in api.json()["results"]) is not show_all


def test_only_a_pupil_has_a_reachable_list(lcr_region: Any) -> None:
    client = Client()
    verified_login(client, f.SchoolStaffFactory.create().user)
    assert client.get("/api/v1/opportunities/reachable/").status_code == 403
