"""The adviser's bulk decisions through the API: each id moves or fails on its own."""

from __future__ import annotations

from placements.lifecycle.exceptions import CapacityConflict
from placements.models import Match, MatchStatus
from tests import factories as f

from .conftest import ApiWorld


def proposals(world: ApiWorld, capacity: int, count: int) -> list[Match]:
    opportunity = f.OpportunityFactory.create(
        employer=world.own.employer, site=world.own.site, capacity=capacity
    )
    return [
        f.MatchFactory.create(
            run=world.own.run, pupil=f.PupilFactory.create(school=world.own.school), opportunity=opportunity
        )
        for _ in range(count)
    ]


def test_bulk_approve_answers_per_id_and_keeps_what_worked(api_world: ApiWorld) -> None:
    first, second = proposals(api_world, capacity=1, count=2)
    others = api_world.other.match.pk  # another school's: out of the adviser's reach
    ids = [first.pk, second.pk, others, 999_999]
    response = api_world.client("adviser").post("/api/v1/matches/bulk-approve/", {"ids": ids}, format="json")

    assert response.status_code == 200
    answers = {row["id"]: row for row in response.json()}
    assert answers[first.pk] == {
        "id": first.pk,
        "ok": True,
        "status": MatchStatus.APPROVED,
        "code": "",
        "messages": [],
    }
    assert answers[second.pk]["ok"] is False
    assert answers[second.pk]["code"] == CapacityConflict.code
    assert answers[others]["code"] == answers[999_999]["code"] == "not_found"
    statuses = dict(Match.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert statuses == {
        first.pk: MatchStatus.APPROVED,
        second.pk: MatchStatus.PROPOSED,
        others: MatchStatus.OFFERED,
    }


def test_bulk_offer_then_reject_with_a_reason(api_world: ApiWorld) -> None:
    one, two = proposals(api_world, capacity=2, count=2)
    client = api_world.client("adviser")
    client.post("/api/v1/matches/bulk-approve/", {"ids": [one.pk]}, format="json")
    offered = client.post("/api/v1/matches/bulk-offer/", {"ids": [one.pk, two.pk]}, format="json").json()
    assert [(row["id"], row["status"]) for row in offered] == [(one.pk, MatchStatus.OFFERED), (two.pk, None)]

    body = {"ids": [two.pk], "reason": "other", "note": "Not this term."}
    rejected = client.post("/api/v1/matches/bulk-reject/", body, format="json")
    assert rejected.status_code == 200 and rejected.json()[0]["status"] == MatchStatus.REJECTED
    assert Match.objects.get(pk=two.pk).status == MatchStatus.REJECTED


def test_bulk_reject_needs_a_reason_and_a_note(api_world: ApiWorld) -> None:
    (match,) = proposals(api_world, capacity=1, count=1)
    response = api_world.client("adviser").post(
        "/api/v1/matches/bulk-reject/", {"ids": [match.pk]}, format="json"
    )
    assert response.status_code == 400 and set(response.json()) == {"reason", "note"}
    assert Match.objects.get(pk=match.pk).status == MatchStatus.PROPOSED


def test_only_advisers_and_admins_decide_in_bulk(api_world: ApiWorld) -> None:
    (match,) = proposals(api_world, capacity=1, count=1)
    for role in ("anonymous", "pupil", "employer", "school_staff"):
        response = api_world.client(role).post(
            "/api/v1/matches/bulk-approve/", {"ids": [match.pk]}, format="json"
        )
        assert response.status_code in ({401} if role == "anonymous" else {403}), role
    assert Match.objects.get(pk=match.pk).status == MatchStatus.PROPOSED
