"""An employer never learns which youth service referred a young person: the service's name
can say why they are outside school."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from placements.models import MatchStatus
from placements.selectors import PARTNER_LABEL
from placements.selffound import notifications, services
from tests import factories as f
from tests.clients import signed_in
from tests.selffound.conftest import CHECKS, PROPOSED, employer_part
from tests.web.world import WebWorld, build_world

pytestmark = pytest.mark.django_db


def test_employer_sees_a_partner_label_instead_of_the_youth_service_name() -> None:
    world: WebWorld = build_world()
    service = f.YouthServiceFactory.create(name="Knowsley Leaving Care Team", local_authority=world.liverpool)
    young = f.YoungPersonFactory.create(school=service, user__first_name="Sam")
    f.OwnWindowFactory.create(pupil=young)
    world.adviser.careers_adviser.schools.add(service)
    opportunity = world.add_opportunity("Workshop week")
    young_match = world.match(young, opportunity, to=MatchStatus.OFFERED)
    pupil_match = world.match(world.pupil, world.add_opportunity("Studio week"), to=MatchStatus.OFFERED)
    employer = signed_in(world.member)

    pages = [
        employer.get("/employer/").content.decode(),
        employer.get("/employer/pupils/").content.decode(),
        employer.get(f"/employer/pupils/{young_match.pk}/").content.decode(),
    ]
    for page in pages:
        assert "Sam" in page
        assert service.name not in page and f"Year {young.year_group}" not in page
        assert PARTNER_LABEL in page
    assert world.school.name in employer.get(f"/employer/pupils/{pupil_match.pk}/").content.decode()

    api = {m["id"]: m["pupil"] for m in employer.get("/api/v1/matches/").json()["results"]}
    assert api[young_match.pk]["school"] == PARTNER_LABEL and "year_group" not in api[young_match.pk]
    assert api[pupil_match.pk]["year_group"] == world.pupil.year_group
    assert api[pupil_match.pk]["school"] == world.school.name

    # Nor can it group its pupils by school to find those from one service.
    assert employer.get(f"/api/v1/matches/?school={service.pk}").json()["count"] == 0
    adviser = signed_in(world.adviser).get(f"/api/v1/matches/?school={service.pk}").json()
    assert [m["id"] for m in adviser["results"]] == [young_match.pk]

    # The young person's own youth worker still sees their service by name.
    worker = signed_in(f.YouthWorkerFactory.create(school=service).user)
    own = worker.get(f"/api/v1/matches/{young_match.pk}/").json()["pupil"]
    assert own["school"] == service.name


def test_a_placement_a_young_person_found_is_checked_by_their_service_never_named_to_the_employer() -> None:
    service = f.YouthServiceFactory.create(name="Wirral Leaving Care Team")
    young = f.YoungPersonFactory.create(school=service, user__first_name="Sam")
    f.OwnWindowFactory.create(pupil=young)
    worker = f.YouthWorkerFactory.create(school=service).user
    # Before proposing: who checks it, and whether a parent must agree.
    consent = "with your parent's or carer's consent"
    before = signed_in(young.user).get("/pupil/found/").content.decode()
    assert "Your youth worker then checks" in before and consent not in before
    at_school = signed_in(f.PupilFactory.create().user).get("/pupil/found/").content.decode()
    assert "Your school then checks" in at_school and consent in at_school

    proposal = services.proposal_submit(pupil=young, data=PROPOSED)
    assert services.employer_link_send(proposal_id=proposal.pk) is True
    (invitation,) = mail.outbox
    assert "Sam, a young person working with a Mobility partner" in invitation.body
    token = invitation.body.split("/placement-details/")[1].split("/")[0]

    page = Client().get(f"/placement-details/{token}/").content.decode()
    assert PARTNER_LABEL in page and service.name not in page
    assert f"Year {young.year_group}" not in page  # with their age, it could say why

    link = services.employer_link_open(token=token)
    services.proposal_employer_complete(link=link, data=employer_part(f.SectorFactory.create()))
    own_page = signed_in(young.user).get("/pupil/found/").content.decode()
    assert "Your youth worker is checking" in own_page and "Your school" not in own_page
    # Their youth worker checks it, told where by email, on the youth pages.
    assert notifications.ready_to_check_send(proposal_id=proposal.pk) == 1
    assert f"/youth/found/{proposal.pk}/" in mail.outbox[-1].body and mail.outbox[-1].to == [worker.email]
    assert "Corner Bakery" in signed_in(worker).get("/youth/found/").content.decode()
    services.proposal_approve(proposal_id=proposal.pk, actor=worker, checks=CHECKS)
    assert notifications.outcome_send(proposal_id=proposal.pk) == 1
    for message in mail.outbox:
        if message.to == [PROPOSED["contact_email"]]:
            assert service.name not in f"{message.subject} {message.body}"
    assert PARTNER_LABEL in mail.outbox[-1].subject
    assert "the young person confirms it" in mail.outbox[-1].body and "parent" not in mail.outbox[-1].body
