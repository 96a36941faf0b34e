"""Reads behind the school staff's Benchmark 6 page: pupils with a workplace experience, small numbers
suppressed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from mobility.disclosure import Count, suppress_table
from placements.models import Match, MatchStatus
from schools.models import Pupil, School, disadvantaged_q

# A workplace experience counts once it is agreed: confirmed, or completed.
EXPERIENCE_STATUSES = (MatchStatus.CONFIRMED, MatchStatus.COMPLETED)
DISADVANTAGE = disadvantaged_q()


@dataclass(frozen=True)
class Share:
    pupils: Count
    with_experience: Count

    @property
    def percent(self) -> int | None:
        rate = self.with_experience.rate_of(self.pupils)
        if rate is None:
            return 0 if not self.pupils.hidden and not self.pupils.value else None
        return round(100 * rate)


@dataclass(frozen=True)
class YearRow:
    year_group: int
    everyone: Share
    disadvantaged: Share
    others: Share


def benchmark6(*, school: School, reveal: bool = False) -> list[YearRow]:
    """Per year group: share of pupils with a workplace experience, split by disadvantage.

    Each year group is a table of disadvantaged / not by with / without an experience,
    whose totals are shown; it goes through the one suppression function.
    """
    experienced = Match.objects.filter(pupil=OuterRef("pk"), status__in=EXPERIENCE_STATUSES)
    pupils = (
        Pupil.objects.filter(school=school)
        .annotate(
            experienced=Exists(experienced),
            disadvantaged=Exists(Pupil.objects.filter(DISADVANTAGE, pk=OuterRef("pk"))),
        )
        .values_list("year_group", "experienced", "disadvantaged")
    )
    counts: dict[int, dict[str, list[int]]] = {}
    for year, has, dis in pupils:
        group = counts.setdefault(year, {"all": [0, 0], "dis": [0, 0], "other": [0, 0]})
        for key in ("all", "dis" if dis else "other"):
            group[key][0] += 1
            group[key][1] += int(has)
    rows = []
    for year, c in sorted(counts.items()):
        (dis_pupils, dis_with), (other_pupils, other_with) = c["dis"], c["other"]
        table = suppress_table(
            [[dis_with, dis_pupils - dis_with], [other_with, other_pupils - other_with]], reveal=reveal
        )
        rows.append(
            YearRow(
                year,
                Share(table.grand_total, table.column_totals[0]),
                Share(table.row_totals[0], table.cells[0][0]),
                Share(table.row_totals[1], table.cells[1][0]),
            )
        )
    return rows
