"""The pupil (and the school's staff) mark access needs to share on a page, not only through the
API; the employer sees them only after the pupil accepts, and only when marked."""

from __future__ import annotations

import pytest

from placements.models import Match, MatchStatus
from tests import factories as f
from tests.clients import signed_in
from tests.web.world import WebWorld, build_world

pytestmark = pytest.mark.django_db
NEEDS = "Needs instructions written down."


def test_the_pupil_marks_access_needs_to_share_and_the_employer_sees_them_only_after_accepting() -> None:
    world: WebWorld = build_world()
    match = world.match(world.pupil, world.add_opportunity("Games studio week"), to=MatchStatus.OFFERED)
    pupil = signed_in(world.pupil.user)
    page = pupil.get("/pupil/access-needs/").content.decode()
    assert "only after you accept its offer" in page and "first name, year group and school" in page

    response = pupil.post("/pupil/access-needs/", {"access_needs": NEEDS, "share_access_needs": "on"})
    assert response.status_code == 302
    world.pupil.refresh_from_db()
    assert (world.pupil.access_needs, world.pupil.share_access_needs) == (NEEDS, True)

    employer = signed_in(world.member)
    assert NEEDS not in employer.get(f"/employer/pupils/{match.pk}/").content.decode()  # not accepted yet
    Match.objects.filter(pk=match.pk).update(status=MatchStatus.ACCEPTED)
    assert NEEDS in employer.get(f"/employer/pupils/{match.pk}/").content.decode()

    pupil.post("/pupil/access-needs/", {"access_needs": NEEDS})  # unticked: no longer shared
    assert NEEDS not in employer.get(f"/employer/pupils/{match.pk}/").content.decode()


def test_school_staff_mark_it_for_their_own_pupils_only() -> None:
    world: WebWorld = build_world()
    url = f"/school/pupils/{world.pupil.pk}/access-needs/"
    staff = signed_in(world.staff)
    assert "only after the pupil accepts its offer" in staff.get(url).content.decode()
    assert staff.post(url, {"access_needs": NEEDS, "share_access_needs": "on"}).status_code == 302
    world.pupil.refresh_from_db()
    assert world.pupil.share_access_needs and world.pupil.access_needs == NEEDS

    stranger = signed_in(f.SchoolStaffFactory.create().user)
    assert stranger.post(url, {"access_needs": "x"}).status_code == 404
    assert signed_in(world.member).get(url).status_code in (302, 403)
    assert signed_in(world.staff).get("/pupil/access-needs/").status_code in (302, 403)
    world.pupil.refresh_from_db()
    assert world.pupil.access_needs == NEEDS


def test_an_over_long_text_is_a_form_error_and_nothing_changes() -> None:
    world: WebWorld = build_world()
    response = signed_in(world.pupil.user).post("/pupil/access-needs/", {"access_needs": "x" * 2001})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    world.pupil.refresh_from_db()
    assert world.pupil.access_needs != "x" * 2001
