"""The snapshot the engine sees is built right from the database, in a few queries."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from employers.models import ComplianceRecord, Opportunity
from mobility.geography.models import Region
from placements.engine import MODE_CODES, NO_DATE, Policy
from placements.engine.inputs import CONSENT_CODES, MatchInput
from placements.matching.selectors import match_input_build
from placements.models import Application, Match, MatchRun, MatchStatus
from schools.models import WorkExperienceWindow

from .conftest import HOME, LIVERPOOL, WIRRAL, MatchWorld

pytestmark = pytest.mark.django_db


def snapshot(world: MatchWorld, region: Region | None = None) -> MatchInput:
    return match_input_build(region=region or world.region, policy=Policy(), as_of=dt.date.today())


def proposed_run(world: MatchWorld) -> MatchRun:
    return MatchRun.objects.create(region=world.region, seed=1, status=MatchRun.Status.SUCCEEDED)


def test_pupil_fields_come_from_the_pupil_and_their_school(world: MatchWorld) -> None:
    school = world.school(la=WIRRAL)
    # A second window for the same year group, and one for another year group.
    WorkExperienceWindow.objects.create(
        school=school,
        year_group=10,
        starts_on=world.window_start + dt.timedelta(days=30),
        ends_on=world.window_start + dt.timedelta(days=34),
    )
    WorkExperienceWindow.objects.create(
        school=school,
        year_group=12,
        starts_on=world.window_start + dt.timedelta(days=7),
        ends_on=world.window_start + dt.timedelta(days=11),
    )
    born = dt.date(2011, 2, 28)
    pupil = world.pupil(
        school,
        at=(331234, 391234),
        interests=("retail", "digital"),
        date_of_birth=born,
        max_travel_minutes=30,
        needs_step_free_access=True,
        care_experienced=True,
        send=True,
    )
    plain = world.pupil(school)

    pupils = snapshot(world).pupils

    assert pupils.pupil_id.tolist() == [pupil.pk, plain.pk]
    assert pupils.la_code.tolist() == [WIRRAL, WIRRAL]  # the school's local authority
    assert pupils.birth_day[0] == born.toordinal()
    assert (pupils.easting[0], pupils.northing[0]) == (331234, 391234)
    assert pupils.max_travel_minutes.tolist() == [30, 45]
    assert pupils.needs_step_free.tolist() == [True, False]
    assert pupils.care_experienced.tolist() == [True, False]
    assert pupils.send.tolist() == [True, False]
    assert not pupils.fsm_or_pupil_premium.any() and not pupils.young_carer.any()
    assert pupils.year_group.tolist() == [10, 10]
    interests = pupils.interest_sector[pupils.interest_ptr[0] : pupils.interest_ptr[1]]
    assert sorted(interests.tolist()) == sorted([world.sectors["retail"].pk, world.sectors["digital"].pk])
    assert pupils.interest_ptr[2] == pupils.interest_ptr[1]  # the plain pupil has none
    # Only the two Year 10 windows, in date order, for each pupil.
    assert pupils.window_ptr.tolist() == [0, 2, 4]
    assert pupils.window_start[:2].tolist() == [
        world.window_start.toordinal(),
        (world.window_start + dt.timedelta(days=30)).toordinal(),
    ]
    assert pupils.window_end[0] == world.window_end.toordinal()
    assert (pupils.approved_opportunity_id == -1).all()


def test_applications_are_active_ones_in_rank_order(world: MatchWorld) -> None:
    school = world.school()
    pupil = world.pupil(school)
    first, second, third = (world.opportunity() for _ in range(3))
    applications = world.apply(pupil, third, first, second)
    withdrawn = applications[1]
    withdrawn.status = Application.Status.WITHDRAWN
    withdrawn.save()

    pupils = snapshot(world).pupils

    assert pupils.application_ptr.tolist() == [0, 2]
    assert pupils.application_opportunity_id.tolist() == [third.pk, second.pk]


def test_live_matches_are_fixed_and_seat_holding_ones_count_against_capacity(world: MatchWorld) -> None:
    school = world.school()
    fixed, completed, proposed, free = (world.pupil(school) for _ in range(4))
    opportunity = world.opportunity(capacity=5)
    run = proposed_run(world)
    Match.objects.create(run=run, pupil=fixed, opportunity=opportunity, status=MatchStatus.OFFERED)
    Match.objects.create(run=run, pupil=completed, opportunity=opportunity, status=MatchStatus.COMPLETED)
    Match.objects.create(run=run, pupil=proposed, opportunity=opportunity, status=MatchStatus.PROPOSED)
    other = proposed_run(world)
    Match.objects.create(run=other, pupil=free, opportunity=opportunity, status=MatchStatus.REJECTED)

    data = snapshot(world)

    by_pupil = dict(
        zip(data.pupils.pupil_id.tolist(), data.pupils.approved_opportunity_id.tolist(), strict=True)
    )
    assert by_pupil == {fixed.pk: opportunity.pk, completed.pk: -1, proposed.pk: -1, free.pk: -1}
    opps = data.opportunities
    assert opps.opportunity_id.tolist() == [opportunity.pk]
    # Offered and completed hold seats; proposed and rejected do not.
    assert opps.seats_taken.tolist() == [2]
    assert opps.capacity.tolist() == [5]


def test_opportunity_fields_and_employer_documents(world: MatchWorld) -> None:
    school = world.school()
    world.pupil(school)
    compliant = world.opportunity(sector="digital", at=(336000, 391000), step_free=False, minimum_age=15)
    virtual = world.opportunity(sector="retail", mode=Opportunity.Mode.VIRTUAL, la=WIRRAL)
    undocumented = world.opportunity(employer=world.employer(compliant=False), sector="health")
    record = ComplianceRecord.objects.get(employer=compliant.employer)

    opps = snapshot(world).opportunities

    assert opps.opportunity_id.tolist() == [compliant.pk, virtual.pk, undocumented.pk]
    assert (opps.easting[0], opps.northing[0]) == (336000, 391000)
    assert opps.step_free.tolist() == [False, True, True]
    assert opps.min_age[0] == 15
    assert opps.mode.tolist() == [MODE_CODES["in_person"], MODE_CODES["virtual"], MODE_CODES["in_person"]]
    assert opps.sector_id[0] == world.sectors["digital"].pk
    assert opps.is_growth_sector.tolist() == [True, False, False]  # digital is the region's growth sector
    assert opps.la_code.tolist() == [LIVERPOOL, WIRRAL, LIVERPOOL]
    assert opps.start_day[0] == world.window_start.toordinal()
    assert opps.end_day[0] == world.window_end.toordinal()
    assert opps.published.all()
    assert record.insurance_expires_on is not None
    assert opps.insurance_valid_until[0] == record.insurance_expires_on.toordinal()
    valid_for = settings.MOBILITY["RISK_ASSESSMENT_VALID_FOR"]
    assert opps.risk_assessment_valid_until[0] == (record.risk_assessment_on + valid_for).toordinal()
    assert opps.insurance_valid_until[2] == NO_DATE
    assert opps.risk_assessment_valid_until[2] == NO_DATE


def test_which_opportunities_are_in_the_snapshot(world: MatchWorld) -> None:
    school = world.school()
    pupil = world.pupil(school)
    elsewhere = Region.objects.create(code="gm", name="Greater Manchester")
    open_here = world.opportunity()
    far_away = world.opportunity(la="E08000003")  # Manchester: not one of the region's authorities
    remote = world.opportunity(la="E08000003", mode=Opportunity.Mode.VIRTUAL)
    draft = world.opportunity(status=Opportunity.Status.DRAFT)
    ended = world.opportunity(
        starts_on=dt.date.today() - dt.timedelta(days=9), ends_on=dt.date.today() - dt.timedelta(days=5)
    )
    applied_draft = world.opportunity(status=Opportunity.Status.DRAFT)
    world.apply(pupil, applied_draft)

    opps = snapshot(world).opportunities

    ids = opps.opportunity_id.tolist()
    assert set(ids) == {open_here.pk, remote.pk, applied_draft.pk}
    assert far_away.pk not in ids and draft.pk not in ids and ended.pk not in ids
    # The draft a pupil applied to is there so the engine can explain why it was not offered.
    assert opps.published[ids.index(applied_draft.pk)] == np.False_
    assert len(snapshot(world, elsewhere).pupils) == 0


def test_which_pupils_are_in_the_snapshot(world: MatchWorld) -> None:
    with_window = world.school()
    without_window = world.school(window=False)
    in_scope = world.pupil(with_window)
    other_year = world.pupil(with_window, year_group=12)  # no Year 12 window
    no_window = world.pupil(without_window)
    applied = world.pupil(without_window)
    world.apply(applied, world.opportunity())
    past = world.school(window=False)
    WorkExperienceWindow.objects.create(
        school=past,
        year_group=10,
        starts_on=dt.date.today() - dt.timedelta(days=30),
        ends_on=dt.date.today() - dt.timedelta(days=26),
    )
    finished = world.pupil(past)

    ids = snapshot(world).pupils.pupil_id.tolist()

    assert ids == [in_scope.pk, applied.pk]
    assert {other_year.pk, no_window.pk, finished.pk}.isdisjoint(ids)


def test_query_count_does_not_grow_with_pupils(world: MatchWorld) -> None:
    school = world.school()
    opportunities = [world.opportunity(capacity=3) for _ in range(4)]

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            snapshot(world)
        return len(queries)

    pupil = world.pupil(school, interests=("digital",))
    world.apply(pupil, *opportunities[:2])
    few = count_queries()
    for i in range(25):
        more = world.pupil(school, interests=("digital", "retail"), at=(HOME[0] + 100 * i, HOME[1]))
        world.apply(more, *opportunities[i % 2 :])
    many = count_queries()

    assert many == few
    assert few == 10  # a fixed handful of queries, whatever the number of pupils


def test_consent_answers_reach_the_snapshot(world: MatchWorld) -> None:
    school = world.school()
    answers = ["not_requested", "requested", "given", "refused"]
    pupils = [world.pupil(school, parental_consent=answer) for answer in answers]
    data = snapshot(world)
    by_id = dict(zip(data.pupils.pupil_id.tolist(), data.pupils.consent.tolist(), strict=True))
    assert [by_id[p.pk] for p in pupils] == [CONSENT_CODES[a] for a in answers]
