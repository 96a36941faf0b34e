"""One row per pupil of a region for an academic year: who sought a placement and who got one.

A pupil *sought* a placement in a year when they applied for, or were matched to, an
opportunity starting in that year; they are *placed* when such a match is agreed (confirmed or
completed, as for Benchmark 6). Everything regional is counted from these rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from mobility.academic_year import AcademicYear
from mobility.geography.models import Region
from placements.models import Application, Match
from placements.web.school_selectors import EXPERIENCE_STATUSES
from schools.models import Pupil, disadvantaged_q


@dataclass(frozen=True)
class Placement:
    sector_id: int
    rank: int | None
    own_choice: bool  # applied for, not suggested by the run
    travel_minutes: int | None


@dataclass(frozen=True)
class PupilYear:
    pupil_id: int
    school_id: int
    local_authority_id: int
    postcode: str
    disadvantaged: bool
    interests: tuple[int, ...]
    sought: bool
    placements: tuple[Placement, ...]

    @property
    def placed(self) -> bool:
        return bool(self.placements)

    @property
    def district(self) -> str:
        return self.postcode.split(" ")[0]


def _in_year(year: AcademicYear, prefix: str = "opportunity__") -> dict[str, object]:
    return {f"{prefix}starts_on__gte": year.first_day, f"{prefix}starts_on__lte": year.last_day}


def pupils_of(*, region: Region | None, year: AcademicYear) -> list[PupilYear]:
    """Every pupil on the roll of the region's schools (all regions when ``region`` is None)."""
    pupils = Pupil.objects.all()
    if region is not None:
        pupils = pupils.filter(school__local_authority__region=region)
    rows = pupils.annotate(
        flagged=Exists(Pupil.objects.filter(disadvantaged_q(), pk=OuterRef("pk")))
    ).values_list("pk", "school_id", "school__local_authority_id", "postcode", "flagged")
    ids = pupils.values("pk")
    sought = set(
        Application.objects.filter(pupil__in=ids, **_in_year(year)).values_list("pupil_id", flat=True)
    ) | set(Match.objects.filter(pupil__in=ids, **_in_year(year)).values_list("pupil_id", flat=True))
    placed: dict[int, list[Placement]] = {}
    for pupil_id, sector_id, rank, suggestion, minutes in (
        Match.objects.filter(pupil__in=ids, status__in=EXPERIENCE_STATUSES, **_in_year(year))
        .order_by("pk")
        .values_list("pupil_id", "opportunity__sector_id", "rank", "is_suggestion", "travel_minutes")
    ):
        placed.setdefault(pupil_id, []).append(Placement(sector_id, rank, not suggestion, minutes))
    interests: dict[int, list[int]] = {}
    for pupil_id, sector_id in Pupil.sector_interests.through.objects.filter(pupil__in=ids).values_list(
        "pupil_id", "sector_id"
    ):
        interests.setdefault(pupil_id, []).append(sector_id)
    return [
        PupilYear(
            pupil_id=pk,
            school_id=school_id,
            local_authority_id=la_id,
            postcode=postcode,
            disadvantaged=bool(dis),
            interests=tuple(sorted(interests.get(pk, ()))),
            sought=pk in sought or pk in placed,
            placements=tuple(placed.get(pk, ())),
        )
        for pk, school_id, la_id, postcode, dis in rows
    ]


def years_with_data(*, region: Region | None, also: Iterable[AcademicYear] = ()) -> list[AcademicYear]:
    """Academic years in which the region's pupils applied or were matched, newest first."""
    scope = {"pupil__school__local_authority__region": region} if region is not None else {}
    days = set(Application.objects.filter(**scope).values_list("opportunity__starts_on", flat=True))
    days |= set(Match.objects.filter(**scope).values_list("opportunity__starts_on", flat=True))
    return sorted({AcademicYear.of(d) for d in days} | set(also), reverse=True)
