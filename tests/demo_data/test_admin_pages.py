"""Every admin page the demo admin can reach renders: changelist, add form and a change form
(over the demo, so each page has real rows to show)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models import Model
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from demo.loader import DEMO_LOGINS, DEMO_PASSWORD, DemoSummary
from mobility.accounts.models import Role, User
from mobility.accounts.services import invitation_send
from mobility.accounts.twofactor import recovery_codes_issue
from mobility.audit.services import pupil_record_view_record
from mobility.outbox.models import OutboxMessage
from placements.lifecycle.models import ChangeRequest
from placements.models import MatchStatus, MatchStatusChange, UnplacedPupil
from schools.models import ConsentRecord
from tests.factories import MatchFactory, MatchRunFactory, PupilFactory
from tests.twofactor import password_login, sign_in

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def admin_client_demo(small_demo: DemoSummary) -> Client:
    # The demo has no match runs, groups, tokens or invitations yet; give every admin page a row to show.
    match = MatchFactory.create(run=MatchRunFactory.create(), status=MatchStatus.PROPOSED)
    MatchStatusChange.objects.create(match=match, to_status=MatchStatus.PROPOSED, reason="run")
    UnplacedPupil.objects.create(
        run=match.run,
        pupil=PupilFactory.create(),
        reason="DATES",
        explanation="No placement matched your dates.",
    )
    ChangeRequest.objects.create(
        opportunity=match.opportunity, proposed={"daily_hours": "6.0"}, reason="Shorter days"
    )
    Group.objects.create(name="Careers team")
    OutboxMessage.objects.create(task_name="outbox.relay", dedup_key="admin-page")
    admin_user = User.objects.get(email=DEMO_LOGINS[Role.ADMIN])
    AuthToken.objects.create(user=admin_user)
    invitation_send(user=PupilFactory.create().user, sent_by=admin_user, by_email=False)
    pupil = match.pupil
    ConsentRecord.objects.create(pupil=pupil, status="given", method="paper", recorded_at=timezone.now())
    pupil_record_view_record(pupil_id=pupil.pk, viewer=admin_user, place="admin pupil page")
    client = Client()
    # A failed sign-in, then a good one, fill the sign-in attempt and access logs.
    client.post("/accounts/login/", {"email": admin_user.email, "password": "not-the-password"})
    response = sign_in(client, admin_user, DEMO_PASSWORD)
    recovery_codes_issue(user=admin_user)  # a row on the two-factor change log
    assert response.status_code == 302, "signed in with the password and a code from the app"
    return client


def url(model: type[Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


# Named by class, not app label, so moving a model between apps does not hide it.
ADMIN_MODELS = {
    "User",
    "Group",
    "AuthToken",
    "Invitation",
    "AccessAttempt",
    "AccessFailureLog",
    "AccessLog",
    "OutboxMessage",
    "School",
    "SchoolStaff",
    "CareersAdviser",
    "Pupil",
    "WorkExperienceWindow",
    "ConsentRecord",
    "Employer",
    "EmployerMember",
    "Site",
    "ComplianceRecord",
    "Opportunity",
    "Region",
    "RegionLead",
    "LocalAuthority",
    "Sector",
    "Application",
    "MatchRun",
    "Match",
    "MatchStatusChange",
    "UnplacedPupil",
    "ChangeRequest",
    "TOTPDevice",
    "Proposal",
    "SecondFactorChange",
}


def test_the_admin_covers_every_model_of_ours() -> None:
    # The audit trail's change-event tables are listed read-only beside the models they track.
    audit = {m.__name__ for m in REGISTERED if m.__name__.endswith("Event") or m._meta.app_label == "audit"}
    assert {m.__name__ for m in REGISTERED} - audit == ADMIN_MODELS - audit


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_admin_pages_render(admin_client_demo: Client, model: type[Model]) -> None:
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(email=DEMO_LOGINS[Role.ADMIN])

    assert admin_client_demo.get(url(model, "changelist")).status_code == 200
    if model_admin.search_fields:
        assert admin_client_demo.get(url(model, "changelist"), {"q": "liverpool"}).status_code == 200
    if model_admin.has_add_permission(request):
        assert admin_client_demo.get(url(model, "add")).status_code == 200
    obj = model_admin.get_queryset(request).first()
    assert obj is not None, f"no {model._meta.verbose_name} to open"
    assert admin_client_demo.get(url(model, "change", obj.pk)).status_code == 200


def test_a_non_admin_cannot_open_the_admin(small_demo: DemoSummary) -> None:
    client = Client()
    assert password_login(client, User.objects.get(email=DEMO_LOGINS[Role.ADVISER]), DEMO_PASSWORD)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
