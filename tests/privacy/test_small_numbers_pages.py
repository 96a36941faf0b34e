"""On the demo cohort, the pages and API that advisers and school staff use show no count from 1 to 4."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from mobility.accounts.models import User
from mobility.disclosure import is_small
from placements.matching.figures import run_figures
from placements.matching.figures import unmet as unmet_rows
from placements.models import MatchRun
from placements.web.school_selectors import benchmark6
from schools.models import SchoolStaff
from tests.twofactor import verified_login

pytestmark = pytest.mark.django_db

FIGURE_CELLS = re.compile(
    r'class="(?:govuk-table__cell govuk-table__cell--numeric|govuk-summary-list__value'
    r'|mobility-chart__value)">'
    r"(.*?)</(?:td|dd|span)>",
    re.S,
)
# A bare count: digits not part of a percentage, a duration or a longer number.
COUNT = re.compile(r"(?<![\d.])(\d+)(?![\d.%])(?!\s*min)")


def figures_on(content: bytes) -> list[str]:
    text = content.decode()
    return [html.unescape(re.sub(r"<[^>]+>", " ", cell)) for cell in FIGURE_CELLS.findall(text)]


def small_counts(cells: list[str]) -> list[str]:
    return [cell for cell in cells if any(is_small(int(n)) for n in COUNT.findall(cell))]


def login(email_start: str) -> Client:
    client = Client()
    verified_login(client, User.objects.get(email=email_start))
    return client


def test_adviser_pages_show_no_small_counts(demo_runs: list[MatchRun]) -> None:
    coverage, stable = demo_runs
    truth = run_figures(run=stable, reveal=True)
    true_counts = [
        n for g in truth.groups for n in (g.pupils.value, g.placed.value, g.pupils.value - g.placed.value)
    ]
    areas = unmet_rows(run=stable, key="unmet_by_la", labels_key="local_authorities", reveal=True)
    true_counts += [u.count.value for u in areas]
    has_small = any(is_small(n) for n in true_counts)
    # Differencing: no group's unplaced count can be worked out from its pupils and placed.
    for group in run_figures(run=stable, reveal=False).groups:
        if not group.pupils.hidden and not group.placed.hidden:
            assert not is_small(group.pupils.value - group.placed.value), group

    adviser = login("adviser@demo.mobility.test")
    shown_fewer = False
    for url in (
        f"/adviser/runs/{stable.pk}/",
        f"/adviser/runs/{coverage.pk}/",
        f"/adviser/compare/?a={stable.pk}&b={coverage.pk}",
        f"/adviser/unmet-demand/?run={stable.pk}",
    ):
        response = adviser.get(url)
        assert response.status_code == 200, url
        cells = figures_on(response.content)
        assert cells, url
        assert small_counts(cells) == [], url
        shown_fewer |= "fewer than 5" in " ".join(cells) or "withheld" in " ".join(cells)
    assert shown_fewer or not has_small

    admin = login("admin@demo.mobility.test")
    admin_figures = " ".join(figures_on(admin.get(f"/adviser/runs/{stable.pk}/").content))
    assert "fewer than 5" not in admin_figures and "withheld" not in admin_figures, (
        "platform admins see the true figures"
    )


def test_runs_api_statistics_show_no_small_counts(demo_runs: list[MatchRun]) -> None:
    stable = demo_runs[1]
    adviser = login("adviser@demo.mobility.test")
    stats = adviser.get(f"/api/v1/runs/{stable.pk}/").json()["statistics"]
    counts = [t["pupils"] for t in stats["by_tier"]] + [t["placed"] for t in stats["by_tier"]]
    counts += list(stats["unmet_by_la"].values()) + list(stats["unmet_by_sector"].values())
    counts += [stats["pupils"], stats["placed"]]
    assert not [c for c in counts if isinstance(c, int) and is_small(c)]
    admin_raw = login("admin@demo.mobility.test").get(f"/api/v1/runs/{stable.pk}/").json()["statistics"]
    small_in_truth = any(is_small(int(n)) for n in admin_raw["unplaced_reasons"].values())
    shown = [*counts, *stats["unplaced_reasons"].values()]
    assert "fewer than 5" in shown or "withheld" in shown or not small_in_truth
    for tier in stats["by_tier"]:
        if isinstance(tier["pupils"], int) and isinstance(tier["placed"], int):
            assert not is_small(tier["pupils"] - tier["placed"]), tier
    reasons = stats["unplaced_reasons"]
    assert not [c for c in reasons.values() if isinstance(c, int) and is_small(c)]
    admin = login("admin@demo.mobility.test")
    raw = admin.get(f"/api/v1/runs/{stable.pk}/").json()["statistics"]
    assert raw == admin_raw  # platform admins see the true figures


def test_school_benchmark_shows_no_small_counts(demo_runs: list[MatchRun]) -> None:
    staff = SchoolStaff.objects.select_related("user", "school").get(user__email="school@demo.mobility.test")
    rows = benchmark6(school=staff.school, reveal=True)
    true_counts = [
        c.value
        for r in rows
        for share in (r.everyone, r.disadvantaged, r.others)
        for c in (share.pupils, share.with_experience)
    ]
    client = login(staff.user.email)
    for url in ("/school/benchmark/", "/school/"):
        response = client.get(url)
        assert response.status_code == 200
        text = " ".join(figures_on(response.content))
        assert small_counts(figures_on(response.content)) == [], url
        if url == "/school/benchmark/" and any(is_small(n) for n in true_counts):
            assert "fewer than 5" in text
