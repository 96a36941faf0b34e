"""A map of a region drawn on the server from the postcode data the platform ships.

The base is every postcode of the region's local authorities, binned into one-kilometre squares
(no tiles, no network). Circles at postcode district centres size pupils without a placement
and free seats; a pupil count that suppression hides is drawn at one fixed size, so the map
never shows what its table withholds. Schools and sites are marks of their own shapes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from employers.models import Opportunity, Site
from mobility.academic_year import AcademicYear
from mobility.charts import Row, Table
from mobility.disclosure import THRESHOLD, suppress_table
from mobility.geography.models import Region
from mobility.geography.postcodes import locations_in
from placements.models import MatchRun, UnplacedPupil
from placements.reporting.people import PupilYear
from schools.models import School

CELL = 1000  # metres per base square
WIDTH = 640  # the viewBox width; the height follows the region's shape
PAD = 16
MAX_RADIUS = 26.0
MIN_RADIUS = 4.0
HIDDEN_RADIUS = 6.0  # every suppressed count, whatever it is
DISTRICT_RE = re.compile(r"^([A-Z]+)(\d+)")


@dataclass(frozen=True)
class Base:
    cells: tuple[tuple[int, int], ...]  # south-west corners, metres
    centres: dict[str, tuple[float, float]]  # postcode district -> mean grid point
    bounds: tuple[int, int, int, int]  # min east, min north, max east, max north


@lru_cache(maxsize=16)
def _base(codes: tuple[str, ...], letters: str) -> Base:
    points = locations_in(codes, letters)
    cells = sorted({(p.easting // CELL * CELL, p.northing // CELL * CELL) for p in points})
    sums: dict[str, list[float]] = {}
    for p in points:
        s = sums.setdefault(p.postcode.split(" ")[0], [0.0, 0.0, 0.0])
        s[0] += p.easting
        s[1] += p.northing
        s[2] += 1
    centres = {d: (s[0] / s[2], s[1] / s[2]) for d, s in sums.items()}
    if not cells:
        return Base((), {}, (0, 0, CELL, CELL))
    east = [c[0] for c in cells]
    north = [c[1] for c in cells]
    return Base(tuple(cells), centres, (min(east), min(north), max(east) + CELL, max(north) + CELL))


def region_base(region: Region, postcodes: Iterable[str]) -> Base:
    """The region's base; ``postcodes`` (its schools' and sites') say which data files to read."""
    codes = tuple(sorted(region.local_authorities.values_list("code", flat=True)))
    letters = "".join(sorted({p[0].upper() for p in postcodes if p}))
    return _base(codes, letters)


@dataclass(frozen=True)
class Circle:
    x: float
    y: float
    r: float
    district: str
    kind: str  # "pupils" or "seats"
    label: str
    suppressed: bool


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    kind: str  # "school" or "site"
    name: str


@dataclass(frozen=True)
class Map:
    title: str
    description: str
    width: int
    height: int
    cell: float
    cells: list[tuple[float, float]]
    circles: list[Circle]
    marks: list[Mark]
    table: Table

    @property
    def triangle(self) -> float:
        return 5.0


@dataclass(frozen=True)
class Place:
    name: str
    postcode: str
    easting: int
    northing: int


def draw(
    *,
    region: Region,
    key: str,
    title: str,
    pupil_postcodes: list[str],
    seats: list[tuple[str, int]],
    schools: list[Place],
    sites: list[Place],
    reveal: bool,
) -> Map:
    """Pupils (one postcode each) and free seats (postcode, seats) by district over the region."""
    base = region_base(region, [p.postcode for p in [*schools, *sites]] + pupil_postcodes)
    min_e, min_n, max_e, max_n = base.bounds
    scale = (WIDTH - 2 * PAD) / max(max_e - min_e, 1)
    height = round((max_n - min_n) * scale + 2 * PAD)

    def xy(e: float, n: float) -> tuple[float, float]:
        return round(PAD + (e - min_e) * scale, 1), round(height - PAD - (n - min_n) * scale, 1)

    pupils: dict[str, int] = {}
    for postcode in pupil_postcodes:
        district = postcode.split(" ")[0]
        pupils[district] = pupils.get(district, 0) + 1
    free: dict[str, int] = {}
    for postcode, n in seats:
        if n > 0:
            district = postcode.split(" ")[0]
            free[district] = free.get(district, 0) + n
    districts = sorted(set(pupils) | set(free), key=_district_order)
    # Each column adds up to a published total, so each is suppressed as one (seats too, by the
    # platform's rule that no page shows a count from 1 to 4).
    pupil_table = suppress_table([[pupils.get(d, 0)] for d in districts], reveal=reveal)
    seat_table = suppress_table([[free.get(d, 0)] for d in districts], reveal=reveal)
    counts = [pupil_table.cells[i][0] for i in range(len(districts))]
    seat_counts = [seat_table.cells[i][0] for i in range(len(districts))]
    top = max([c.value for c in counts + seat_counts if not c.hidden] + [1])
    circles: list[Circle] = []
    rows: list[Row] = []
    for d, count, seats_here in zip(districts, counts, seat_counts, strict=True):
        rows.append(Row(d, [count.label, seats_here.label, "yes" if d in base.centres else "no"]))
        if d not in base.centres:
            continue
        x, y = xy(*base.centres[d])
        for kind, c, words in (
            ("pupils", count, "pupils without a placement"),
            ("seats", seats_here, "free seats"),
        ):
            if c.value or c.hidden:
                r = HIDDEN_RADIUS if c.hidden else _radius(c.value, top)
                circles.append(Circle(x, y, r, d, kind, f"{d}: {c.label} {words}", c.hidden))
    marks = [
        Mark(*xy(p.easting, p.northing), kind, p.name)
        for kind, places in (("school", schools), ("site", sites))
        for p in places
        if min_e <= p.easting <= max_e and min_n <= p.northing <= max_n
    ]
    return Map(
        title=title,
        description=(
            f"Map of {region.name} drawn from its postcodes. Filled circles: pupils without a placement "
            "by postcode district, sized by number; a small dashed circle means "
            f"fewer than {THRESHOLD} or withheld. "
            "Open rings: free seats by district. Squares: schools. Triangles: workplaces. "
            "The table beside the map gives every figure."
        ),
        width=WIDTH,
        height=height,
        cell=round(CELL * scale, 2),
        cells=[xy(e, n + CELL) for e, n in base.cells],
        circles=circles,
        marks=marks,
        table=Table(
            key,
            "Pupils without a placement and free seats, by postcode district",
            ["Postcode district", "Pupils without a placement", "Free seats", "On the map"],
            rows,
        ),
    )


def _radius(value: int, top: int) -> float:
    return round(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(value / top), 1)


def _district_order(district: str) -> tuple[str, int, str]:
    """L2 before L10: area letters, then the district number."""
    match = DISTRICT_RE.match(district)
    return (match.group(1), int(match.group(2)), district) if match else (district, 0, district)


def _places(rows: Iterable[tuple[str, str, int, int]]) -> list[Place]:
    return [Place(*row) for row in rows]


def _over_region(
    region: Region, title: str, pupil_postcodes: list[str], reveal: bool, **dates: object
) -> Map:
    """Pupils and the free seats of placements starting within ``dates``, over the region."""
    codes = list(region.local_authorities.values_list("code", flat=True))
    fields = ("name", "postcode", "easting", "northing")
    opportunities = Opportunity.objects.filter(
        status=Opportunity.Status.PUBLISHED, site__local_authority_code__in=codes, **dates
    ).values_list("site__postcode", "capacity", "seats_taken")
    return draw(
        region=region,
        key="map",
        title=title,
        pupil_postcodes=pupil_postcodes,
        seats=[(postcode, capacity - taken) for postcode, capacity, taken in opportunities],
        schools=_places(School.objects.filter(local_authority__region=region).values_list(*fields)),
        sites=_places(Site.objects.filter(local_authority_code__in=codes).values_list(*fields)),
        reveal=reveal,
    )


def region_map(*, region: Region, year: AcademicYear, people: list[PupilYear], reveal: bool) -> Map:
    """The region lead's map: the year's pupils without a placement and its free seats."""
    return _over_region(
        region,
        f"Pupils without a placement and free seats in {region.name}, {year.label}",
        [p.postcode for p in people if p.sought and not p.placed],
        reveal,
        starts_on__gte=year.first_day,
        starts_on__lte=year.last_day,
    )


def run_map(*, run: MatchRun, reveal: bool) -> Map:
    """The adviser's map for a run: the pupils it could not place and the seats still free."""
    return _over_region(
        run.region,
        f"Pupils run {run.pk} could not place, and free seats, in {run.region.name}",
        list(UnplacedPupil.objects.filter(run=run).values_list("pupil__postcode", flat=True)),
        reveal,
        starts_on__gte=run.created_at.date(),
    )
