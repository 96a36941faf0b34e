"""Open data: published per academic year, nothing small shown, and no withheld count recoverable
by differencing two consecutive years or the releases before and after one pupil's placement."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from mobility.academic_year import AcademicYear
from mobility.celery import app
from placements.models import Match, MatchStatus, OpenDataRelease
from placements.reporting import open_data
from placements.reporting.services import open_data_release_publish
from placements.tasks import open_data_publish
from tests.factories import TODAY
from tests.privacy.attacker import fixed_unknowns

from .world import GROWTH, LAST_YEAR, OTHER, YEAR, Spec, add, build

pytestmark = pytest.mark.django_db

Key = tuple[str, str, str]  # local authority, group, sector ("all" for a total)
Published = dict[Key, int | None]
ALL = "all"

# Liverpool's disadvantaged pupils have four growth-sector placements: withheld. One more pupil's
# placement there makes five, which a careless second release would show.
SPECS = [
    *[Spec("A", True, "first") for _ in range(4)],
    *[Spec("A", True, "first", sector=OTHER) for _ in range(6)],
    *[Spec("A", False, "first") for _ in range(7)],
    *[Spec("B", False, "first", sector=OTHER) for _ in range(8)],
    *[Spec("C", False, "first", sector=OTHER, home="L36 9YU") for _ in range(9)],
    *[Spec("C", False, "first", home="L36 9YU") for _ in range(6)],
    *[Spec("C", True, "first", home="L36 9YU") for _ in range(2)],
    *[Spec("A", True, "first", year=LAST_YEAR) for _ in range(3)],
    *[Spec("C", False, "first", sector=OTHER, year=LAST_YEAR, home="L36 9YU") for _ in range(12)],
]


def parse_csv(text: str) -> Published:
    out: Published = {}
    for row in csv.DictReader(io.StringIO(text)):
        value = row["placements"]
        out[(row["local_authority_code"], row["group"], row["sector"])] = (
            None if value == open_data.WITHHELD else int(value)
        )
    return out


def sums(published: Published) -> list[tuple[Key, list[Key]]]:
    """What the schema says adds up: every total and the rows it covers."""
    keys = set(published)
    out = []
    for total in keys:
        parts = [
            k
            for k in keys
            if k != total
            and all(t in (ALL, v) for t, v in zip(total, k, strict=True))
            and sum(t == ALL for t in total) - sum(v == ALL for v in k) == 1
        ]
        # One "all" fewer than the total: the rows it adds up along one dimension at a time.
        for dim in range(3):
            along = [k for k in parts if total[dim] == ALL and k[dim] != ALL]
            if along and all(k[d] == total[d] for k in along for d in range(3) if d != dim):
                out.append((total, along))
    return out


def recovered(
    releases: list[tuple[str, Published]], links: list[tuple[str, str, Callable[[Key], int]]] | None = None
) -> dict[Any, object]:
    """What an attacker holding these releases fixes exactly. ``links`` say release b = release a +
    a known change (for one pupil's placement, the attacker may know exactly where it went)."""
    equations: list[dict[Any, int]] = []
    constants: list[int] = []

    def term(name: str, key: Key, published: Published, coefficient: int, eq: dict[Any, int]) -> int:
        value = published.get(key)
        if value is None:
            eq[(name, key)] = eq.get((name, key), 0) + coefficient
            return 0
        return coefficient * value

    by_name = dict(releases)
    for name, published in releases:
        for total, parts in sums(published):
            eq: dict[Any, int] = {}
            known = sum(term(name, p, published, 1, eq) for p in parts) + term(name, total, published, -1, eq)
            if eq:
                equations.append(eq)
                constants.append(-known)
    for a, b, change in links or []:
        for key in by_name[a]:
            eq = {}
            known = term(b, key, by_name[b], 1, eq) + term(a, key, by_name[a], -1, eq)
            if eq:
                equations.append(eq)
                constants.append(change(key) - known)
    return dict(fixed_unknowns(equations, constants))


def test_two_years_publish_separately_and_show_nothing_small() -> None:
    build(SPECS)
    for year in (LAST_YEAR, YEAR):
        open_data_release_publish(year=year)
    releases = {r.academic_year: r for r in OpenDataRelease.objects.all()}
    assert set(releases) == {LAST_YEAR.slug, YEAR.slug}
    for year in (LAST_YEAR, YEAR):
        published = parse_csv(releases[year.slug].csv_text)
        assert not [k for k, v in published.items() if v is not None and 1 <= v <= 4]
        # Each year counts its own placements only (last year's total protects its small column).
        assert published[(ALL, ALL, ALL)] in (sum(1 for s in SPECS if s.year == year), None)
        document = json.loads(releases[year.slug].json_text)
        assert document["licence"]["name"] == "Open Government Licence v3.0"
        assert {f["name"] for f in document["schema"]} == set(document["rows"][0])
        assert [r["placements"] for r in document["rows"]] == list(published.values())
    assert parse_csv(releases[YEAR.slug].csv_text)[(ALL, ALL, ALL)] == sum(1 for s in SPECS if s.year == YEAR)
    # Last year's four-or-fewer cell is withheld and stays so with this year's release beside it.
    old = parse_csv(releases[LAST_YEAR.slug].csv_text)
    assert old[("E08000012", "disadvantaged", GROWTH)] is None
    both = [(year.slug, parse_csv(releases[year.slug].csv_text)) for year in (LAST_YEAR, YEAR)]
    assert recovered(both) == {}


def test_no_personal_data_in_the_files() -> None:
    world = build(SPECS)
    release = open_data_release_publish(year=YEAR)
    for _spec, pupil in world.pupils:
        for text in (release.csv_text, release.json_text):
            assert pupil.user.last_name + "," not in text and pupil.postcode not in text
    assert "School A" not in release.csv_text + release.json_text


def _one_more_placement(world: Any) -> Key:
    pupil = add(world, Spec("A", True, "unplaced"))
    Match.objects.create(
        run=Match.objects.filter(pupil__school=world.schools["A"]).first().run,  # type: ignore[union-attr]
        pupil=pupil,
        opportunity=world.opportunities[(GROWTH, YEAR.start)],
        status=MatchStatus.CONFIRMED,
        rank=1,
    )
    return ("E08000012", "disadvantaged", GROWTH)


def _change(cell: Key) -> Callable[[Key], int]:
    """+1 in the cell and in every total that covers it."""
    return lambda key: int(all(k in (ALL, c) for k, c in zip(key, cell, strict=True)))


def test_before_and_after_one_placement_recovers_nothing() -> None:
    world = build(SPECS)
    before = parse_csv(open_data_release_publish(year=YEAR).csv_text)
    assert before[("E08000012", "disadvantaged", GROWTH)] is None  # four: withheld
    cell = _one_more_placement(world)
    after = parse_csv(open_data_release_publish(year=YEAR).csv_text)
    assert after[cell] is None  # five now, but withheld once, withheld for good
    found = recovered([("before", before), ("after", after)], [("before", "after", _change(cell))])
    # Nothing withheld before can be worked out; nothing withheld after either, beyond a figure
    # that was public before plus the change the attacker already knows.
    assert not [k for k in found if k[0] == "before"]
    assert not [k for k in found if k[0] == "after" and before[k[1]] is None]


def test_the_attacker_breaks_a_release_that_forgets_what_it_withheld() -> None:
    """The same attack on a second release built afresh finds the four: the test can fail."""
    world = build(SPECS)
    before = parse_csv(open_data_release_publish(year=YEAR).csv_text)
    cell = _one_more_placement(world)
    careless = open_data.build(year=YEAR, withheld_before=[])
    after = parse_csv(open_data.as_csv(careless.rows))
    assert after[cell] == 5
    found = recovered([("before", before), ("after", after)], [("before", "after", _change(cell))])
    assert found[("before", cell)] == 4


def test_beat_publishes_this_year_and_last_and_the_public_page_serves_them(client: Client) -> None:
    build(SPECS)
    entry = settings.CELERY_BEAT_SCHEDULE["open-data-publish"]
    assert entry["task"] in app.tasks
    this_year = AcademicYear.of(TODAY)
    assert open_data_publish() == [this_year.previous().slug, this_year.slug]
    page = client.get("/open-data/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Open Government Licence v3.0" in text and "local_authority_code" in text
    response = client.get(f"/open-data/{this_year.slug}.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert (
        json.loads(client.get(f"/open-data/{this_year.slug}.json").content)["academic_year"] == this_year.slug
    )
    assert client.get("/open-data/1999-00.csv").status_code == 404
    assert client.get(f"/open-data/{this_year.slug}.xml").status_code == 404
