"""Nothing of an organisation reaches pupils until an adviser has verified it: every path by which a
pupil could see, apply for or be matched to an opportunity, for each verification state.

The opportunity is published and within the pupil's reach, so verification is the only reason
for it to be hidden.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from employers.models import Employer, Opportunity
from placements.lifecycle.applications import application_eligibility_problems
from placements.lifecycle.refill import opportunity_refill
from placements.matching.selectors import opportunity_table_build, pupil_table_build
from placements.reach import opportunities_reachable
from tests import factories as f
from tests.twofactor import verified_login

from .conftest import SignUpWorld

pytestmark = pytest.mark.django_db
V = Employer.Verification


def _web(w: SignUpWorld) -> Client:
    client = Client()
    verified_login(client, w.pupil.user)
    return client


def _api(w: SignUpWorld) -> APIClient:
    client = APIClient()
    client.force_authenticate(w.pupil.user)
    return client


def _ids(response: object) -> set[int]:
    body = response.json()  # type: ignore[attr-defined]
    rows = body["results"] if isinstance(body, dict) else body
    return {row.get("id", row.get("opportunity_id")) for row in rows}


def reach(w: SignUpWorld) -> bool:
    rows = opportunities_reachable(pupil=w.pupil, today=timezone.localdate())
    return w.opportunity.pk in {r.opportunity_id for r in rows}


def search_page(w: SignUpWorld) -> bool:
    return w.opportunity.title in _web(w).get(reverse("pupil:search")).content.decode()


def search_page_show_all(w: SignUpWorld) -> bool:
    return w.opportunity.title in _web(w).get(reverse("pupil:search") + "?show_all=1").content.decode()


def opportunity_page(w: SignUpWorld) -> bool:
    return _web(w).get(reverse("pupil:opportunity", args=[w.opportunity.pk])).status_code == 200


def apply_page(w: SignUpWorld) -> bool:
    _web(w).post(reverse("pupil:apply", args=[w.opportunity.pk]))
    return w.pupil.applications.filter(opportunity=w.opportunity).exists()


def api_list(w: SignUpWorld) -> bool:
    return w.opportunity.pk in _ids(_api(w).get("/api/v1/opportunities/"))


def api_detail(w: SignUpWorld) -> bool:
    return _api(w).get(f"/api/v1/opportunities/{w.opportunity.pk}/").status_code == 200


def api_reachable(w: SignUpWorld) -> bool:
    response = _api(w).get("/api/v1/opportunities/reachable/")
    assert response.status_code == 200, response.content
    return w.opportunity.pk in _ids(response)


def api_apply(w: SignUpWorld) -> bool:
    response = _api(w).post("/api/v1/applications/", {"opportunity": w.opportunity.pk}, format="json")
    assert response.status_code in (201, 400), response.content
    return response.status_code == 201


def eligibility(w: SignUpWorld) -> bool:
    fresh = Opportunity.objects.get(pk=w.opportunity.pk)
    return not application_eligibility_problems(pupil=w.pupil, opportunity=fresh, today=f.TODAY)


def match_run_snapshot(w: SignUpWorld) -> bool:
    region = w.pupil.school.local_authority.region
    pupils = pupil_table_build(region=region, as_of=f.TODAY)
    table = opportunity_table_build(region=region, pupils=pupils, as_of=f.TODAY)
    found = [
        bool(p) for i, p in zip(table.opportunity_id, table.published, strict=True) if i == w.opportunity.pk
    ]
    return found == [True]


def match_run_snapshot_applied(w: SignUpWorld) -> bool:
    """An application made some other way still never counts as open in the snapshot."""
    f.ApplicationFactory.create(pupil=w.pupil, opportunity=w.opportunity)
    return match_run_snapshot(w)


def refill(w: SignUpWorld) -> bool:
    run = f.MatchRunFactory.create(region=w.pupil.school.local_authority.region)
    f.ApplicationFactory.create(pupil=w.pupil, opportunity=w.opportunity)
    return bool(opportunity_refill(opportunity_id=w.opportunity.pk, run_id=run.pk))


def staff_and_adviser_api(w: SignUpWorld) -> bool:
    staff = APIClient()
    staff.force_authenticate(w.adviser)
    return w.opportunity.pk in _ids(staff.get("/api/v1/opportunities/"))


PATHS: list[Callable[[SignUpWorld], bool]] = [
    reach,
    search_page,
    search_page_show_all,
    opportunity_page,
    apply_page,
    api_list,
    api_detail,
    api_reachable,
    api_apply,
    eligibility,
    match_run_snapshot,
    match_run_snapshot_applied,
    refill,
    staff_and_adviser_api,
]


@pytest.mark.parametrize("state", [V.PENDING, V.REFUSED, V.VERIFIED])
@pytest.mark.parametrize("path", PATHS, ids=[p.__name__ for p in PATHS])
def test_only_a_verified_organisation_reaches_pupils(
    sign_up_world: SignUpWorld, path: Callable[[SignUpWorld], bool], state: str
) -> None:
    decided = {"verification_decided_at": timezone.now(), "verification_note": "Checked."}
    Employer.objects.filter(pk=sign_up_world.pending.pk).update(
        verification_status=state, **(decided if state != V.PENDING else {})
    )
    assert path(sign_up_world) is (state == V.VERIFIED)


def test_the_member_still_sees_and_edits_everything_while_pending(sign_up_world: SignUpWorld) -> None:
    client = Client()
    verified_login(client, sign_up_world.contact.user)
    page = client.get(reverse("employer:opportunities")).content.decode()
    assert sign_up_world.opportunity.title in page
    assert "Awaiting verification" in page and "pupils cannot see any of its opportunities" in page
    assert (
        client.get(reverse("employer:opportunity_edit", args=[sign_up_world.opportunity.pk])).status_code
        == 200
    )
    assert client.get(reverse("employer:site_new")).status_code == 200
    verified = Client()
    verified_login(verified, f.EmployerMemberFactory.create().user)
    assert "Awaiting verification" not in verified.get(reverse("employer:home")).content.decode()
