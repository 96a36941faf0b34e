"""Young people outside school, in a real browser: a youth worker registers one, they activate
their account and apply, a run on a real worker matches them, the adviser and the employer take
their steps, and the young person accepts; their own consent, not a parent's, confirms it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from placements.models import Match, MatchStatus
from schools.models import Cohort, ConsentStatus, Pupil, School
from tests import factories as f
from tests.matching.conftest import Worker, matching_worker  # noqa: F401  (a fixture)
from tests.web.conftest import NEW_PASSWORD, check_accessibility, log_in, submit, visit
from tests.web.test_activation_browser import emailed_link, set_password, sign_out
from tests.web.test_adviser_browser import _start_run
from tests.web.world import AT_HOME, WebWorld, user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = MatchStatus
WORKER = "youth@service.test"


def youth_service(world: WebWorld) -> School:
    """A youth service in Liverpool with a youth worker; the world's adviser covers it too."""
    service = f.YouthServiceFactory.create(
        name="Mersey Youth Service",
        local_authority=world.liverpool,
        **AT_HOME,
    )
    f.YouthWorkerFactory.create(user=user(WORKER, "youth_worker", "Jo"), school=service)
    world.adviser.careers_adviser.schools.add(service)
    return service


def test_a_young_person_goes_from_registration_to_a_confirmed_placement(
    page: Any,
    web_world: WebWorld,
    matching_worker: Worker,  # noqa: F811
) -> None:
    youth_service(web_world)
    wanted = web_world.add_opportunity("Games studio week", capacity=1, minimum_age=16)
    start, end = web_world.window_start, web_world.window_end

    # The youth worker lands on their list and registers a young person.
    log_in(page, WORKER)
    expect(page.get_by_role("heading", level=1)).to_have_text("Young people")
    check_accessibility(page)
    page.get_by_role("link", name="Register a young person").first.click()
    page.get_by_role("button", name="Register and invite").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a first name")
    expect(summary).to_contain_text("Confirm the young person agrees to take part")
    check_accessibility(page)

    page.get_by_label("First name").fill("Kai")
    page.get_by_label("Last name").fill("Brennan")
    page.get_by_label("Email address").fill("kai@young.test")
    too_old = dt.date.today().replace(year=dt.date.today().year - 20)
    page.get_by_label("Date of birth").fill(too_old.isoformat())
    page.get_by_label("Not in education, employment or training (16 to 18)").check()
    page.get_by_label("Home postcode").fill("L1 8JQ")
    page.get_by_label("The young person agrees to take part").check()
    page.get_by_label("Phone call").check()
    page.get_by_label("Free for work experience from (optional)").fill(start.isoformat())
    page.get_by_label("Free until (optional)").fill(end.isoformat())
    page.get_by_role("button", name="Register and invite").click()
    expect(summary).to_contain_text("must be aged 16 to 18; this date of birth makes them 20")
    check_accessibility(page)
    assert not Pupil.objects.filter(user__email="kai@young.test").exists()

    page.get_by_label("Date of birth").fill(too_old.replace(year=too_old.year + 3).isoformat())
    page.get_by_role("button", name="Register and invite").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Kai Brennan is registered")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kai Brennan")
    expect(page.locator("main")).to_contain_text("Given")
    check_accessibility(page)
    young = Pupil.objects.get(user__email="kai@young.test")
    assert young.cohort == Cohort.NEET and young.parental_consent == ConsentStatus.GIVEN

    # The young person sets a password from the emailed link, then finds and applies.
    link = emailed_link("kai@young.test")
    sign_out(page)
    set_password(page, link)
    log_in(page, "kai@young.test", NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("You have not applied yet")
    main = page.locator("main")
    expect(main).to_contain_text("You are free for work experience")
    expect(main).not_to_contain_text("Year 13")
    expect(main).not_to_contain_text("Your school")
    check_accessibility(page)
    visit(page, "/pupil/opportunities/")
    page.get_by_role("link", name="Games studio week").first.click()
    expect(main).to_contain_text("a day")  # their fare, the young person's ticket
    page.get_by_role("button", name="Apply for this placement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your choices")
    expect(page.get_by_role("table", name="Your choices, most wanted first")).to_contain_text(
        "Games studio week"
    )

    # The adviser runs matching on a real worker, then approves and offers.
    sign_out(page)
    log_in(page, "adviser@careers.test")
    _start_run(page, "Stable (pupil-proposing deferred acceptance)", "3")
    match = Match.objects.get(pupil=young, opportunity=wanted)
    assert match.status == S.PROPOSED
    page.get_by_role("button", name="Approve Kai Brennan").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("match is approved")
    page.get_by_role("button", name="Send offer for Kai Brennan").click()
    match.refresh_from_db()
    assert match.status == S.OFFERED

    # The employer confirms.
    sign_out(page)
    log_in(page, "member@employer.test")
    visit(page, f"/employer/pupils/{match.pk}/")
    page.get_by_role("button", name="Confirm this placement").click()
    match.refresh_from_db()
    assert match.status == S.EMPLOYER_CONFIRMED

    # The young person accepts: their own consent is on file, so it is confirmed at once.
    sign_out(page)
    log_in(page, "kai@young.test", NEW_PASSWORD)
    page.get_by_role("button", name="Yes, I want this placement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your placement is confirmed")
    check_accessibility(page)

    # The youth worker sees it.
    sign_out(page)
    log_in(page, WORKER)
    row = page.get_by_role("row", name=re.compile("Kai Brennan"))
    expect(row).to_contain_text("Confirmed")
    page.get_by_role("link", name="Kai Brennan").click()
    expect(page.get_by_role("table", name="Matches, newest first")).to_contain_text("Games studio week")
    check_accessibility(page)


def test_the_youth_worker_records_the_young_persons_own_consent(page: Any, web_world: WebWorld) -> None:
    service = youth_service(web_world)
    young = f.YoungPersonFactory.create(
        user=user("casey@young.test", "pupil", "Casey", "Lane"),
        school=service,
        parental_consent=ConsentStatus.REQUESTED,
        date_of_birth=web_world.window_start - dt.timedelta(days=17 * 365 + 30),
        **AT_HOME,
    )
    f.OwnWindowFactory.create(pupil=young, starts_on=web_world.window_start, ends_on=web_world.window_end)
    match = web_world.match(young, web_world.add_opportunity("Games studio week"), to=S.EMPLOYER_CONFIRMED)

    log_in(page, "casey@young.test")
    page.get_by_role("button", name="Yes, I want this placement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You said yes: waiting for your own consent to be recorded"
    )
    main = page.locator("main")
    expect(main).to_contain_text("your youth worker needs to record your own consent")
    expect(main).not_to_contain_text("parent")
    check_accessibility(page)

    sign_out(page)
    log_in(page, WORKER)
    page.get_by_role("link", name="Casey Lane").click()
    page.get_by_role("link", name="Record consent").click()
    expect(page.locator("main")).not_to_contain_text("Parent's or carer's name")
    page.get_by_label("Given").check()
    submit(page, "Save consent", error="Select how the answer came")
    page.get_by_label("Phone call").check()
    submit(page, "Save consent", saved="1 placement confirmed")
    match.refresh_from_db()
    assert match.status == S.CONFIRMED
    assert young.consent_records.get().given_by == "young_person"


def test_youth_worker_list_searches_and_edits_flags(page: Any, web_world: WebWorld) -> None:
    service = youth_service(web_world)
    for n in range(3):
        f.YoungPersonFactory.create(
            user=user(f"neet{n}@young.test", "pupil", f"Robin{n}", "Hale"), school=service
        )
    leaver = f.YoungPersonFactory.create(
        user=user("leaver@young.test", "pupil", "Sky", "Moss"),
        school=service,
        cohort=Cohort.CARE_LEAVER,
        care_experienced=True,
    )
    # Another service's young person never shows.
    f.YoungPersonFactory.create(user=user("elsewhere@young.test", "pupil", "Sky", "Other"))
    log_in(page, WORKER)
    page.get_by_label("Name").fill("sky")
    page.get_by_role("button", name="Show").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Sky Moss")
    expect(table).not_to_contain_text("Sky Other")
    expect(table).not_to_contain_text("Robin0")
    check_accessibility(page)
    page.get_by_label("Who").select_option(Cohort.NEET)
    page.get_by_label("Name").fill("")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("table")).to_contain_text("3 young people")

    visit(page, f"/youth/people/{leaver.pk}/edit/")
    page.get_by_label("Care-experienced").uncheck()
    page.get_by_label("Young carer").check()
    submit(page, "Save details", error="A care leaver is care-experienced")
    page.get_by_label("Care-experienced").check()
    submit(page, "Save details", saved="details saved")
    leaver.refresh_from_db()
    assert leaver.young_carer and leaver.care_experienced

    visit(page, f"/youth/people/{leaver.pk}/dates/")
    page.get_by_role("button", name="Save dates").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the first day")
    page.get_by_label("Free from").fill(web_world.window_start.isoformat())
    page.get_by_label("Free until").fill(web_world.window_end.isoformat())
    page.get_by_role("button", name="Save dates").click()
    expect(page.locator("main")).to_contain_text(f"{web_world.window_start:%-d %B %Y}")
