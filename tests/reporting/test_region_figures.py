"""The region lead's figures against counts taken straight from the world's specs, and every
table's small numbers suppressed."""

from __future__ import annotations

import statistics
from collections import Counter

import pytest

from mobility.charts import Table
from placements.reporting.selectors import Report, region_report

from .checks import small_counts
from .world import GROWTH, KNOWSLEY, LAST_YEAR, OTHER, YEAR, Spec, build, sector_named

pytestmark = pytest.mark.django_db

SPECS = [
    *[Spec("A", True, "first", minutes=m) for m in (10, 20, 30, 40)],
    Spec("A", True, "second", minutes=50),
    Spec("A", True, "unplaced"),
    *[Spec("A", False, "first", sector=OTHER, minutes=15) for _ in range(3)],
    *[Spec("A", False, "unplaced", sector=OTHER) for _ in range(2)],
    Spec("A", False, "none"),
    Spec("B", False, "first"),
    Spec("B", False, "unplaced"),
    *[Spec("C", False, "first", sector=OTHER, home="L36 9YU") for _ in range(5)],
    *[Spec("C", False, "unplaced", home="L36 9YU") for _ in range(2)],
    *[Spec("A", False, "unplaced", year=LAST_YEAR) for _ in range(6)],
]


def rows(table: Table) -> dict[str, list[str]]:
    return {row.label: row.values for row in table.rows}


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%"


@pytest.fixture
def report() -> Report:
    world = build(SPECS)
    return region_report(region=world.region, year=YEAR, reveal=True)


def placed(spec: Spec) -> bool:
    return spec.year == YEAR and spec.outcome in ("first", "second")


def test_benchmark6_counts_each_school_roll_and_its_placements(report: Report) -> None:
    roll = Counter(s.school for s in SPECS)
    with_one = Counter(s.school for s in SPECS if placed(s))
    table = rows(report.sections[0].table)
    for school in "ABC":
        assert table[f"School {school}"][:2] == [str(roll[school]), str(with_one[school])]
    liverpool = roll["A"] + roll["B"], with_one["A"] + with_one["B"]
    assert table["Liverpool"] == [str(liverpool[0]), str(liverpool[1]), percent(liverpool[1], liverpool[0])]
    assert table["Region"][:2] == [str(len(SPECS)), str(sum(with_one.values()))]


def test_outcomes_by_disadvantage_group(report: Report) -> None:
    table = rows(report.sections[1].table)
    for label, dis in (("Disadvantaged", True), ("Not disadvantaged", False)):
        group = [s for s in SPECS if s.disadvantaged is dis and s.year == YEAR and s.outcome != "none"]
        got = [s for s in group if placed(s)]
        first = [s for s in got if s.outcome == "first"]
        assert table[label] == [
            str(len(group)),
            str(len(got)),
            percent(len(got), len(group)),
            percent(len(first), len(got)),
            f"{statistics.median(s.minutes for s in got):.0f}",
        ]


def test_sector_mix_marks_growth_sectors(report: Report) -> None:
    by_sector = Counter(s.sector for s in SPECS if placed(s))
    total = sum(by_sector.values())
    table = rows(report.sections[2].table)
    assert table[sector_named(GROWTH)] == ["Yes", str(by_sector[GROWTH]), percent(by_sector[GROWTH], total)]
    assert table[sector_named(OTHER)] == ["No", str(by_sector[OTHER]), percent(by_sector[OTHER], total)]
    assert table["All growth sectors"][1] == str(by_sector[GROWTH])
    assert table["All placements"][1] == str(total)


def test_unmet_demand_by_authority_and_sector_with_the_trend(report: Report) -> None:
    by_la, by_sector = rows(report.sections[3].table), rows(report.sections[4].table)
    assert report.sections[3].table.headers[-2:] == [LAST_YEAR.label, YEAR.label]

    def unmet(year: object, schools: str = "ABC", sector: str | None = None) -> str:
        return str(
            sum(
                1
                for s in SPECS
                if s.year == year
                and s.outcome == "unplaced"
                and s.school in schools
                and sector in (None, s.sector)
            )
        )

    for label, schools in (("Liverpool", "AB"), ("Knowsley", "C")):
        assert by_la[label][-2:] == [unmet(LAST_YEAR, schools), unmet(YEAR, schools)]
    for slug in (GROWTH, OTHER):
        assert by_sector[sector_named(slug)][-1] == unmet(YEAR, sector=slug)
    assert KNOWSLEY  # the Knowsley school is in the region


def test_every_table_suppresses_small_numbers() -> None:
    world = build(SPECS)
    shown = region_report(region=world.region, year=YEAR, reveal=False)
    tables = [s.table for s in shown.sections] + [shown.map.table]
    for table in tables:
        assert not small_counts(table.headers, [[row.label, *row.values] for row in table.rows]), table.key
    revealed = region_report(region=world.region, year=YEAR, reveal=True)
    assert any(
        small_counts(s.table.headers, [[r.label, *r.values] for r in s.table.rows]) for s in revealed.sections
    )  # there were small numbers to hide
    # The small ones are there, just hidden: school B has two pupils, and Knowsley two without a placement.
    assert rows(tables[0])["School B"][0] == "fewer than 5"
    assert rows(tables[3])["Knowsley"][-1] == "fewer than 5"
    # A rate over a hidden count is not shown either.
    assert rows(tables[0])["School B"][2] == "none"
