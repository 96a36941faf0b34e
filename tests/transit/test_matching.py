"""A match run's input carries timetable minutes; eligibility and suggestions use them."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from employers.models import Opportunity
from mobility.accounts.models import User
from mobility.geography.models import Region
from placements.engine import Policy, run_match
from placements.engine.eligibility import Reason, check_pairs
from placements.matching.results import match_values
from placements.matching.selectors import match_input_build
from schools.models import Pupil
from tests.factories import (
    TODAY,
    ApplicationFactory,
    ComplianceFactory,
    OpportunityFactory,
    PupilFactory,
    WindowFactory,
)
from tests.twofactor import verified_login

from .test_commands import ANFIELD, LIME_STREET, city_feed

pytestmark = pytest.mark.django_db


FEED_END = f"{TODAY.year + 1}1231"  # services run past the placement week, whatever the tests' today


def _world(region: Region) -> tuple[int, int]:
    pupil = PupilFactory.create(postcode=LIME_STREET.postcode)
    WindowFactory.create(school=pupil.school)
    opportunity = OpportunityFactory.create(site__postcode=ANFIELD.postcode)
    ComplianceFactory.create(employer=opportunity.employer)
    return pupil.pk, opportunity.pk


def _pair(region: Region) -> tuple[int, float, str]:
    data = match_input_build(region=region, policy=Policy(), as_of=TODAY)
    p = np.array([0])
    o = np.array([0])
    reason, minutes = check_pairs(data.pupils, data.opportunities, p, o, data.policy.travel)
    timetable = data.policy.travel.timetable
    return int(reason[0]), float(minutes[0]), "" if timetable is None else timetable.label


def _import(feed_dir: Path) -> None:
    call_command("import_gtfs", str(feed_dir), stdout=StringIO())


def test_timetable_minutes_replace_the_estimate_where_the_feed_covers_the_pair(
    lcr_region: Region, tmp_path: Path
) -> None:
    _world(lcr_region)
    reason, estimate, source = _pair(lcr_region)
    assert (reason, source) == (Reason.ELIGIBLE, "")
    feed = city_feed()
    feed.calendar[0]["end_date"] = FEED_END
    _import(feed.write(tmp_path / "city"))
    reason, minutes, source = _pair(lcr_region)
    assert reason == Reason.ELIGIBLE
    assert "City Buses" in source
    assert minutes != estimate and 20 < minutes < 45


def test_no_bus_in_time_puts_a_near_placement_out_of_reach(lcr_region: Region, tmp_path: Path) -> None:
    _world(lcr_region)
    feed = city_feed()
    feed.calendar[0]["end_date"] = FEED_END
    feed.stop_times = [r for r in feed.stop_times if r["trip_id"] == "t0"]
    feed.trips = [t for t in feed.trips if t["trip_id"] == "t0"]
    for row in feed.stop_times:  # the only bus now arrives at 09:18
        row["arrival_time"] = row["departure_time"] = (
            row["departure_time"].replace("07:", "09:").replace("08:", "10:")
        )
    _import(feed.write(tmp_path / "late"))
    reason, minutes, _ = _pair(lcr_region)
    assert minutes == np.inf
    assert reason == Reason.TOO_FAR


def test_a_feed_without_services_on_the_first_day_leaves_the_estimate(
    lcr_region: Region, tmp_path: Path
) -> None:
    _world(lcr_region)
    _, estimate, _ = _pair(lcr_region)
    feed = city_feed()
    feed.calendar[0]["end_date"] = "20260101"  # over before the placement starts
    _import(feed.write(tmp_path / "old"))
    reason, minutes, _ = _pair(lcr_region)
    assert (reason, minutes) == (Reason.ELIGIBLE, estimate)


def test_the_pupil_sees_the_legs_and_the_source(lcr_region: Region, tmp_path: Path) -> None:
    pupil_pk, opportunity_pk = _world(lcr_region)
    client = Client()
    verified_login(client, User.objects.get(pupil=Pupil.objects.get(pk=pupil_pk)))
    page = reverse("pupil:opportunity", args=[opportunity_pk])
    text = client.get(page).content.decode()
    assert "Estimated from the distance, because no timetable has been imported." in text
    feed = city_feed(agency="DEMO timetables, not real")
    feed.calendar[0]["end_date"] = FEED_END
    _import(feed.write(tmp_path / "demo"))
    text = client.get(page).content.decode()
    assert 'data-travel-source="timetable"' in text
    assert "Bus 26 from Lime Street Bus Stop at" in text
    assert "These are demo timetables, not real ones." in text


def test_run_explanations_say_where_the_travel_time_came_from(lcr_region: Region, tmp_path: Path) -> None:
    feed = city_feed(agency="DEMO timetables, not real")
    feed.calendar[0]["end_date"] = FEED_END
    _import(feed.write(tmp_path / "demo"))
    near_pk, opportunity_pk = _world(lcr_region)
    opportunity = Opportunity.objects.get(pk=opportunity_pk)
    ApplicationFactory.create(pupil=Pupil.objects.get(pk=near_pk), opportunity=opportunity)
    # Near the same site, but with no stop of this feed within a kilometre of home.
    far = PupilFactory.create(postcode="L6 4AP", school=Pupil.objects.get(pk=near_pk).school)
    ApplicationFactory.create(pupil=far, opportunity=opportunity)
    data = match_input_build(region=lcr_region, policy=Policy(seed=1), as_of=TODAY)
    assert data.policy.travel.timetable is not None
    explanations = {row[0]: row[8] for row in match_values(data=data, result=run_match(data))}
    assert explanations[near_pk].endswith("Travel time from the timetable (demo timetables, not real ones).")
    assert explanations[far.pk].endswith("Travel time estimated from distance.")


@pytest.mark.django_db(transaction=True)
def test_a_run_after_an_import_caches_its_journeys(lcr_region: Region, tmp_path: Path) -> None:
    """As in a worker: the snapshot is the outermost transaction, and the journeys it works
    out for the first time are stored for the next run."""
    from mobility.transit.models import JourneyMatrix
    from placements.matching import services

    feed = city_feed()
    feed.calendar[0]["end_date"] = FEED_END
    _import(feed.write(tmp_path / "city"))
    near_pk, opportunity_pk = _world(lcr_region)
    ApplicationFactory.create(pupil=Pupil.objects.get(pk=near_pk), opportunity_id=opportunity_pk)
    assert JourneyMatrix.objects.count() == 0
    created = services.match_run_create(region=lcr_region, seed=1)

    run = services.match_run_execute(run_id=created.pk)

    assert run is not None and run.status == "succeeded", run and run.error
    assert JourneyMatrix.objects.count() == 1
