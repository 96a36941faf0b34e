"""A pupil's ranked applications: limits, deadline, eligibility, reorder, withdraw."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings

from employers.models import Opportunity
from placements.lifecycle.applications import application_reorder, application_submit, application_withdraw
from placements.lifecycle.exceptions import TransitionNotAllowed
from placements.models import Application
from schools.models import Pupil
from tests.factories import DEADLINE, WINDOW_START

from .conftest import NOW, World

AFTER_DEADLINE = dt.datetime.combine(DEADLINE + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)


def ranks(pupil: Pupil) -> list[tuple[int, int]]:
    return list(
        Application.objects.filter(pupil=pupil, status="active")
        .order_by("rank")
        .values_list("opportunity_id", "rank")
    )


def test_submissions_append_in_rank_order(world: World) -> None:
    pupil = world.pupil()
    first, second = world.opportunity_with(), world.opportunity_with()
    application_submit(pupil=pupil, opportunity=first, now=NOW)
    application_submit(pupil=pupil, opportunity=second, now=NOW)
    assert ranks(pupil) == [(first.pk, 1), (second.pk, 2)]


@override_settings(MOBILITY={**settings.MOBILITY, "MAX_APPLICATIONS": 2})
def test_the_configured_limit_holds(world: World) -> None:
    pupil = world.pupil()
    for _ in range(2):
        application_submit(pupil=pupil, opportunity=world.opportunity_with(), now=NOW)
    with pytest.raises(ValidationError, match="up to 2"):
        application_submit(pupil=pupil, opportunity=world.opportunity_with(), now=NOW)


def test_duplicates_are_refused(world: World) -> None:
    pupil = world.pupil()
    application_submit(pupil=pupil, opportunity=world.opportunity, now=NOW)
    with pytest.raises(ValidationError, match="already applied"):
        application_submit(pupil=pupil, opportunity=world.opportunity, now=NOW)


@pytest.mark.parametrize(
    ("pupil_fields", "opportunity_fields", "message"),
    [
        ({"parental_consent": "refused"}, {}, "refused consent"),
        ({"date_of_birth": WINDOW_START - dt.timedelta(days=13 * 365)}, {"minimum_age": 14}, "at least 14"),
        (
            {},
            {
                "starts_on": WINDOW_START + dt.timedelta(days=60),
                "ends_on": WINDOW_START + dt.timedelta(days=61),
            },
            "do not overlap",
        ),
        ({"year_group": 12}, {}, "do not overlap"),
        ({}, {"status": Opportunity.Status.DRAFT}, "not open"),
    ],
)
def test_ineligible_submissions_say_why(
    world: World, pupil_fields: dict[str, Any], opportunity_fields: dict[str, Any], message: str
) -> None:
    pupil = world.pupil(**pupil_fields)
    with pytest.raises(ValidationError, match=message) as error:
        application_submit(pupil=pupil, opportunity=world.opportunity_with(**opportunity_fields), now=NOW)
    assert "opportunity" in error.value.message_dict
    assert not Application.objects.filter(pupil=pupil).exists()


def test_nothing_after_the_deadline(world: World) -> None:
    with pytest.raises(ValidationError, match="Applications closed"):
        application_submit(pupil=world.pupil(), opportunity=world.opportunity, now=AFTER_DEADLINE)


def test_reorder_and_withdraw(world: World) -> None:
    pupil = world.pupil()
    apps = [application_submit(pupil=pupil, opportunity=world.opportunity_with(), now=NOW) for _ in range(3)]
    a, b, c = apps
    application_reorder(pupil=pupil, application_ids=[c.pk, a.pk, b.pk], now=NOW)
    assert ranks(pupil) == [(c.opportunity_id, 1), (a.opportunity_id, 2), (b.opportunity_id, 3)]
    application_withdraw(application=c)
    assert ranks(pupil) == [(a.opportunity_id, 1), (b.opportunity_id, 2)]
    with pytest.raises(TransitionNotAllowed):
        application_withdraw(application=c)
    # A withdrawn opportunity can be applied for again.
    application_submit(pupil=pupil, opportunity=c.opportunity, now=NOW)
    assert ranks(pupil)[-1] == (c.opportunity_id, 3)


def test_reorder_must_list_each_application_once(world: World) -> None:
    pupil = world.pupil()
    a = application_submit(pupil=pupil, opportunity=world.opportunity_with(), now=NOW)
    b = application_submit(pupil=pupil, opportunity=world.opportunity_with(), now=NOW)
    for bad in ([a.pk], [a.pk, a.pk], [a.pk, b.pk, 999999]):
        with pytest.raises(ValidationError):
            application_reorder(pupil=pupil, application_ids=bad, now=NOW)
    assert ranks(pupil) == [(a.opportunity_id, 1), (b.opportunity_id, 2)]


def test_reorder_closes_with_the_deadline(world: World) -> None:
    pupil = world.pupil()
    a = application_submit(pupil=pupil, opportunity=world.opportunity_with(), now=NOW)
    b = application_submit(pupil=pupil, opportunity=world.opportunity_with(), now=NOW)
    with pytest.raises(TransitionNotAllowed, match="Ranking closed"):
        application_reorder(pupil=pupil, application_ids=[b.pk, a.pk], now=AFTER_DEADLINE)
