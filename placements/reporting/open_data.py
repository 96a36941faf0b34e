"""The year's open data: placements per local authority x sector x group, safe to publish.

Rows are the pupils' schools' local authorities split by group (disadvantaged or not); columns
are sectors of the placements. Row, column and grand totals and each authority's subtotals are
published too, so all of them join one suppression system. Every withheld figure is written
the same way ("[c]"), whether it is small or withheld to protect another, and a figure once
withheld for a year stays withheld in every later release of that year: two releases can then
be differenced without recovering anything (docs/open-data.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from mobility.academic_year import AcademicYear
from mobility.charts import csv_rows
from mobility.disclosure import Entry, SuppressedTable, suppress_table
from mobility.geography.models import LocalAuthority, Sector
from placements.reporting.people import pupils_of

WITHHELD = "[c]"
ALL = "all"
GROUPS = (("disadvantaged", True), ("not-disadvantaged", False))
LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Local authority codes: Contains National Statistics data © Crown copyright and database right."
)
FIELDS = [
    ("academic_year", "The school year, 1 September to 31 August, e.g. 2030-31."),
    ("local_authority_code", 'ONS code of the local authority of the pupils\' schools, or "all".'),
    ("local_authority_name", "Its name."),
    (
        "group",
        '"disadvantaged" (any of free school meals or pupil premium, care-experienced, SEND, '
        'young carer, at risk of NEET), "not-disadvantaged", or "all".',
    ),
    ("sector", 'Slug of the placement\'s sector, or "all".'),
    ("sector_name", "Its name."),
    (
        "placements",
        f'Agreed placements (confirmed or completed) starting in the year; "{WITHHELD}" '
        "when withheld: from 1 to 4, or withheld so that another cannot be worked out.",
    ),
]


@dataclass(frozen=True)
class Built:
    rows: list[dict[str, Any]]
    withheld: list[str]


def build(*, year: AcademicYear, withheld_before: list[str]) -> Built:
    """The year's figures, keeping withheld every key ``withheld_before`` names."""
    authorities = list(LocalAuthority.objects.order_by("code"))
    sectors = list(Sector.objects.order_by("slug"))
    row_keys = [(la.code, g) for la in authorities for g, _ in GROUPS]
    row_index = {k: i for i, k in enumerate(row_keys)}
    col_index = {s.pk: i for i, s in enumerate(sectors)}
    la_by_id = {la.pk: la.code for la in authorities}
    counts = [[0] * len(sectors) for _ in row_keys]
    for pupil in pupils_of(region=None, year=year):
        group = GROUPS[0][0] if pupil.disadvantaged else GROUPS[1][0]
        r = row_index[(la_by_id[pupil.local_authority_id], group)]
        for placement in pupil.placements:
            counts[r][col_index[placement.sector_id]] += 1
    entries = _entries(authorities, sectors)
    keep = [entries[key] for key in withheld_before if key in entries]
    groups = [[2 * i, 2 * i + 1] for i in range(len(authorities))]
    table = suppress_table(counts, row_groups=groups, keep_hidden=keep)
    names = {entry: key for key, entry in entries.items()}
    withheld = sorted(names[e] for e in table.hidden_entries)
    return Built(_rows(year, authorities, sectors, table), withheld)


def _entries(authorities: list[LocalAuthority], sectors: list[Sector]) -> dict[str, Entry]:
    """A stable name for every published figure, so a later release can find it again."""
    entries: dict[str, Entry] = {f"{ALL}|{ALL}|{ALL}": ("all",)}
    for c, s in enumerate(sectors):
        entries[f"{ALL}|{ALL}|{s.slug}"] = ("col", c)
    for i, la in enumerate(authorities):
        entries[f"{la.code}|{ALL}|{ALL}"] = ("grow", i)
        for c, s in enumerate(sectors):
            entries[f"{la.code}|{ALL}|{s.slug}"] = ("gcell", i, c)
        for g, (group, _) in enumerate(GROUPS):
            r = 2 * i + g
            entries[f"{la.code}|{group}|{ALL}"] = ("row", r)
            for c, s in enumerate(sectors):
                entries[f"{la.code}|{group}|{s.slug}"] = ("cell", r, c)
    return entries


def _rows(
    year: AcademicYear, authorities: list[LocalAuthority], sectors: list[Sector], table: SuppressedTable
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def add(la: LocalAuthority | None, group: str, sector: Sector | None, count: Any) -> None:
        out.append(
            {
                "academic_year": year.slug,
                "local_authority_code": la.code if la else ALL,
                "local_authority_name": la.name if la else "All local authorities",
                "group": group,
                "sector": sector.slug if sector else ALL,
                "sector_name": sector.name if sector else "All sectors",
                "placements": count.shown,
            }
        )

    for i, la in enumerate(authorities):
        for g, (group, _) in enumerate(GROUPS):
            r = 2 * i + g
            for c, s in enumerate(sectors):
                add(la, group, s, table.cells[r][c])
            add(la, group, None, table.row_totals[r])
        for c, s in enumerate(sectors):
            add(la, ALL, s, table.group_cells[i][c])
        add(la, ALL, None, table.group_totals[i])
    for c, s in enumerate(sectors):
        add(None, ALL, s, table.column_totals[c])
    add(None, ALL, None, table.grand_total)
    return out


def as_csv(rows: list[dict[str, Any]]) -> str:
    headers = [name for name, _ in FIELDS]
    return csv_rows(headers, [[WITHHELD if r[h] is None else r[h] for h in headers] for r in rows])


def as_json(*, year: AcademicYear, published_at: str, rows: list[dict[str, Any]]) -> str:
    return json.dumps(
        {
            "title": f"Work experience placements by local authority, sector and group, {year.label}",
            "academic_year": year.slug,
            "published_at": published_at,
            "licence": LICENCE,
            "attribution": ATTRIBUTION,
            "schema": [{"name": n, "description": d} for n, d in FIELDS],
            "withheld": "A withheld figure is null in this file and [c] in the CSV file.",
            "rows": rows,
        },
        indent=1,
    )
