"""Chromium visits every page of every role under the production content security policy: no violations.

Each role signs in and the test follows every link it can reach inside that role's part of the
site (and the admin site for the platform admin), waiting on the htmx progress page so its
polling runs too. Violations are caught twice: the page's securitypolicyviolation events and
Chromium's console messages.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings

from mobility.accounts.models import Role
from mobility.geography.models import RegionLead
from placements.models import MatchRun, MatchStatus
from tests import factories as f
from tests.web.conftest import log_in
from tests.web.world import WebWorld, user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile || "?"}:${e.lineNumber}`
  );
});
"""
# Links never followed: they change state or leave the role's pages.
# Sign-outs end the crawl, and downloads (a pupil's record as JSON, CSV tables) are not pages.
SKIP = (
    "/accounts/logout/",
    "/static/",
    "/admin/logout/",
    "/admin/password_change/",
    "/delete/",
    ".json",
    ".csv",
)
ROLES = {
    "pupil@school.test": ("/pupil/",),
    "member@employer.test": ("/employer/",),
    "staff@school.test": ("/school/",),
    "adviser@careers.test": ("/adviser/",),
    "youth@service.test": ("/youth/",),
    "lead@region.test": ("/region/",),
    "admin@mobility.test": ("/adviser/", "/admin/"),
}
MAX_PAGES = 60


def _populate(world: WebWorld) -> None:
    """Enough of everything that each role's detail pages exist and have links to them."""
    near = world.add_opportunity("Games studio week", metres_east=800)
    ward = world.add_opportunity("Ward clerk taster", metres_east=2500, sector="health")
    shop = world.add_opportunity("Shop floor week", metres_east=1500, sector="retail")
    world.apply(world.pupil, near, ward)
    world.match(world.pupil, near, to=MatchStatus.OFFERED)
    world.match(world.add_pupil("Alex"), ward, to=MatchStatus.EMPLOYER_CONFIRMED)
    world.match(world.add_pupil("Bo"), shop, to=MatchStatus.PROPOSED)
    # A run still waiting for a worker: its page polls with htmx.
    MatchRun.objects.create(region=world.region, seed=3)
    # A youth service with one young person, and the region's lead.
    service = f.YouthServiceFactory.create(local_authority=world.school.local_authority)
    f.YouthWorkerFactory.create(user=user("youth@service.test", Role.YOUTH_WORKER, "Yan"), school=service)
    f.OwnWindowFactory.create(pupil=f.YoungPersonFactory.create(school=service))
    RegionLead.objects.create(user=user("lead@region.test", Role.REGION_LEAD, "Lee"), region=world.region)
    admin = user("admin@mobility.test", Role.ADMIN, "Avery")
    admin.is_staff = admin.is_superuser = True
    admin.save()


class Watcher:
    def __init__(self, page: Any) -> None:
        self.page = page
        self.violations: list[str] = []
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(f"{self.page.url}: {message.text}")

    def collect(self) -> None:
        for found in self.page.evaluate("window.__cspViolations || []"):
            self.violations.append(f"{self.page.url}: {found}")
        self.page.evaluate("window.__cspViolations = []")


def crawl(page: Any, watcher: Watcher, base: str, prefixes: tuple[str, ...]) -> list[str]:
    queue = list(prefixes)
    seen = set(queue)
    visited: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        path = queue.pop(0)
        response = page.goto(path)
        status = response.status if response else None
        assert status is not None and status < 400, f"{path} answered {status}"
        page.wait_for_load_state("load")
        if page.locator("[hx-trigger]").count():
            page.wait_for_timeout(2500)  # let htmx poll and swap a few times
        watcher.collect()
        visited.append(path)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            url = urlsplit(urldefrag(urljoin(page.url, href))[0])
            target = url.path + (f"?{url.query}" if url.query else "")
            if (
                f"{url.scheme}://{url.netloc}" == base
                and url.path.startswith(prefixes)
                and not any(skip in url.path for skip in SKIP)
                and target not in seen
            ):
                seen.add(target)
                queue.append(target)
    return visited


def test_every_page_of_every_role_passes_the_content_security_policy(
    chromium: Any, live_server: Any, web_world: WebWorld
) -> None:
    _populate(web_world)
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
    base = live_server.url
    visited: dict[str, list[str]] = {}
    violations: list[str] = []

    # Signed out: the sign-in page, a failed sign-in, a missing page.
    context = chromium.new_context(base_url=base, locale="en-GB")
    page = context.new_page()
    watcher = Watcher(page)
    page.goto("/accounts/login/")
    watcher.collect()
    log_in(page, "pupil@school.test", "not-the-password")
    watcher.collect()
    page.goto("/no-such-page/")
    watcher.collect()
    # The public pages: home, employers' sign-up and the open data.
    for public in ("/", "/register/", "/open-data/"):
        page.goto(public)
        watcher.collect()
    # The API's documentation page renders under the policy too. (ReDoc, at /api/redoc/, has
    # inline styles allowed but its footer logo from a third-party site stays blocked.)
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    watcher.collect()
    violations += watcher.violations
    context.close()

    for email, prefixes in ROLES.items():
        context = chromium.new_context(base_url=base, locale="en-GB", viewport={"width": 1200, "height": 900})
        context.set_default_timeout(15_000)
        page = context.new_page()
        watcher = Watcher(page)
        log_in(page, email)
        assert "/accounts/login/" not in page.url, f"{email} could not sign in"
        watcher.collect()
        visited[email] = crawl(page, watcher, base, prefixes)
        # Signing out shows the signed-out page.
        page.goto(prefixes[0])
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_load_state("load")
        watcher.collect()
        violations += watcher.violations
        context.close()

    assert not violations, "Content security policy violations:\n" + "\n".join(violations)
    # The crawl really reached each role's pages, including detail pages and the htmx page.
    assert len(visited["pupil@school.test"]) >= 5, visited
    assert any("/employer/pupils/" in p and p != "/employer/pupils/" for p in visited["member@employer.test"])
    assert any(p.endswith("/progress/") or "/runs/" in p for p in visited["adviser@careers.test"])
    assert len(visited["staff@school.test"]) >= 5, visited
    assert sum(p.startswith("/admin/") for p in visited["admin@mobility.test"]) >= 10, visited
    assert any(p.startswith("/youth/") and p != "/youth/" for p in visited["youth@service.test"]), visited
    assert any(p.startswith("/region/") and p != "/region/" for p in visited["lead@region.test"]), visited
