"""Adviser pages use the adviser's words, not the engine's codes or the pupil's sentences."""

from __future__ import annotations

import pytest

from placements.lifecycle import services as lifecycle
from placements.lifecycle.refill import opportunity_refill
from placements.models import MatchStatus
from tests import factories as f

from .conftest import WebAs, World

pytestmark = pytest.mark.django_db
S = MatchStatus


def test_the_review_queue_names_groups_and_choices_in_words(world: World, web_as: WebAs) -> None:
    pupil = world.pupil(care_experienced=True)
    match = world.match(pupil=pupil)
    match.priority_tier, match.rank = 0, 2
    match.explanation = "Your choice number 2. Your first choice was full."
    match.save()
    unflagged = world.match()
    unflagged.priority_tier = 3
    unflagged.save()
    page = web_as(world.adviser.user).get(f"/adviser/runs/{world.run.pk}/").content.decode()
    assert "Priority group: care-experienced" in page
    assert "No priority group" in page
    assert "Group 4" not in page and "group 4" not in page
    assert "The pupil&#x27;s choice 2" in page or "The pupil's choice 2" in page
    assert "What the pupil is told" in page  # the pupil's sentence is labelled as such


def test_run_lists_say_what_each_policy_means(world: World, web_as: WebAs) -> None:
    f.MatchRunFactory.create(region=world.run.region, policy="max-coverage", what_if=True)
    page = web_as(world.adviser.user).get("/adviser/").content.decode()
    assert "Stable matching" in page and "Most pupils placed (comparison only)" in page
    assert ">max-coverage<" not in page and ">stable<" not in page


def test_a_refill_run_page_explains_itself_instead_of_empty_figures(world: World, web_as: WebAs) -> None:
    applicant = world.pupil()
    f.ApplicationFactory.create(pupil=applicant, opportunity=world.opportunity)
    holder = world.match(to=S.OFFERED)
    lifecycle.match_cancel(match_id=holder.pk, actor=world.adviser.user, reason="other", note="x")
    (made,) = opportunity_refill(opportunity_id=world.opportunity.pk, run_id=holder.run_id)
    page = web_as(world.adviser.user).get(f"/adviser/runs/{made.run_id}/").content.decode()
    assert "A place came free" in page and "Re-offer of a freed place" in page
    assert "None of None" not in page and "Pupils placed" not in page
