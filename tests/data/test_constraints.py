"""Every database constraint turns away the bad row it exists for, whatever the code above it does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from employers.models import Opportunity
from mobility.accounts.models import Role
from placements.models import Application, MatchRun, MatchStatus, MatchStatusChange
from schools.models import WorkExperienceWindow
from tests.factories import (
    WINDOW_START,
    ApplicationFactory,
    MatchFactory,
    MatchRunFactory,
    OpportunityFactory,
    PupilFactory,
    SchoolFactory,
    UserFactory,
    WindowFactory,
)

pytestmark = pytest.mark.django_db


def rejects(action: Callable[[], object], constraint: str) -> None:
    """`action` fails in the database, naming `constraint`; the test's transaction stays usable."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        action()
    assert constraint in str(caught.value)


# Applications


def test_a_pupil_cannot_give_two_active_applications_the_same_rank() -> None:
    first = ApplicationFactory.create(rank=1)
    rejects(lambda: ApplicationFactory.create(pupil=first.pupil, rank=1), "application_unique_rank_per_pupil")


def test_a_withdrawn_application_frees_its_rank() -> None:
    first = ApplicationFactory.create(rank=1, status=Application.Status.WITHDRAWN)
    again = ApplicationFactory.create(pupil=first.pupil, rank=1)
    assert again.pk and again.rank == first.rank


def test_a_pupil_cannot_apply_twice_to_one_opportunity() -> None:
    first = ApplicationFactory.create()
    rejects(
        lambda: ApplicationFactory.create(pupil=first.pupil, opportunity=first.opportunity, rank=2),
        "application_unique_per_opportunity",
    )


def test_ranks_start_at_one() -> None:
    rejects(lambda: ApplicationFactory.create(rank=0), "application_rank_positive")


# Opportunities


def test_capacity_cannot_be_negative() -> None:
    rejects(lambda: OpportunityFactory.create(capacity=-1), "capacity")


def test_seats_taken_cannot_exceed_capacity_on_insert() -> None:
    rejects(lambda: OpportunityFactory.create(capacity=2, seats_taken=3), "opportunity_not_overfilled")


def test_seats_taken_cannot_exceed_capacity_on_update() -> None:
    opportunity = OpportunityFactory.create(capacity=2, seats_taken=2)
    rows = Opportunity.objects.filter(pk=opportunity.pk)
    rejects(lambda: rows.update(seats_taken=F("seats_taken") + 1), "opportunity_not_overfilled")
    rejects(lambda: rows.update(capacity=1), "opportunity_not_overfilled")


def test_an_opportunity_cannot_end_before_it_starts() -> None:
    rejects(
        lambda: OpportunityFactory.create(
            starts_on=WINDOW_START, ends_on=WINDOW_START - dt.timedelta(days=1)
        ),
        "opportunity_dates_ordered",
    )


@pytest.mark.parametrize("hours", ["0", "8.5"])
def test_daily_hours_stay_within_a_working_day(hours: str) -> None:
    rejects(lambda: OpportunityFactory.create(daily_hours=hours), "opportunity_daily_hours_range")


# Work-experience windows


def test_a_window_cannot_end_before_it_starts() -> None:
    rejects(
        lambda: WindowFactory.create(starts_on=WINDOW_START, ends_on=WINDOW_START - dt.timedelta(days=1)),
        "window_dates_ordered",
    )


def test_a_window_deadline_comes_before_it_starts() -> None:
    rejects(
        lambda: WindowFactory.create(application_deadline=WINDOW_START + dt.timedelta(days=1)),
        "window_deadline_before_start",
    )


def test_a_school_has_one_window_per_year_group_and_start() -> None:
    window = WindowFactory.create()
    rejects(lambda: WindowFactory.create(school=window.school), "window_unique_start")
    # A different year group the same week is fine.
    assert WindowFactory.create(school=window.school, year_group=12).pk
    assert WorkExperienceWindow.objects.filter(school=window.school).count() == 2


# Pupils and schools


@pytest.mark.parametrize("year_group", [6, 15])
def test_year_group_is_between_7_and_14(year_group: int) -> None:
    rejects(lambda: PupilFactory.create(year_group=year_group), "pupil_year_group_range")


@pytest.mark.parametrize("minutes", [4, 121])
def test_max_travel_is_between_5_and_120_minutes(minutes: int) -> None:
    rejects(lambda: PupilFactory.create(max_travel_minutes=minutes), "pupil_max_travel_range")


def test_a_urn_is_six_to_eight_digits() -> None:
    rejects(lambda: SchoolFactory.create(urn="AB1234"), "school_urn_digits")


# Users


@pytest.mark.parametrize("role", [Role.PUPIL, Role.EMPLOYER, Role.SCHOOL_STAFF, Role.ADVISER])
def test_only_admins_may_be_staff(role: str) -> None:
    rejects(lambda: UserFactory.create(role=role, is_staff=True), "user_only_admins_are_staff")


def test_an_admin_may_be_staff() -> None:
    assert UserFactory.create(admin=True).is_staff


def test_a_role_must_be_one_of_the_roles() -> None:
    rejects(lambda: UserFactory.create(role="wizard"), "user_role_valid")


# Matches


def test_a_pupil_holds_one_live_seat_at_a_time() -> None:
    held = MatchFactory.create(status=MatchStatus.APPROVED)
    for status in (MatchStatus.OFFERED, MatchStatus.ACCEPTED, MatchStatus.CONFIRMED):
        rejects(
            partial(MatchFactory.create, pupil=held.pupil, status=status), "match_one_live_seat_per_pupil"
        )


def test_a_completed_placement_does_not_block_the_next() -> None:
    done = MatchFactory.create(status=MatchStatus.COMPLETED)
    assert MatchFactory.create(pupil=done.pupil, status=MatchStatus.APPROVED).pk


def test_a_run_matches_a_pupil_once() -> None:
    match = MatchFactory.create()
    rejects(lambda: MatchFactory.create(run=match.run, pupil=match.pupil), "match_one_per_pupil_per_run")


def test_a_match_status_must_be_known() -> None:
    rejects(lambda: MatchFactory.create(status="maybe"), "match_status_valid")


def test_a_status_change_must_change_the_status() -> None:
    match = MatchFactory.create()
    rejects(
        lambda: MatchStatusChange.objects.create(
            match=match, from_status=MatchStatus.PROPOSED, to_status=MatchStatus.PROPOSED
        ),
        "status_change_changes",
    )


def test_run_progress_is_between_0_and_1() -> None:
    run = MatchRunFactory.create()
    rejects(lambda: MatchRun.objects.filter(pk=run.pk).update(progress=1.5), "match_run_progress_range")
