"""In the admin, a match moves only through the lifecycle: its fields are read-only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from employers.models import Opportunity
from mobility.accounts.models import Role
from placements.models import Match, MatchStatus, MatchStatusChange
from tests import factories as f
from tests.twofactor import verified_login

from .conftest import World

pytestmark = pytest.mark.django_db
S = MatchStatus


@pytest.fixture
def admin_client(world: World) -> Client:
    user = f.UserFactory.create(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = Client()
    verified_login(client, user)
    return client


def test_an_admin_post_cannot_move_a_match_its_seat_or_its_history(
    world: World, admin_client: Client
) -> None:
    match = world.match(to=S.CONFIRMED)
    elsewhere = world.opportunity_with(capacity=3)
    other_pupil = world.pupil()
    history = list(match.status_changes.values_list("pk", "to_status"))
    answer = admin_client.post(
        reverse("admin:placements_match_change", args=[match.pk]),
        {
            "run": match.run_id,
            "pupil": other_pupil.pk,
            "opportunity": elsewhere.pk,
            "status": S.PROPOSED,
            "score": "0",
            "status_changes-TOTAL_FORMS": "1",
            "status_changes-INITIAL_FORMS": "0",
            "status_changes-0-from_status": S.CONFIRMED,
            "status_changes-0-to_status": S.CANCELLED,
        },
    )
    assert answer.status_code in (200, 302, 403)
    match.refresh_from_db()
    assert (match.pupil_id, match.opportunity_id, match.status) != (other_pupil.pk, elsewhere.pk, S.PROPOSED)
    assert (match.opportunity_id, match.status) == (world.opportunity.pk, S.CONFIRMED)
    assert list(match.status_changes.values_list("pk", "to_status")) == history
    # No history row can be added, changed or deleted by hand either.
    change = match.status_changes.first()
    assert change is not None
    assert admin_client.post(reverse("admin:placements_matchstatuschange_add"), {}).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:placements_matchstatuschange_change", args=[change.pk]), {"to_status": S.CANCELLED}
        ).status_code
        == 403
    )
    assert admin_client.post(reverse("admin:placements_match_add"), {}).status_code == 403


def test_an_admin_post_cannot_set_seats_taken(world: World, admin_client: Client) -> None:
    o = world.opportunity
    # The admin form also names the employer, and tries to set the seats taken.
    data = f.opportunity_form(o, employer=o.employer_id, seats_taken=2, daily_hours="7", minimum_age=14)
    admin_client.post(reverse("admin:employers_opportunity_change", args=[o.pk]), data)
    assert Opportunity.objects.get(pk=o.pk).seats_taken == 0


def test_admin_actions_go_through_the_lifecycle(world: World, admin_client: Client) -> None:
    match = world.match()
    changelist = reverse("admin:placements_match_changelist")
    for action, status in (("approve_matches", S.APPROVED), ("offer_matches", S.OFFERED)):
        admin_client.post(changelist, {"action": action, "_selected_action": [match.pk]})
        match.refresh_from_db()
        assert match.status == status
    world.opportunity.refresh_from_db()
    assert world.opportunity.seats_taken == 1
    admin_client.post(changelist, {"action": "cancel_matches", "_selected_action": [match.pk]})
    match.refresh_from_db()
    world.opportunity.refresh_from_db()
    assert (match.status, world.opportunity.seats_taken) == (S.CANCELLED, 0)
    rows = list(MatchStatusChange.objects.filter(match=match).values_list("to_status", flat=True))
    assert rows == [S.APPROVED, S.OFFERED, S.CANCELLED]


def test_an_admin_action_refused_by_the_lifecycle_says_why(world: World, admin_client: Client) -> None:
    match = world.match(to=S.CONFIRMED)
    page = admin_client.post(
        reverse("admin:placements_match_changelist"),
        {"action": "approve_matches", "_selected_action": [match.pk]},
        follow=True,
    )
    assert "cannot be approved now" in page.content.decode()
    assert Match.objects.get(pk=match.pk).status == S.CONFIRMED
