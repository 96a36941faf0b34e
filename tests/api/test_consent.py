"""A refused consent, recorded by the school, cancels the pupil's live placement (and no other)."""

from __future__ import annotations

from placements.models import Match, MatchStatus
from schools.models import ConsentStatus, Pupil

from .conftest import ApiWorld


def test_refused_consent_cancels_the_live_placement(api_world: ApiWorld) -> None:
    own, other = api_world.own.match, api_world.other.match  # both offered: they hold seats
    response = api_world.client("school_staff").post(
        f"/api/v1/pupils/{api_world.own.pupil.pk}/consent/", {"status": "refused"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["changed_match_ids"] == [own.pk]
    assert Match.objects.get(pk=own.pk).status == MatchStatus.CANCELLED
    assert Match.objects.get(pk=other.pk).status == MatchStatus.OFFERED
    assert Pupil.objects.get(pk=api_world.own.pupil.pk).parental_consent == ConsentStatus.REFUSED
    last = Match.objects.get(pk=own.pk).status_changes.order_by("-pk").first()
    assert last is not None and last.reason == "consent_refused"
