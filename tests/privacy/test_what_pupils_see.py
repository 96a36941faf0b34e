"""On the demo cohort, nothing a pupil is shown names a priority group the pupil is not in.

Every demo pupil signs in after both demo runs; their pages and API answers are read as they
would see them and checked against the ways a text could name each group.
"""

from __future__ import annotations

import pytest
from django.test import Client

from placements.models import Match, MatchRun, MatchStatus
from schools.models import DISADVANTAGE_FLAGS, Pupil
from tests.engine.test_disclosure import mentions
from tests.twofactor import verified_login

PUPIL_PAGES = ("/pupil/", "/pupil/choices/", "/api/v1/matches/", "/api/v1/applications/", "/api/v1/me/")

pytestmark = pytest.mark.slow


@pytest.mark.django_db
def test_no_pupil_is_told_of_a_group_they_are_not_in(demo_runs: list[MatchRun]) -> None:
    # Pupils see a match (and its explanation) once it is offered; unplaced pupils see why at once.
    stable = demo_runs[1]
    offered = Match.objects.filter(run=stable, status=MatchStatus.PROPOSED).update(status=MatchStatus.OFFERED)
    assert offered > 100
    pupils = list(Pupil.objects.select_related("user"))
    assert len(pupils) > 500
    client = Client()
    leaks = []
    for pupil in pupils:
        verified_login(client, pupil.user)
        outside = [flag for flag in DISADVANTAGE_FLAGS if not getattr(pupil, flag)]
        for path in PUPIL_PAGES:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            text = response.content.decode()
            leaks += [(pupil.pk, path, flag) for flag in outside if mentions(text, flag)]
    assert not leaks, leaks[:10]


@pytest.mark.django_db
def test_the_check_sees_a_group_named_on_a_page() -> None:
    """The phrases do find a group where one is written, so a clean result above means something."""
    assert mentions("Places went to care-experienced pupils first", "care_experienced")
    assert mentions("Free school meals pupils had priority", "fsm_or_pupil_premium")
