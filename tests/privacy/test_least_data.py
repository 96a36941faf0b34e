"""Least data at each step, and a privacy notice reachable from every page."""

from __future__ import annotations

import pytest
from django.test import Client

from mobility.accounts.models import User
from mobility.audit.models import PupilRecordView
from placements.models import Match, MatchStatus
from tests.twofactor import verified_login
from tests.web.world import WebWorld, build_world

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def test_employer_sees_access_needs_only_after_acceptance_and_only_if_shared() -> None:
    world: WebWorld = build_world()
    match = world.match(world.pupil, world.add_opportunity("Games studio week"), to=MatchStatus.OFFERED)
    employer = signed_in(world.member)
    url = f"/employer/pupils/{match.pk}/"
    api_url = f"/api/v1/matches/{match.pk}/"

    def shows_needs() -> tuple[bool, bool]:
        page = "Needs a quiet space at lunch." in employer.get(url).content.decode()
        api = "access_needs" in employer.get(api_url).json()["pupil"]
        return page, api

    offered = employer.get(url).content.decode()
    assert "Riley" in offered and "Year 10" in offered and world.school.name in offered
    assert shows_needs() == (False, False)
    world.pupil.share_access_needs = True
    world.pupil.save()
    assert shows_needs() == (False, False)  # shared, but the pupil has not accepted yet
    assert not PupilRecordView.objects.filter(viewer=world.member).exists()
    Match.objects.filter(pk=match.pk).update(status=MatchStatus.ACCEPTED)
    assert shows_needs() == (True, True)
    places = set(PupilRecordView.objects.filter(viewer=world.member).values_list("place", flat=True))
    assert places == {"employer match page", "employer API match"}
    world.pupil.share_access_needs = False
    world.pupil.save()
    assert shows_needs() == (False, False)  # accepted, but not marked to share


def test_the_pupil_or_school_marks_access_needs_to_share() -> None:
    world: WebWorld = build_world()
    response = signed_in(world.pupil.user).patch(
        f"/api/v1/pupils/{world.pupil.pk}/", {"share_access_needs": True}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    world.pupil.refresh_from_db()
    assert world.pupil.share_access_needs is True


def test_the_privacy_notice_is_linked_from_every_page() -> None:
    world: WebWorld = build_world()
    anonymous = Client()
    notice = anonymous.get("/privacy/")
    assert notice.status_code == 200
    text = notice.content.decode()
    for words in (
        "What we hold",
        "Why",
        "Who sees it",
        "How long we keep it",
        "How to ask for it",
        "365 days",
    ):
        assert words in text
    pages = [(anonymous, "/accounts/login/"), (anonymous, "/privacy/")]
    pages += [(signed_in(world.staff), "/school/"), (signed_in(world.member), "/employer/")]
    pages += [(signed_in(world.adviser), "/adviser/"), (signed_in(world.pupil.user), "/pupil/")]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'href="/privacy/"' in response.content.decode(), url
