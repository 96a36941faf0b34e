"""Each record rule lives in the model or the service: the web form and the API give the same verdict."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from employers.models import Opportunity, Site
from schools.models import WorkExperienceWindow
from tests import factories as f

from .conftest import ApiAs, WebAs, World

pytestmark = pytest.mark.django_db
TODAY = f.TODAY
MONDAY = TODAY + dt.timedelta(days=14 - TODAY.weekday())


def _opportunity(world: World, **changes: Any) -> dict[str, Any]:
    values = {
        "title": "Software week",
        "description": "Build a small app.",
        "sector": world.opportunity.sector,
        "site": world.opportunity.site_id,
        "mode": "in_person",
        "capacity": 2,
        "starts_on": MONDAY,
        "ends_on": MONDAY + dt.timedelta(days=4),
        "daily_hours": "7",
        "minimum_age": 14,
        "accessibility": "",
    }
    values.update(changes)
    return values


OPPORTUNITY_CASES: dict[str, tuple[dict[str, Any], bool]] = {
    "valid": ({}, True),
    "starts yesterday": ({"starts_on": TODAY - dt.timedelta(days=1)}, False),
    "starts in 19 months": (
        {"starts_on": TODAY + dt.timedelta(days=580), "ends_on": TODAY + dt.timedelta(days=581)},
        False,
    ),
    "eleven working days": ({"ends_on": MONDAY + dt.timedelta(days=15)}, False),
    "ten working days": ({"ends_on": MONDAY + dt.timedelta(days=11)}, True),
    "year 1": ({"starts_on": dt.date(1, 1, 1)}, False),
    "description too long": ({"description": "x" * 4001}, False),
    "accessibility too long": ({"accessibility": "x" * 2001}, False),
    "virtual without a site": ({"mode": "virtual", "site": None}, True),
    "in person without a site": ({"site": None}, False),
}


@pytest.mark.parametrize("case", OPPORTUNITY_CASES, ids=str)
def test_opportunity_rules_give_one_verdict(world: World, web_as: WebAs, api_as: ApiAs, case: str) -> None:
    changes, valid = OPPORTUNITY_CASES[case]
    values = _opportunity(world, **changes)
    before = Opportunity.objects.count()
    form = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in values.items()}
    form.update(status="draft", starts_on=str(values["starts_on"]), ends_on=str(values["ends_on"]))
    page = web_as(world.member).post("/employer/opportunities/new/", form)
    assert (page.status_code == 302) is valid, page.content.decode()[:200]
    body = {
        k: (v.slug if k == "sector" else str(v) if isinstance(v, dt.date) else v) for k, v in values.items()
    }
    answer = api_as(world.member).post("/api/v1/opportunities/", body, format="json")
    assert (answer.status_code == 201) is valid, answer.content
    assert answer.status_code in (201, 400)
    assert Opportunity.objects.count() == before + (2 if valid else 0)


WINDOW_CASES: dict[str, tuple[dict[str, Any], bool]] = {
    "valid": ({"starts_on": f.WINDOW_END + dt.timedelta(days=30)}, True),
    "in the past": ({"starts_on": TODAY - dt.timedelta(days=7)}, False),
    "overlapping the school's week": ({"starts_on": f.WINDOW_START + dt.timedelta(days=2)}, False),
    "another year group": ({"starts_on": f.WINDOW_START + dt.timedelta(days=2), "year_group": 12}, True),
}


@pytest.mark.parametrize("case", WINDOW_CASES, ids=str)
def test_window_rules_give_one_verdict(world: World, web_as: WebAs, api_as: ApiAs, case: str) -> None:
    changes, valid = WINDOW_CASES[case]
    start = changes["starts_on"]
    year = changes.get("year_group", 10)
    values = {"year_group": year, "starts_on": str(start), "ends_on": str(start + dt.timedelta(days=4))}
    before = WorkExperienceWindow.objects.count()
    page = web_as(world.staff.user).post("/school/windows/", values)
    assert (page.status_code == 302) is valid, page.content.decode()[:200]
    if valid:  # the same week again would now overlap; try the API on the next year group up
        values["year_group"] = year + 1
    answer = api_as(world.staff.user).post("/api/v1/windows/", {**values, "school": world.school.pk})
    assert (answer.status_code == 201) is valid, answer.content
    assert answer.status_code in (201, 400)
    assert WorkExperienceWindow.objects.count() == before + (2 if valid else 0)


SITE_CASES = {"L2 2DH": True, "SW1A 1AA": False}


@pytest.mark.parametrize("postcode", SITE_CASES)
def test_sites_outside_the_served_regions_are_refused_the_same_way(
    world: World, web_as: WebAs, api_as: ApiAs, postcode: str
) -> None:
    valid = SITE_CASES[postcode]
    values = {"name": "Office", "address": "1 Street", "postcode": postcode, "step_free_access": "on"}
    before = Site.objects.count()
    page = web_as(world.member).post("/employer/sites/new/", values)
    assert (page.status_code == 302) is valid
    if not valid:
        assert "outside the areas this service covers" in page.content.decode()
    answer = api_as(world.member).post("/api/v1/sites/", {**values, "step_free_access": True}, format="json")
    assert (answer.status_code == 201) is valid, answer.content
    if not valid:
        assert "outside the areas this service covers" in str(answer.json()["postcode"])
    assert Site.objects.count() == before + (2 if valid else 0)


ASSESSMENT_CASES = {
    "yesterday": (TODAY - dt.timedelta(days=1), True),
    "tomorrow": (TODAY + dt.timedelta(days=1), False),
}


@pytest.mark.parametrize("case", ASSESSMENT_CASES)
def test_an_assessment_date_cannot_be_in_the_future(
    world: World, web_as: WebAs, api_as: ApiAs, case: str
) -> None:
    day, valid = ASSESSMENT_CASES[case]
    record = world.employer.compliance
    values = {
        "insurer": record.insurer,
        "insurance_policy_number": record.insurance_policy_number,
        "insurance_expires_on": str(record.insurance_expires_on),
        "risk_assessment_on": str(day),
        "supervisor_name": record.supervisor_name,
        "supervisor_role": record.supervisor_role,
        "safeguarding_checks": "",
    }
    page = web_as(world.member).post("/employer/compliance/", values)
    assert (page.status_code == 302) is valid
    answer = api_as(world.member).patch(f"/api/v1/compliance/{record.pk}/", values, format="json")
    assert (answer.status_code == 200) is valid, answer.content
    record.refresh_from_db()
    assert (record.risk_assessment_on == day) is valid
