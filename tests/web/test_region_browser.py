"""In Chromium: the region lead's report and the adviser's unmet-demand map render, pass axe,
are reachable with the keyboard alone, and the CSV downloads work."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from placements.models import UnplacedPupil
from tests import factories as f
from tests.reporting.test_region_figures import SPECS
from tests.reporting.world import YEAR, build
from tests.web.conftest import log_in, screenshot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_through(page: Any, presses: int) -> list[dict[str, str]]:
    """What the keyboard reaches, in order: each focused element's tag, text and label."""
    page.locator("body").focus()
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                "() => { const e = document.activeElement;"
                " return {tag: e.tagName, text: (e.innerText || '').slice(0, 80),"
                " label: e.getAttribute('aria-label') || '', href: e.getAttribute('href') || ''}; }"
            )
        )
    return seen


def test_region_report_and_unmet_map_by_keyboard(page: Any, tmp_path: Path) -> None:
    world = build(SPECS)
    run = f.MatchRunFactory.create(region=world.region)
    for spec, pupil in world.pupils:
        if spec.outcome == "unplaced" and spec.year == YEAR:
            UnplacedPupil.objects.create(run=run, pupil=pupil, reason="capacity", explanation="No seat left.")
    adviser = f.CareersAdviserFactory.create(schools=list(world.schools.values())).user

    log_in(page, world.lead.email)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Regional report, {YEAR.label}")
    visit(page, page.url)
    expect(page.locator("svg[role=img]")).to_have_count(6)
    screenshot(page, "region-report")

    reached = tab_through(page, 60)
    regions = [r["label"] for r in reached if r["tag"] == "DIV"]
    assert "Benchmark 6: pupils with a workplace experience, by local authority and school" in regions
    assert "Pupils without a placement, by local authority" in regions
    downloads = [r for r in reached if r["tag"] == "A" and r["href"].endswith(".csv")]
    assert len(downloads) >= 3, reached

    # Enter on a focused download link saves the table.
    link = page.locator('a[href$="/unmet-authorities.csv"]')
    expect(link).to_contain_text("Download this table as CSV")
    link.focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    saved = tmp_path / "unmet.csv"
    info.value.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text())))
    assert rows[0][0] == "Local authority" and rows[0][-1] == YEAR.label
    assert {r[0] for r in rows[1:]} >= {"Liverpool", "Knowsley", "All"}

    # The year picker works without a mouse too.
    page.get_by_label("Academic year").focus()
    page.get_by_label("Academic year").select_option(YEAR.previous().slug)
    page.get_by_role("button", name="Show year").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Regional report, {YEAR.previous().label}")

    page.context.clear_cookies()
    log_in(page, adviser.email)
    visit(page, f"/adviser/unmet-demand/?run={run.pk}")
    map_svg = page.locator("svg.mobility-map")
    expect(map_svg).to_be_visible()
    expect(map_svg.locator("title").first).to_contain_text("could not place")
    expect(map_svg.locator("circle[data-kind=pupils]").first).to_be_attached()
    reached = tab_through(page, 40)
    assert any(
        r["label"] == "Pupils without a placement and free seats, by postcode district" for r in reached
    ), reached
    screenshot(page, "adviser-unmet-map")
