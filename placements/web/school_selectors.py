"""Reads behind the school staff's Benchmark 6 page: pupils with a workplace experience."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from placements.models import Match, MatchStatus
from schools.models import Pupil, School, disadvantaged_q

# A workplace experience counts once it is agreed: confirmed, or completed.
EXPERIENCE_STATUSES = (MatchStatus.CONFIRMED, MatchStatus.COMPLETED)
DISADVANTAGE = disadvantaged_q()


@dataclass(frozen=True)
class Share:
    pupils: int
    with_experience: int

    @property
    def percent(self) -> int:
        return round(100 * self.with_experience / self.pupils) if self.pupils else 0


@dataclass(frozen=True)
class YearRow:
    year_group: int
    everyone: Share
    disadvantaged: Share
    others: Share


def benchmark6(*, school: School) -> list[YearRow]:
    """Per year group: share of pupils with a workplace experience, split by disadvantage."""
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
    return [
        YearRow(year, Share(*c["all"]), Share(*c["dis"]), Share(*c["other"]))
        for year, c in sorted(counts.items())
    ]
