"""Young people outside school: ages a youth service may register, their own consent (no
parent's), their own windows, fares, and the lifecycle's consent step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mobility.accounts.models import User
from mobility.geography.travel import Traveller, journeys
from placements.lifecycle.applications import application_eligibility_problems
from placements.lifecycle.exceptions import ConsentRequired
from placements.lifecycle.services import match_accept, match_confirm
from placements.models import MatchStatus
from placements.reach import open_windows
from schools.models import Cohort, ConsentGiver, ConsentRecord, ConsentStatus, Pupil, WorkExperienceWindow
from schools.selectors import windows_overlapping
from schools.services import pupil_consent_record
from schools.youth_services import (
    young_person_age_problem,
    young_person_register,
    young_person_update,
    young_person_window_save,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def born(years_ago: int, today: dt.date, days: int = 0) -> dt.date:
    return today.replace(year=today.year - years_ago) - dt.timedelta(days=days)


def data(**over: object) -> dict[str, object]:
    today = timezone.localdate()
    values: dict[str, object] = {
        "first_name": "Jordan",
        "last_name": "Reid",
        "email": "jordan.reid@example.test",
        "date_of_birth": born(17, today),
        "cohort": Cohort.NEET,
        "consent_given": True,
        "consent_method": "phone",
        "postcode": "L6 1AL",
        "max_travel_minutes": 40,
    }
    values.update(over)
    return values


def register(**over: object) -> Pupil:
    """A young person registered by the worker of a new youth service, from ``data(**over)``."""
    worker = f.YouthWorkerFactory.create()
    return young_person_register(service=worker.school, actor=worker.user, data=data(**over))


@pytest.mark.parametrize(
    ("cohort", "years", "days", "ok"),
    [
        (Cohort.NEET, 16, 0, True),
        (Cohort.NEET, 18, 364, True),
        (Cohort.NEET, 15, 364, False),
        (Cohort.NEET, 19, 0, False),
        (Cohort.CARE_LEAVER, 25, 364, True),
        (Cohort.CARE_LEAVER, 26, 0, False),
        (Cohort.CARE_LEAVER, 15, 0, False),
        (Cohort.SCHOOL_PUPIL, 17, 0, False),
    ],
)
def test_age_rules(cohort: str, years: int, days: int, ok: bool) -> None:
    today = dt.date(2026, 11, 29)
    problem = young_person_age_problem(cohort=cohort, date_of_birth=born(years, today, days), today=today)
    assert (problem == "") is ok, problem


def test_register_with_own_consent_and_window() -> None:
    pupil = register(window_starts_on=f.WINDOW_START, window_ends_on=f.WINDOW_END)
    assert pupil.is_young_person and pupil.school.is_youth_service and pupil.year_group == 13
    assert not pupil.user.has_usable_password() and pupil.user.invitations.count() == 1
    record = ConsentRecord.objects.get(pupil=pupil)
    assert (record.status, record.given_by, record.parent_carer_name) == (
        ConsentStatus.GIVEN,
        ConsentGiver.YOUNG_PERSON,
        "",
    )
    assert pupil.parental_consent == ConsentStatus.GIVEN
    window = WorkExperienceWindow.objects.get(pupil=pupil)
    assert (window.starts_on, window.ends_on) == (f.WINDOW_START, f.WINDOW_END)


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"date_of_birth": born(19, timezone.localdate())}, "date_of_birth"),
        ({"cohort": Cohort.CARE_LEAVER, "date_of_birth": born(26, timezone.localdate())}, "date_of_birth"),
        ({"consent_given": False}, "consent_given"),
        ({"postcode": "ZZ99 9ZZ"}, "postcode"),
    ],
)
def test_register_refuses_bad_input_with_field_errors(over: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        register(**over)
    assert field in caught.value.message_dict


def test_register_refuses_a_taken_email() -> None:
    f.UserFactory.create(email="jordan.reid@example.test")
    with pytest.raises(ValidationError) as caught:
        register()
    assert "email" in caught.value.message_dict


def test_a_school_cannot_register_young_people() -> None:
    school = f.SchoolFactory.create()
    staff = f.SchoolStaffFactory.create(school=school)
    with pytest.raises(ValidationError):
        young_person_register(service=school, actor=staff.user, data=data())


def test_care_leaver_is_care_experienced_and_stays_so() -> None:
    pupil = register(cohort=Cohort.CARE_LEAVER, date_of_birth=born(22, timezone.localdate()))
    assert pupil.care_experienced and pupil.year_group == 14
    with pytest.raises(ValidationError):
        young_person_update(pupil=pupil, data={"care_experienced": False})
    young_person_update(pupil=pupil, data={"send": True, "postcode": "L1 8JQ"})
    pupil.refresh_from_db()
    assert pupil.send and pupil.postcode == "L1 8JQ"


def test_youth_worker_cannot_set_a_year_group() -> None:
    pupil = f.YoungPersonFactory.create()
    with pytest.raises(ValidationError) as caught:
        young_person_update(pupil=pupil, data={"year_group": 10})
    assert "year_group" in caught.value.message_dict


def _a_parent_says_yes(pupil: Pupil, actor: User, method: str) -> None:
    pupil_consent_record(
        pupil=pupil, status=ConsentStatus.GIVEN, method=method, parent_carer_name="A Parent", actor=actor
    )


def test_own_consent_never_names_a_parent() -> None:
    pupil = f.YoungPersonFactory.create()
    worker = f.YouthWorkerFactory.create(school=pupil.school)
    with pytest.raises(ValidationError) as caught:
        _a_parent_says_yes(pupil, worker.user, "phone")
    assert "parent_carer_name" in caught.value.message_dict
    pupil_consent_record(pupil=pupil, status=ConsentStatus.REFUSED, method="phone", actor=worker.user)
    assert ConsentRecord.objects.get(pupil=pupil).given_by == ConsentGiver.YOUNG_PERSON


def test_a_pupils_consent_is_still_a_parents() -> None:
    pupil = f.PupilFactory.create()
    staff = f.SchoolStaffFactory.create(school=pupil.school)
    _a_parent_says_yes(pupil, staff.user, "email")
    assert ConsentRecord.objects.get(pupil=pupil).given_by == ConsentGiver.PARENT_CARER


def test_own_windows_not_the_year_groups() -> None:
    pupil = f.YoungPersonFactory.create()
    # A year-group window at the service is not theirs; neither is another young person's.
    f.WindowFactory.create(school=pupil.school, year_group=pupil.year_group)
    f.OwnWindowFactory.create(pupil=f.YoungPersonFactory.create(school=pupil.school))
    assert open_windows(pupil=pupil, today=timezone.localdate()) == []
    own = f.OwnWindowFactory.create(pupil=pupil)
    assert open_windows(pupil=pupil, today=timezone.localdate()) == [own]
    assert list(windows_overlapping(pupil=pupil, starts_on=f.WINDOW_START, ends_on=f.WINDOW_START)) == [own]


def test_own_windows_do_not_overlap_or_start_in_the_past() -> None:
    pupil = f.YoungPersonFactory.create()
    young_person_window_save(pupil=pupil, data={"starts_on": f.WINDOW_START, "ends_on": f.WINDOW_END})
    with pytest.raises(ValidationError) as caught:
        young_person_window_save(pupil=pupil, data={"starts_on": f.WINDOW_END, "ends_on": f.WINDOW_END})
    assert "starts_on" in caught.value.message_dict
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        young_person_window_save(pupil=pupil, data={"starts_on": yesterday, "ends_on": yesterday})


def test_school_pupils_windows_are_unchanged() -> None:
    pupil = f.PupilFactory.create()
    window = f.WindowFactory.create(school=pupil.school)
    assert open_windows(pupil=pupil, today=timezone.localdate()) == [window]


@pytest.mark.parametrize(
    ("cohort", "age", "fare"),
    [
        (Cohort.NEET, 17, "lcr-myticket"),
        (Cohort.NEET, 18, "lcr-myticket"),
        (Cohort.CARE_LEAVER, 19, "lcr-care-leaver"),
        (Cohort.CARE_LEAVER, 17, "lcr-myticket"),
    ],
)
def test_fares_follow_age_and_care_leaving(cohort: str, age: int, fare: str) -> None:
    day = f.WINDOW_START
    pupil = register(cohort=cohort, date_of_birth=born(age, day, 1))
    assert pupil.age_on(day) == age
    traveller = Traveller(date_of_birth=pupil.date_of_birth, care_experienced=pupil.care_experienced)
    far = (pupil.grid_point[0] + 8000, pupil.grid_point[1])
    (journey,) = journeys(home=pupil.grid_point, trips=[(far, day)], traveller=traveller)
    assert journey.how == "bus" and journey.fare is not None and journey.fare.code == fare


def test_refused_own_consent_blocks_applying_in_their_own_words() -> None:
    pupil = f.YoungPersonFactory.create(parental_consent=ConsentStatus.REFUSED)
    f.OwnWindowFactory.create(pupil=pupil)
    problems = application_eligibility_problems(
        pupil=pupil, opportunity=f.OpportunityFactory.create(), today=timezone.localdate()
    )
    assert problems == ["You have refused consent for work experience."]


def _accepted_ready(pupil_consent: str) -> tuple[int, object]:
    pupil = f.YoungPersonFactory.create(
        parental_consent=pupil_consent,
        cohort=Cohort.CARE_LEAVER,
        care_experienced=True,
        date_of_birth=born(20, f.WINDOW_START),
    )
    f.ComplianceFactory.create(employer=(opportunity := f.OpportunityFactory.create()).employer)
    match = f.MatchFactory.create(pupil=pupil, opportunity=opportunity, status=MatchStatus.EMPLOYER_CONFIRMED)
    return match.pk, pupil


def test_an_adult_care_leaver_still_needs_their_own_consent() -> None:
    """An 18-plus school pupil needs nobody's consent; a young person outside school needs their own."""
    match_id, pupil = _accepted_ready(ConsentStatus.REQUESTED)
    match = match_accept(match_id=match_id, actor=pupil.user)  # type: ignore[attr-defined]
    assert match.status == MatchStatus.ACCEPTED
    worker = f.YouthWorkerFactory.create(school=pupil.school)  # type: ignore[attr-defined]
    with pytest.raises(ConsentRequired, match="own consent has not been recorded"):
        match_confirm(match_id=match_id, actor=worker.user)
    changed = pupil_consent_record(pupil=pupil, status=ConsentStatus.GIVEN, method="phone", actor=worker.user)  # type: ignore[arg-type]
    assert changed == [match_id]


def test_own_consent_on_file_confirms_on_accepting() -> None:
    match_id, pupil = _accepted_ready(ConsentStatus.GIVEN)
    match = match_accept(match_id=match_id, actor=pupil.user)  # type: ignore[attr-defined]
    assert match.status == MatchStatus.CONFIRMED
