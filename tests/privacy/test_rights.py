"""Subject access, erasure and retention, through the commands, pages and admin people use."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import TYPE_CHECKING

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from mobility.accounts.models import Invitation, User
from mobility.accounts.services import invitation_send
from mobility.audit.models import PupilRecordView
from placements.lifecycle.models import NotificationSent
from placements.models import Match, MatchStatus
from schools.models import Pupil, WorkExperienceWindow
from tests.clients import signed_in
from tests.privacy.runs import fingerprint, finished_run
from tests.web.world import WebWorld, build_world

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db


def test_pupil_export_command_gives_everything_held() -> None:
    world: WebWorld = build_world()
    signed_in(world.staff).post(
        f"/school/pupils/{world.pupil.pk}/consent/",
        {"status": "given", "method": "phone", "parent_carer_name": "Sam Jones"},
    )
    opportunity = world.add_opportunity("Games studio week")
    world.match(world.pupil, opportunity, to=MatchStatus.OFFERED)
    NotificationSent.objects.create(event_key="x", recipient=world.pupil.user.email, subject="Hello Riley")
    out = StringIO()
    call_command("pupil_export", "--pupil", str(world.pupil.pk), stdout=out)
    record = json.loads(out.getvalue())
    assert record["profile"]["email"] == "pupil@school.test"
    assert record["profile"]["date_of_birth"] == world.pupil.date_of_birth.isoformat()
    (match,) = record["matches"]
    assert match["opportunity"] == "Games studio week" and match["explanation"]
    assert [c["to"] for c in match["status_history"]] == ["approved", "offered"]
    assert record["consent_history"][0]["parent_or_carer"] == "Sam Jones"
    assert any(n["subject"] == "Hello Riley" for n in record["notifications_sent"])
    assert any(v["where"] == "school consent page" for v in record["record_views"])
    assert any(c["record"] == "schools.Pupil" for c in record["changes"])
    assert set(record) >= {"applications", "unplaced_in_runs"}
    with pytest.raises(CommandError, match="No pupil"):
        call_command("pupil_export", "--pupil", "999999", stdout=StringIO())


def test_school_staff_read_and_download_the_record() -> None:
    world: WebWorld = build_world()
    staff = signed_in(world.staff)
    page = staff.get(f"/school/pupils/{world.pupil.pk}/record/")
    assert page.status_code == 200
    text = page.content.decode()
    for heading in ("Profile", "Applications", "Matches", "Notifications sent", "Consent history", "Changes"):
        assert heading in text
    download = staff.get(f"/school/pupils/{world.pupil.pk}/record.json")
    assert download["Content-Type"].startswith("application/json")
    assert json.loads(download.content)["profile"]["first_name"] == "Riley"
    places = set(PupilRecordView.objects.filter(pupil_id=world.pupil.pk).values_list("place", flat=True))
    assert places == {"subject access page", "subject access download"}


def test_erasure_keeps_run_hashes_and_statistics(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    run = finished_run(django_capture_on_commit_callbacks)
    before = fingerprint(run)
    placed = Match.objects.filter(run=run).select_related("pupil__user").first()
    assert placed is not None
    pupil = placed.pupil
    Pupil.objects.filter(pk=pupil.pk).update(upn="A123456789012")
    old_postcode, old_email, born = pupil.postcode, pupil.user.email, pupil.date_of_birth

    out = StringIO()
    call_command("pupil_erase", "--pupil", str(pupil.pk), stdout=out)
    assert "erased" in out.getvalue()

    assert fingerprint(run) == before
    pupil = Pupil.objects.select_related("user").get(pk=pupil.pk)
    assert (pupil.user.first_name, pupil.user.last_name, pupil.user.is_active) == ("Erased", "", False)
    assert pupil.user.email != old_email and not pupil.user.has_usable_password()
    assert pupil.date_of_birth == dt.date(born.year, 1, 1)
    assert pupil.postcode == old_postcode.split(" ")[0]
    assert pupil.access_needs == "" and pupil.upn == ""
    events = apps.get_model("schools", "PupilEvent").objects.filter(pgh_obj_id=pupil.pk)
    assert events.exists() and not events.filter(postcode=old_postcode).exists()
    assert not events.filter(upn="A123456789012").exists()
    users = apps.get_model("accounts", "UserEvent").objects.filter(pgh_obj_id=pupil.user_id)
    assert not users.filter(email=old_email).exists()


def admin_erase(pupil: Pupil) -> _MonkeyPatchedWSGIResponse:
    """A platform admin takes the admin's erase action on ``pupil``."""
    admin = User.objects.create_superuser("root@admin.test", "pw", first_name="Ada")
    return signed_in(admin).post(
        "/admin/schools/pupil/",
        {"action": "erase_personal_data", "_selected_action": [pupil.pk]},
        follow=True,
    )


def test_erasure_is_refused_while_a_placement_is_live() -> None:
    world: WebWorld = build_world()
    opportunity = world.add_opportunity("Games studio week")
    world.match(world.pupil, opportunity, to=MatchStatus.APPROVED)
    with pytest.raises(CommandError, match=r"live placement.*Games studio week"):
        call_command("pupil_erase", "--pupil", str(world.pupil.pk), stdout=StringIO())
    response = admin_erase(world.pupil)
    assert "live placement" in response.content.decode()
    world.pupil.refresh_from_db()
    assert world.pupil.user.first_name == "Riley"


def test_the_admin_action_erases() -> None:
    world: WebWorld = build_world()
    response = admin_erase(world.pupil)
    assert "1 pupil(s) erased" in response.content.decode()
    world.pupil.user.refresh_from_db()
    assert world.pupil.user.first_name == "Erased"


def test_retention_dry_run_lists_and_the_job_acts(settings) -> None:  # type: ignore[no-untyped-def]
    world: WebWorld = build_world()
    long_ago = timezone.localdate() - dt.timedelta(days=400)
    WorkExperienceWindow.objects.filter(school=world.school).delete()
    WorkExperienceWindow.objects.create(
        school=world.school, year_group=10, starts_on=long_ago, ends_on=long_ago + dt.timedelta(days=4)
    )
    recent = world.add_pupil("Jordan", year_group=11)
    WorkExperienceWindow.objects.create(
        school=world.school, year_group=11, starts_on=timezone.localdate(), ends_on=timezone.localdate()
    )
    old_token, _ = AuthToken.objects.create(user=world.staff)
    AuthToken.objects.filter(pk=old_token.pk).update(expiry=timezone.now() - dt.timedelta(minutes=1))
    fresh_token, _ = AuthToken.objects.create(user=world.adviser)
    invitation_send(user=recent.user, sent_by=world.staff, by_email=False)
    invitation_send(user=world.adviser, sent_by=world.staff, by_email=False)
    Invitation.objects.filter(user=world.adviser).update(expires_at=timezone.now() - dt.timedelta(days=31))
    old_note = NotificationSent.objects.create(event_key="a", recipient="x@y.test", subject="Old")
    NotificationSent.objects.filter(pk=old_note.pk).update(sent_at=timezone.now() - dt.timedelta(days=91))
    NotificationSent.objects.create(event_key="b", recipient="x@y.test", subject="New")
    abandoned = TOTPDevice.objects.create(user=world.staff, name="Set-up left unfinished", confirmed=False)
    TOTPDevice.objects.filter(pk=abandoned.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    TOTPDevice.objects.create(user=world.adviser, name="Set-up under way", confirmed=False)
    in_use = TOTPDevice.objects.create(user=world.member, name="Authenticator app", confirmed=True)
    TOTPDevice.objects.filter(pk=in_use.pk).update(created_at=timezone.now() - dt.timedelta(days=400))

    out = StringIO()
    call_command("privacy_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Dry run" in text and f"pupil {world.pupil.pk}: last window ended" in text
    assert f"pupil {recent.pk}" not in text
    assert "Expired API tokens to delete: 1" in text and "Expired invitations to delete: 1" in text
    assert "Notification records to delete: 1" in text
    assert "Authenticator app set-ups never confirmed, to delete: 1" in text
    world.pupil.user.refresh_from_db()
    assert world.pupil.user.first_name == "Riley" and AuthToken.objects.count() == 2

    call_command("privacy_retention", stdout=StringIO())
    world.pupil.user.refresh_from_db()
    recent.user.refresh_from_db()
    assert world.pupil.user.first_name == "Erased" and recent.user.first_name == "Jordan"
    assert list(AuthToken.objects.all()) == [fresh_token]
    assert list(Invitation.objects.values_list("user", flat=True)) == [recent.user.pk]
    assert list(NotificationSent.objects.values_list("subject", flat=True)) == ["New"]
    assert set(TOTPDevice.objects.values_list("name", flat=True)) == {"Set-up under way", "Authenticator app"}

    settings.MOBILITY = {**settings.MOBILITY, "PUPIL_RETENTION": dt.timedelta(days=500)}
    out = StringIO()
    call_command("privacy_retention", "--dry-run", stdout=out)
    assert "Pupils to anonymise: 0" in out.getvalue()


def test_retention_is_on_the_beat_schedule(settings) -> None:  # type: ignore[no-untyped-def]
    job = settings.CELERY_BEAT_SCHEDULE["privacy-retention"]
    assert job["task"] == "placements.privacy.tasks.retention_run"
    from mobility.celery import app

    app.loader.import_default_modules()
    assert "placements.privacy.tasks.retention_run" in app.tasks
