"""The region lead's report for one academic year: each figure as a table with its chart.

Every count goes through ``mobility.disclosure`` unless a platform admin asks (``reveal``).
"""

from __future__ import annotations

import statistics as stats
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from mobility.academic_year import AcademicYear
from mobility.charts import Bar, BarChart, Row, Table, percent_text
from mobility.disclosure import THRESHOLD, Count, suppress_table
from mobility.geography.models import LocalAuthority, Region, Sector
from mobility.permissions import is_admin, lead_region_id_of
from placements.reporting.map import Map, region_map
from placements.reporting.people import PupilYear, pupils_of, years_with_data
from schools.models import School

TREND_YEARS = 4
GROUPS = (("Disadvantaged", True), ("Not disadvantaged", False))


@dataclass(frozen=True)
class Section:
    table: Table
    chart: BarChart


def _share(part: Count, whole: Count) -> str:
    rate = part.rate_of(whole)
    return "none" if rate is None else f"{round(100 * rate)}%"


def benchmark6(*, region: Region, people: list[PupilYear], reveal: bool) -> Section:
    """Pupils on roll with a placement this year, per school, with local authority subtotals."""
    authorities = list(LocalAuthority.objects.filter(region=region).order_by("name"))
    schools = list(School.objects.filter(local_authority__region=region).order_by("name"))
    counts = {s.pk: [0, 0] for s in schools}
    for p in people:
        counts[p.school_id][0 if p.placed else 1] += 1
    order = [s for la in authorities for s in schools if s.local_authority_id == la.pk]
    groups = [[i for i, s in enumerate(order) if s.local_authority_id == la.pk] for la in authorities]
    table = suppress_table([counts[s.pk] for s in order], reveal=reveal, row_groups=groups, columns=2)
    rows, bars = [], []
    for g, la in enumerate(authorities):
        pupils, placed = table.group_totals[g], table.group_cells[g][0]
        rows.append(Row(la.name, [pupils.label, placed.label, _share(placed, pupils)], subtotal=True))
        value, text = percent_text(placed.rate_of(pupils))
        bars.append(Bar(la.name, value, text))
        for i in groups[g]:
            pupils, placed = table.row_totals[i], table.cells[i][0]
            rows.append(Row(order[i].name, [pupils.label, placed.label, _share(placed, pupils)]))
    total = table.grand_total
    rows.append(
        Row(
            "Region", [total.label, table.column_totals[0].label, _share(table.column_totals[0], total)], True
        )
    )
    return Section(
        Table(
            "benchmark6",
            "Benchmark 6: pupils with a workplace experience, by local authority and school",
            ["Local authority or school", "Pupils on roll", "With a placement this year", "Share"],
            rows,
        ),
        BarChart(
            "benchmark6",
            "Share of pupils with a workplace experience, by local authority",
            "Horizontal bars, one per local authority, from 0 to 100 per cent; the table beside it "
            "gives every school.",
            bars,
            maximum=100,
        ),
    )


def outcomes(*, people: list[PupilYear], reveal: bool) -> Section:
    """Placement rate, first-choice rate and journey time for disadvantaged pupils and the rest."""
    seekers = [[p for p in people if p.sought and p.disadvantaged is dis] for _, dis in GROUPS]
    placed_table = suppress_table(
        [[sum(p.placed for p in g), sum(not p.placed for p in g)] for g in seekers], reveal=reveal
    )
    own = [[pl for p in g for pl in p.placements[:1] if pl.own_choice] for g in seekers]
    first_table = suppress_table(
        [[sum(pl.rank == 1 for pl in o), sum(pl.rank != 1 for pl in o)] for o in own], reveal=reveal
    )
    rows, bars = [], []
    for i, (name, _) in enumerate(GROUPS):
        pupils, placed = placed_table.row_totals[i], placed_table.cells[i][0]
        first_row = first_table.cells[i]
        own_total = sum(c.value for c in first_row)
        # The first-choice rate is shown only when none of its figures is hidden.
        first = (
            f"{round(100 * first_row[0].value / own_total)}%"
            if own_total and not placed.hidden and not any(c.hidden for c in first_row)
            else "none"
        )
        minutes = [
            pl.travel_minutes for p in seekers[i] for pl in p.placements[:1] if pl.travel_minutes is not None
        ]
        median = (
            f"{stats.median(minutes):.0f}"
            if minutes and not placed.hidden and (reveal or len(minutes) >= THRESHOLD)
            else "none"
        )
        rows.append(Row(name, [pupils.label, placed.label, _share(placed, pupils), first, median]))
        value, text = percent_text(placed.rate_of(pupils))
        bars.append(Bar(name, value, text, emphasis=i == 0))
    return Section(
        Table(
            "outcomes",
            "Pupils who sought a placement, by disadvantage group",
            [
                "Group",
                "Pupils who sought a placement",
                "Placed",
                "Placement rate",
                "First-choice rate",
                "Median journey (minutes)",
            ],
            rows,
        ),
        BarChart(
            "outcomes",
            "Placement rate by disadvantage group",
            "Horizontal bars from 0 to 100 per cent: disadvantaged pupils (hatched) and the rest.",
            bars,
            maximum=100,
            legend="Hatched: disadvantaged pupils.",
        ),
    )


def sector_mix(*, region: Region, people: list[PupilYear], reveal: bool) -> Section:
    """Placements by sector, growth sectors grouped and marked, against all placements."""
    growth = set(region.growth_sectors.values_list("pk", flat=True))
    counts: dict[int, int] = {}
    for p in people:
        for pl in p.placements:
            counts[pl.sector_id] = counts.get(pl.sector_id, 0) + 1
    sectors = list(Sector.objects.filter(pk__in=set(counts) | growth).order_by("name"))
    sectors.sort(key=lambda s: s.pk not in growth)
    groups = [[i for i, s in enumerate(sectors) if (s.pk in growth) is g] for g in (True, False)]
    table = suppress_table(
        [[counts.get(s.pk, 0)] for s in sectors], reveal=reveal, row_groups=groups, columns=1
    )
    total = table.grand_total
    rows, bars = [], []
    for i, s in enumerate(sectors):
        count = table.cells[i][0]
        is_growth = s.pk in growth
        rows.append(Row(s.name, ["Yes" if is_growth else "No", count.label, _share(count, total)]))
        label = f"{s.name} (growth)" if is_growth else s.name
        bars.append(Bar(label, count.shown, count.label, emphasis=is_growth))
    for g, name in enumerate(("All growth sectors", "All other sectors")):
        rows.append(Row(name, ["", table.group_totals[g].label, _share(table.group_totals[g], total)], True))
    rows.append(
        Row("All placements", ["", total.label, "100%" if not total.hidden and total.value else "none"], True)
    )
    return Section(
        Table(
            "sectors",
            "Placements by sector, against the region's growth sectors",
            ["Sector", "Growth sector", "Placements", "Share of placements"],
            rows,
        ),
        BarChart(
            "sectors",
            "Placements by sector",
            "Horizontal bars, one per sector, sized by placements; growth sectors are hatched and "
            "named as such.",
            bars,
            legend="Hatched and marked (growth): the region's growth sectors.",
        ),
    )


def _trend(
    key: str,
    caption: str,
    heading: str,
    labels: list[tuple[int, str]],
    per_year: list[dict[int, int]],
    years: list[AcademicYear],
    reveal: bool,
    totals: bool = True,
) -> Section:
    table = suppress_table(
        [[counts.get(k, 0) for counts in per_year] for k, _ in labels], reveal=reveal, columns=len(years)
    )
    rows = [Row(name, [c.label for c in table.cells[i]]) for i, (_, name) in enumerate(labels)]
    if totals:  # a pupil interested in several sectors is in several rows, so those add up to nothing
        rows.append(Row("All", [c.label for c in table.column_totals], True))
    bars = [
        Bar(f"{name}, {year.label}", c.shown, c.label, emphasis=j == len(years) - 1)
        for i, (_, name) in enumerate(labels)
        for j, (year, c) in enumerate(zip(years, table.cells[i], strict=True))
    ]
    return Section(
        Table(key, caption, [heading, *[y.label for y in years]], rows),
        BarChart(
            key,
            caption,
            f"Horizontal bars, one per {heading.lower()} and year, oldest year first; "
            "the year chosen is hatched.",
            bars,
            legend="Hatched: the year chosen.",
        ),
    )


def unmet_trend(*, region: Region, year: AcademicYear, reveal: bool) -> tuple[Section, Section]:
    """Pupils who sought a placement and have none, by local authority and by sector of interest."""
    years = [AcademicYear(year.start - n) for n in reversed(range(TREND_YEARS))]
    by_la: list[dict[int, int]] = []
    by_sector: list[dict[int, int]] = []
    for y in years:
        la: dict[int, int] = {}
        sector: dict[int, int] = {}
        for p in pupils_of(region=region, year=y):
            if p.sought and not p.placed:
                la[p.local_authority_id] = la.get(p.local_authority_id, 0) + 1
                for s in p.interests:
                    sector[s] = sector.get(s, 0) + 1
        by_la.append(la)
        by_sector.append(sector)
    authorities = [(la.pk, la.name) for la in LocalAuthority.objects.filter(region=region).order_by("name")]
    wanted = {k for counts in by_sector for k in counts}
    sectors = [(s.pk, s.name) for s in Sector.objects.filter(pk__in=wanted).order_by("name")]
    return (
        _trend(
            "unmet-authorities",
            "Pupils without a placement, by local authority",
            "Local authority",
            authorities,
            by_la,
            years,
            reveal,
        ),
        _trend(
            "unmet-sectors",
            "Pupils without a placement, by sector of interest",
            "Sector",
            sectors,
            by_sector,
            years,
            reveal,
            totals=False,
        ),
    )


def regions_for_lead(*, user: Any) -> Any:
    """The regions whose reports this user may read: a lead's own, every one for an admin."""
    if is_admin(user):
        return Region.objects.all()
    region_id = lead_region_id_of(user)
    return Region.objects.filter(pk=region_id) if region_id else Region.objects.none()


@dataclass(frozen=True)
class Report:
    region: Region
    year: AcademicYear
    years: list[AcademicYear]
    sections: list[Section]
    map: Map

    def table(self, key: str) -> Table | None:
        tables = [s.table for s in self.sections] + [self.map.table]
        return next((t for t in tables if t.key == key), None)


def region_report(*, region: Region, year: AcademicYear | None, reveal: bool) -> Report:
    """Everything on the region lead's page; ``year`` None means the latest year with data."""
    years = years_with_data(region=region, also=[AcademicYear.of(timezone.localdate())])
    chosen = year if year in years else years[0]
    people = pupils_of(region=region, year=chosen)
    by_la, by_sector = unmet_trend(region=region, year=chosen, reveal=reveal)
    return Report(
        region=region,
        year=chosen,
        years=years,
        sections=[
            benchmark6(region=region, people=people, reveal=reveal),
            outcomes(people=people, reveal=reveal),
            sector_mix(region=region, people=people, reveal=reveal),
            by_la,
            by_sector,
        ],
        map=region_map(region=region, year=chosen, people=people, reveal=reveal),
    )
