"""Fares from dated data, the MIS import's checks and its all-or-nothing save, Benchmark 6."""

from __future__ import annotations

import datetime as dt

import pytest

from mobility.accounts.models import Role, User
from mobility.geography.fares import fare_for
from placements.models import MatchStatus
from placements.web.school_selectors import benchmark6
from schools import services
from schools.imports import import_preview
from schools.models import Pupil
from tests.web.world import WebWorld, build_world

DAY = dt.date(2027, 6, 14)


def test_young_people_pay_the_myticket_day_fare() -> None:
    fare = fare_for(age=15, care_experienced=False, day=DAY)
    assert fare is not None and fare.words == "£2.20 a day (MyTicket, the young person's all-day bus ticket)"


def test_care_leavers_travel_free_and_adults_pay_the_capped_single() -> None:
    assert fare_for(age=19, care_experienced=True, day=DAY).price_pence == 0  # type: ignore[union-attr]
    adult = fare_for(age=19, care_experienced=False, day=DAY)
    assert adult is not None and adult.words.startswith("£2.00 each way")
    assert fare_for(age=15, care_experienced=False, day=dt.date(2020, 1, 1)) is None  # no fare data then


@pytest.mark.django_db
def test_import_preview_reads_common_mis_headings_and_flags() -> None:
    preview = import_preview(
        "Forename,Surname,Email,Date of Birth,Year,Postcode,Pupil Premium,Looked After\n"
        "Amir,Khan,AMIR@School.test,2016-03-02,Y10,l18jq,yes,N\n"
    )
    assert preview.clean
    values = preview.rows[0].values
    assert values["email"] == "amir@school.test" and values["postcode"] == "L1 8JQ"
    assert values["year_group"] == 10 and values["fsm_or_pupil_premium"] and not values["care_experienced"]


@pytest.mark.django_db
def test_import_preview_reports_every_problem_by_row() -> None:
    preview = import_preview(
        "First name,Last name,Email,DOB,Year group,Postcode,SEND\n"
        "A,B,not-an-email,31/02/2016,15,L1 8JQ,maybe\n"
        ",C,c@school.test,01/01/2016,10,L1 8JQ,N\n"
    )
    assert not preview.clean
    first, second = preview.rows
    assert first.number == 2 and len(first.errors) == 4
    assert any("is not a valid email address" in e for e in first.errors)
    assert any("is not a date of birth" in e for e in first.errors)
    assert any("Unknown year group “15”" in e for e in first.errors)
    assert any("in send: use Y or N" in e for e in first.errors)
    assert second.errors == ["Enter a first name"]
    assert import_preview("Name,Email\nA,a@b.c\n").file_errors[0].startswith("The file has no column for:")


@pytest.mark.django_db
def test_import_saves_nothing_when_any_row_fails() -> None:
    world = build_world()
    text = (
        "First name,Last name,Email,DOB,Year,Postcode\n"
        "Amir,Khan,amir@school.test,02/03/2016,10,L1 8JQ\n"
        "Beth,Lee,beth@school.test,14/07/2016,10,L36 9GD\n"
    )
    assert import_preview(text, school=world.school).clean
    # Someone takes Beth's address between the check and the import.
    User.objects.create_user("beth@school.test", "x", first_name="Beth", role=Role.PUPIL)
    before = Pupil.objects.count()
    with pytest.raises(services.ImportFailed, match="Nothing was saved"):
        services.pupils_import(school=world.school, text=text, choices={}, actor=world.staff)
    assert Pupil.objects.count() == before
    assert not User.objects.filter(email="amir@school.test").exists()


@pytest.mark.django_db
def test_benchmark6_counts_confirmed_and_completed_by_disadvantage() -> None:
    world: WebWorld = build_world()  # Riley: free school meals
    opportunity = world.add_opportunity("Games studio week", capacity=3)
    world.match(world.pupil, opportunity, to=MatchStatus.APPROVED)  # not yet an experience
    world.match(world.add_pupil("Jordan"), opportunity, to=MatchStatus.CONFIRMED)
    world.add_pupil("Kim", year_group=12)
    rows = {r.year_group: r for r in benchmark6(school=world.school, reveal=True)}
    everyone, disadvantaged, others = rows[10].everyone, rows[10].disadvantaged, rows[10].others
    assert (everyone.pupils.value, everyone.with_experience.value, everyone.percent) == (2, 1, 50)
    assert (disadvantaged.pupils.value, disadvantaged.with_experience.value) == (1, 0)
    assert (others.pupils.value, others.with_experience.value) == (1, 1)
    assert rows[12].everyone.percent == 0
    # Anyone but an admin sees these small numbers suppressed.
    hidden = {r.year_group: r for r in benchmark6(school=world.school)}
    assert hidden[10].everyone.pupils.label == "fewer than 5" and hidden[10].everyone.percent is None
