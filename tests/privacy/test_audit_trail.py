"""The audit trail: who changed what (before and after), who looked, and that none of it can be edited."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.test import Client

from mobility.accounts.models import Role, User
from mobility.audit.models import PupilRecordView
from mobility.audit.selectors import change_events
from placements.models import Match, MatchStatus
from schools.models import Pupil
from tests.twofactor import verified_login
from tests.web.world import WebWorld, build_world

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def test_a_change_through_the_api_records_who_and_before_and_after() -> None:
    world: WebWorld = build_world()
    staff = signed_in(world.staff)
    response = staff.patch(
        f"/api/v1/pupils/{world.pupil.pk}/",
        {"access_needs": "A quiet room", "max_travel_minutes": 40},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    changes = [e for e in change_events(objects=[world.pupil]) if e["event"] == "update"]
    assert changes, "the update was recorded"
    last = changes[-1]
    assert last["user_id"] == world.staff.pk
    assert last["where"] == f"/api/v1/pupils/{world.pupil.pk}/"
    assert last["changes"]["access_needs"] == ["Needs a quiet space at lunch.", "A quiet room"]
    assert last["changes"]["max_travel_minutes"][1] == 40


def test_consent_and_account_changes_are_recorded() -> None:
    world: WebWorld = build_world()
    staff = signed_in(world.staff)
    staff.post(
        f"/school/pupils/{world.pupil.pk}/consent/",
        {"status": "given", "method": "paper", "parent_carer_name": "Sam Jones"},
    )
    consent = world.pupil.consent_records.get()
    (created,) = change_events(objects=[consent])
    assert created["event"] == "insert" and created["user_id"] == world.staff.pk
    world.pupil.user.first_name = "Rylee"
    world.pupil.user.save()
    account = change_events(objects=[world.pupil.user])
    assert account[-1]["changes"]["first_name"] == ["Riley", "Rylee"]
    assert not any("password" in e["changes"] for e in account)


def test_audit_rows_cannot_be_updated_or_deleted_even_in_sql() -> None:
    world: WebWorld = build_world()
    signed_in(world.staff).get(f"/school/pupils/{world.pupil.pk}/")
    view = PupilRecordView.objects.get(pupil_id=world.pupil.pk)
    for attempt in (
        lambda: PupilRecordView.objects.filter(pk=view.pk).update(viewer_name="someone else"),
        lambda: PupilRecordView.objects.filter(pk=view.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    world.pupil.access_needs = "Changed"
    world.pupil.save()
    for sql in ("UPDATE schools_pupilevent SET postcode = 'X'", "DELETE FROM schools_pupilevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert PupilRecordView.objects.get(pk=view.pk).viewer_name == view.viewer_name


def test_the_admin_shows_audit_rows_read_only() -> None:
    world: WebWorld = build_world()
    admin = User.objects.create_superuser("root@admin.test", "pw", first_name="Ada")
    client = signed_in(admin)
    client.get(f"/admin/schools/pupil/{world.pupil.pk}/change/")
    view = PupilRecordView.objects.get(pupil_id=world.pupil.pk, place="admin pupil page")
    page = client.get(f"/admin/audit/pupilrecordview/{view.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(f"/admin/audit/pupilrecordview/{view.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/audit/pupilrecordview/add/").status_code == 403
    assert PupilRecordView.objects.filter(pk=view.pk).exists()
    # Change events too: listed and readable, never editable.
    event = apps.get_model("schools", "PupilEvent").objects.filter(pgh_obj_id=world.pupil.pk).first()
    assert client.get("/admin/schools/pupilevent/").status_code == 200
    shown = client.get(f"/admin/schools/pupilevent/{event.pk}/change/")
    assert shown.status_code == 200 and 'name="_save"' not in shown.content.decode()
    assert client.post(f"/admin/schools/pupilevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403


def test_school_staff_see_who_has_looked_at_a_pupil() -> None:
    world: WebWorld = build_world()
    opportunity = world.add_opportunity("Games studio week")
    match = world.match(world.pupil, opportunity, to=MatchStatus.OFFERED)
    employer = signed_in(world.member)
    assert employer.get(f"/employer/pupils/{match.pk}/").status_code == 200
    assert not PupilRecordView.objects.filter(viewer=world.member).exists()  # first name only, no details
    Match.objects.filter(pk=match.pk).update(status=MatchStatus.ACCEPTED)
    assert employer.get(f"/employer/pupils/{match.pk}/").status_code == 200
    adviser = signed_in(world.adviser)
    adviser.get(f"/api/v1/pupils/{world.pupil.pk}/")
    assert adviser.get(f"/adviser/matches/{match.pk}/reject/").status_code == 200
    staff = signed_in(world.staff)
    page = staff.get(f"/school/pupils/{world.pupil.pk}/").content.decode()
    assert "Who has looked at this pupil" in page
    assert world.member.email in page and "employer match page" in page
    assert world.adviser.email in page and "API pupil record" in page and "adviser match page" in page
    assert world.staff.email in page and "school pupil page" in page
    roles = set(PupilRecordView.objects.filter(pupil_id=world.pupil.pk).values_list("viewer_role", flat=True))
    assert roles == {Role.EMPLOYER, Role.ADVISER, Role.SCHOOL_STAFF}


def test_another_schools_staff_cannot_open_the_pupil_page() -> None:
    world: WebWorld = build_world()
    other = Pupil.objects.exclude(pk=world.pupil.pk).first()
    assert other is None or other.school_id == world.school.pk
    outsider = User.objects.create_user("pupil2@school.test", "pw", first_name="Kim", role=Role.PUPIL)
    assert signed_in(outsider).get(f"/school/pupils/{world.pupil.pk}/").status_code in (403, 404)
