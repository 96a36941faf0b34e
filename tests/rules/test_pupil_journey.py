"""The pupil journey without dead ends: services and pages (the browser tests are in tests/web)."""

from __future__ import annotations

import datetime as dt

import pytest

from placements.lifecycle import services as lifecycle
from placements.models import Application, MatchStatus, UnplacedPupil
from tests import factories as f

from .conftest import WebAs, World

pytestmark = pytest.mark.django_db
S = MatchStatus
W = Application.WithdrawnReason


def test_declining_an_offer_closes_that_application(world: World) -> None:
    pupil = world.pupil()
    chosen = f.ApplicationFactory.create(pupil=pupil, opportunity=world.opportunity, rank=1)
    other = f.ApplicationFactory.create(pupil=pupil, opportunity=world.opportunity_with(), rank=2)
    match = world.match(pupil=pupil, to=S.EMPLOYER_CONFIRMED)
    lifecycle.match_pupil_decline(match_id=match.pk, actor=pupil.user, reason="changed_mind")
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert (chosen.status, chosen.withdrawn_reason) == ("withdrawn", W.OFFER_DECLINED)
    assert (other.status, other.rank) == ("active", 1)


def test_confirmation_closes_the_other_applications_with_the_reason(world: World, web_as: WebAs) -> None:
    pupil = world.pupil()
    f.ApplicationFactory.create(pupil=pupil, opportunity=world.opportunity, rank=1)
    elsewhere = world.opportunity_with(title="Second choice")
    other = f.ApplicationFactory.create(pupil=pupil, opportunity=elsewhere, rank=2)
    world.match(pupil=pupil, to=S.CONFIRMED)
    other.refresh_from_db()
    assert (other.status, other.withdrawn_reason) == ("withdrawn", W.PLACED)
    assert Application.objects.filter(pupil=pupil, status="active").count() == 1
    page = web_as(pupil.user).get("/pupil/choices/").content.decode()
    assert "Second choice" in page and "Your placement elsewhere is confirmed" in page


def test_the_offer_shows_its_answer_by_date(world: World, web_as: WebAs) -> None:
    match = world.match(to=S.EMPLOYER_CONFIRMED)
    page = web_as(match.pupil.user).get("/pupil/").content.decode()
    assert "Please answer by" in page and "the offer lapses and the place goes to another pupil" in page


def test_an_accepted_offer_awaiting_consent_is_not_called_confirmed(world: World, web_as: WebAs) -> None:
    match = world.match(pupil=world.pupil(parental_consent="requested"), to=S.ACCEPTED)
    page = web_as(match.pupil.user).get("/pupil/").content.decode()
    assert "waiting for your parent or carer" in page
    assert "Your placement is confirmed</h1>" not in page


def test_an_unplaced_pupil_sees_why_what_is_open_and_whom_to_ask(world: World, web_as: WebAs) -> None:
    pupil = world.pupil()
    f.ApplicationFactory.create(pupil=pupil, opportunity=world.opportunity)
    run = f.MatchRunFactory.create(region=world.school.local_authority.region)
    UnplacedPupil.objects.create(
        run=run, pupil=pupil, reason="FILLED", explanation="All 1 placement(s) on your list were filled."
    )
    page = web_as(pupil.user).get("/pupil/").content.decode()
    assert "You have not been placed yet" in page and "You have applied</h1>" not in page
    assert "were filled" in page
    assert "/pupil/opportunities/" in page  # the vacancy list
    assert world.adviser.user.email in page


def test_the_reflection_form_opens_on_the_first_day(world: World, web_as: WebAs) -> None:
    match = world.match(to=S.CONFIRMED)
    first_day = match.opportunity.starts_on
    client = web_as(match.pupil.user)
    from django.utils import timezone

    from placements.lifecycle.feedback import match_feedback_record

    # The service: refused the day before, accepted on the first day.
    before = timezone.make_aware(dt.datetime.combine(first_day - dt.timedelta(days=1), dt.time(12)))
    on = timezone.make_aware(dt.datetime.combine(first_day, dt.time(12)))
    from placements.lifecycle.exceptions import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        match_feedback_record(match_id=match.pk, actor=match.pupil.user, rating=4, comment="", now=before)
    match_feedback_record(match_id=match.pk, actor=match.pupil.user, rating=4, comment="Good", now=on)
    assert client.get("/pupil/").status_code == 200


def test_removing_a_choice_asks_first(world: World, web_as: WebAs) -> None:
    pupil = world.pupil()
    application = f.ApplicationFactory.create(pupil=pupil, opportunity=world.opportunity)
    client = web_as(pupil.user)
    asked = client.get(f"/pupil/choices/{application.pk}/withdraw/")
    assert asked.status_code == 200 and "Yes, remove it" in asked.content.decode()
    application.refresh_from_db()
    assert application.status == "active"
    assert client.post(f"/pupil/choices/{application.pk}/withdraw/").status_code == 302
    application.refresh_from_db()
    assert (application.status, application.withdrawn_reason) == ("withdrawn", W.REMOVED)


def test_search_shows_what_the_pupil_can_apply_for_with_a_way_to_see_the_rest(
    world: World, web_as: WebAs
) -> None:
    pupil = world.pupil()
    in_window = world.opportunity_with(title="In my week")
    outside = world.opportunity_with(
        title="Outside my week",
        starts_on=f.WINDOW_END + dt.timedelta(days=30),
        ends_on=f.WINDOW_END + dt.timedelta(days=32),
    )
    assert in_window.pk and outside.pk
    client = web_as(pupil.user)
    default = client.get("/pupil/opportunities/").content.decode()
    assert "In my week" in default and "Outside my week" not in default
    assert "Show all placements you can reach" in default
    everything = client.get("/pupil/opportunities/", {"show_all": "on", "max_minutes": "45"}).content.decode()
    assert "In my week" in everything and "Outside my week" in everything


def test_what_if_runs_do_not_tell_a_pupil_they_are_unplaced(world: World, web_as: WebAs) -> None:
    pupil = world.pupil()
    run = f.MatchRunFactory.create(
        region=world.school.local_authority.region, what_if=True, policy="max-coverage"
    )
    UnplacedPupil.objects.create(run=run, pupil=pupil, reason="FILLED", explanation="Filled.")
    page = web_as(pupil.user).get("/pupil/").content.decode()
    assert "You have not been placed yet" not in page
