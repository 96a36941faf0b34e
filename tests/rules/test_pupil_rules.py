"""A pupil's age must fit the year group, a year either side: the CSV import, the staff form and
the API give one verdict, from the one rule on the model."""

from __future__ import annotations

import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from schools.models import Pupil
from tests.rules.conftest import ApiAs, WebAs, World

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)

# The frozen clock is in the school year that began in September 2030: Year 10 was 14 on 31 August.
AGE_CASES: dict[str, tuple[int, str, bool]] = {
    "fits Year 10": (10, "2016-03-01", True),
    "a year older than Year 10": (10, "2015-03-01", True),
    "a year younger than Year 10": (10, "2017-08-31", True),
    "two years older than Year 10": (10, "2014-08-31", False),
    "born in 2020, in Year 10": (10, "2020-05-01", False),
    "fits Year 12": (12, "2014-03-01", True),
    "Year 7 age in Year 12": (12, "2019-01-01", False),
}


def _values(year: int, born: str) -> dict[str, str | int]:
    n = next(_serial)
    return {
        "first_name": f"Parity{n}",
        "last_name": "Pupil",
        "email": f"parity{n}@rules.test",
        "date_of_birth": born,
        "year_group": year,
        "postcode": "L1 8JQ",
    }


@pytest.mark.parametrize("case", AGE_CASES, ids=str)
def test_age_for_the_year_group_gives_one_verdict(
    world: World, web_as: WebAs, api_as: ApiAs, case: str
) -> None:
    year, born, valid = AGE_CASES[case]
    staff = world.staff.user
    expects = f"Year {year} expects pupils aged {year + 4} on 31 August 2030"
    before = Pupil.objects.count()

    # The CSV import: a row error in the preview, and no way to confirm it.
    csv = _values(year, born)
    text = ",".join(csv) + "\n" + ",".join(str(v) for v in csv.values()) + "\n"
    client = web_as(staff)
    preview = client.post(
        "/school/pupils/import/", {"file": SimpleUploadedFile("p.csv", text.encode(), "text/csv")}
    )
    assert (expects in preview.text) is not valid, preview.text[:300]
    client.post("/school/pupils/import/confirm/", {"token": preview.context["token"] or "none"})

    # The staff form.
    page = web_as(staff).post("/school/pupils/add/", _values(year, born))
    assert (page.status_code == 302) is valid
    if not valid:
        assert expects in page.text

    # The API.
    answer = api_as(staff).post("/api/v1/pupils/", {**_values(year, born), "school": world.school.pk})
    assert answer.status_code == (201 if valid else 400), answer.content
    if not valid:
        assert expects in str(answer.json()["date_of_birth"])
    assert Pupil.objects.count() == before + (3 if valid else 0)


def test_moving_a_pupil_to_a_year_group_that_does_not_fit_is_refused(world: World, api_as: ApiAs) -> None:
    pupil = world.pupil(year_group=10)  # 14 on 31 August 2030
    answer = api_as(world.staff.user).patch(f"/api/v1/pupils/{pupil.pk}/", {"year_group": 13}, format="json")
    assert answer.status_code == 400
    assert "Year 13 expects pupils aged 17" in str(answer.json()["year_group"])
    assert (
        api_as(world.staff.user)
        .patch(f"/api/v1/pupils/{pupil.pk}/", {"year_group": 11}, format="json")
        .status_code
        == 200
    )


def test_the_same_person_is_refused_by_the_form_and_the_api(
    world: World, web_as: WebAs, api_as: ApiAs
) -> None:
    values = _values(10, "2016-03-01")
    assert web_as(world.staff.user).post("/school/pupils/add/", values).status_code == 302
    again = {**values, "email": "another@rules.test", "first_name": f" {values['first_name']} ".upper()}
    page = web_as(world.staff.user).post("/school/pupils/add/", again)
    assert page.status_code == 200 and "is already a pupil at your school" in page.text
    answer = api_as(world.staff.user).post("/api/v1/pupils/", {**again, "school": world.school.pk})
    assert answer.status_code == 400 and "is already a pupil at your school" in str(answer.json())
