"""Reads that turn the database into the engine's frozen, columnar input.

Every table is loaded with a handful of set-based ``values_list`` queries
ordered by id; nothing here issues a query per pupil or per opportunity.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.db.models.expressions import RawSQL
from numpy.typing import NDArray

from employers.models import OPEN_TO_PUPILS, Employer, Opportunity
from mobility.geography.models import Region, Sector
from placements.engine.inputs import (
    CONSENT_CODES,
    MODE_CODES,
    NO_DATE,
    MatchInput,
    OpportunityTable,
    PupilTable,
)
from placements.engine.policy import Policy
from placements.matching.timetable import timetable_minutes_build
from placements.models import LIVE_STATUSES, SEAT_HOLDING_STATUSES, Application, Match
from schools.models import DISADVANTAGE_FLAGS, Cohort, Pupil, School, WorkExperienceWindow


def _csr(
    rows: list[tuple[int, int, int]], ids: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """CSR pointer over ``ids`` and values from (owner id, sort key, value) rows in any order.

    Sorting here rather than in SQL spares the database a sort that spills to disk.
    Rows whose owner is not in ``ids`` are dropped.
    """
    table = np.asarray(rows, dtype=np.int64).reshape(len(rows), 3)
    table = table[np.lexsort((table[:, 1], table[:, 0]))]
    owner = table[:, 0]
    pos = np.searchsorted(ids, owner)
    keep = pos < len(ids)
    keep[keep] = ids[pos[keep]] == owner[keep]
    ptr = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(np.bincount(pos[keep], minlength=len(ids)), out=ptr[1:])
    return ptr, table[keep, 2]


def _days(values: Iterable[dt.date | None]) -> NDArray[np.int32]:
    return np.asarray([NO_DATE if v is None else v.toordinal() for v in values], dtype=np.int32)


def _window_rows(region: Region, as_of: dt.date) -> list[tuple[Any, ...]]:
    """Windows still to come at the region's schools and youth services, and the region's young
    people's own windows wherever they are; the last column says whether the window's school is
    in the region. Few rows (a school's year groups, a young person's own), in one query."""
    here = Q(school__local_authority__region=region)
    return list(
        WorkExperienceWindow.objects.filter(here | Q(pupil__school__local_authority__region=region))
        .filter(ends_on__gte=as_of)
        .annotate(here=ExpressionWrapper(here, output_field=BooleanField()))
        .order_by("school_id", "year_group", "starts_on", "ends_on")
        .values_list("school_id", "year_group", "starts_on", "ends_on", "pupil_id", "school__kind", "here")
    )


def _served(
    ids: NDArray[np.int64],
    p_key: NDArray[np.int64],
    windows: list[tuple[Any, ...]],
    *listed: NDArray[np.int64],
) -> NDArray[np.bool_]:
    """Which of the region's pupils a run serves: those with a work-experience window still to
    come (their year group's at a school, or their own), an active application, or a live
    placement (kept fixed). ``listed``: owners of the application and live-placement rows."""
    year_groups = [r[0] * 100 + r[1] for r in windows if r[4] is None and r[5] == School.Kind.SCHOOL]
    own = [r[4] for r in windows if r[4] is not None]
    served = np.isin(p_key, np.asarray(year_groups, dtype=np.int64))
    for owners in (np.asarray(own, dtype=np.int64), *listed):
        served |= np.isin(ids, owners)
    return served


def _pupil_windows(
    windows: list[tuple[Any, ...]], ids: NDArray[np.int64], p_key: NDArray[np.int64], young: NDArray[np.bool_]
) -> tuple[NDArray[np.int64], NDArray[np.int32], NDArray[np.int32]]:
    """Each pupil's windows in CSR form: a school pupil's year group's, a young person's own."""
    # A young person's window is at their youth service, so in the region with it.
    here = [r for r in windows if r[6]]
    year_groups = [r[:4] for r in here if r[4] is None and r[5] == School.Kind.SCHOOL]
    own = [(r[4], r[2], r[3]) for r in here if r[4] is not None]
    w_school, w_year, w_start, w_end = zip(*year_groups, strict=True) if year_groups else ((), (), (), ())
    w_key = np.asarray(w_school, dtype=np.int64) * 100 + np.asarray(w_year, dtype=np.int64)  # sorted
    first = np.searchsorted(w_key, p_key, "left")
    count = np.searchsorted(w_key, p_key, "right") - first
    count[young] = 0
    at = np.repeat(first, count) + np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    owner = np.repeat(np.arange(len(ids)), count)
    starts, ends = _days(w_start)[at], _days(w_end)[at]
    if own and len(ids):
        o_pupil, o_start, o_end = zip(*own, strict=True)
        pos = np.searchsorted(ids, np.asarray(o_pupil, dtype=np.int64))
        keep = (pos < len(ids)) & (ids[np.minimum(pos, len(ids) - 1)] == np.asarray(o_pupil))
        owner = np.concatenate([owner, pos[keep]])
        starts = np.concatenate([starts, _days(o_start)[keep]])
        ends = np.concatenate([ends, _days(o_end)[keep]])
    order = np.lexsort((ends, starts, owner))
    ptr = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=len(ids)), out=ptr[1:])
    return ptr, starts[order].astype(np.int32), ends[order].astype(np.int32)


def pupil_table_build(*, region: Region, as_of: dt.date) -> PupilTable:
    # Every pupil at the region's schools (a plain join); which of them the run serves is worked
    # out from the lists read below anyway: the same test as EXISTS subqueries per pupil, which
    # PostgreSQL ran once per pupil (about a second for 20,000 pupils).
    rows = list(
        Pupil.objects.filter(school__local_authority__region=region)
        .order_by("id")
        .values_list(
            "id",
            "school_id",
            "school__local_authority__code",
            "year_group",
            "date_of_birth",
            "easting",
            "northing",
            "max_travel_minutes",
            "needs_step_free_access",
            *DISADVANTAGE_FLAGS,
            "parental_consent",
            "cohort",
        )
    )
    # Lists are read for all the region's pupils (a plain join); rows of pupils the run does
    # not serve are dropped by _csr.
    in_region = {"pupil__school__local_authority__region": region}
    live_rows = list(
        Match.objects.filter(**in_region, status__in=LIVE_STATUSES)
        .order_by()
        .values_list("pupil_id", "pk", "opportunity_id")
    )
    interest_rows = list(
        Pupil.sector_interests.through.objects.filter(**in_region)
        .order_by()
        .values_list("pupil_id", "sector_id", "sector_id")
    )
    application_rows = list(
        Application.objects.filter(**in_region, status=Application.Status.ACTIVE)
        .order_by()
        .values_list("pupil_id", "rank", "opportunity_id")
    )
    windows = _window_rows(region, as_of)

    ids = np.asarray([r[0] for r in rows], dtype=np.int64)
    p_key = np.asarray([r[1] * 100 + r[3] for r in rows], dtype=np.int64)
    served = _served(
        ids,
        p_key,
        windows,
        np.asarray([r[0] for r in live_rows], dtype=np.int64),
        np.asarray([r[0] for r in application_rows], dtype=np.int64),
    )
    rows = [row for row, keep in zip(rows, served.tolist(), strict=True) if keep]
    ids, p_key = ids[served], p_key[served]
    cols = list(zip(*rows, strict=True)) if rows else [()] * (11 + len(DISADVANTAGE_FLAGS))

    # Live placements: those pupils keep their seat and are never reshuffled.
    live_ptr, live_opportunity = _csr(live_rows, ids)
    approved = np.full(len(ids), -1, dtype=np.int64)
    has_live = np.diff(live_ptr) > 0  # at most one live match per pupil (a DB constraint)
    approved[has_live] = live_opportunity

    interest_ptr, interest_sector = _csr(interest_rows, ids)

    young = np.asarray(cols[10 + len(DISADVANTAGE_FLAGS)], dtype=str) != Cohort.SCHOOL_PUPIL
    window_ptr, window_start, window_end = _pupil_windows(windows, ids, p_key, young)

    application_ptr, application_opportunity = _csr(application_rows, ids)

    return PupilTable(
        pupil_id=ids,
        la_code=np.asarray(cols[2], dtype=str),
        year_group=np.asarray(cols[3]),
        birth_day=_days(cols[4]),
        easting=np.asarray(cols[5]),
        northing=np.asarray(cols[6]),
        max_travel_minutes=np.asarray(cols[7]),
        needs_step_free=np.asarray(cols[8], dtype=bool),
        **{flag: np.asarray(cols[9 + i], dtype=bool) for i, flag in enumerate(DISADVANTAGE_FLAGS)},
        approved_opportunity_id=approved,
        interest_ptr=interest_ptr,
        interest_sector=interest_sector.astype(np.int32),
        window_ptr=window_ptr,
        window_start=window_start,
        window_end=window_end,
        application_ptr=application_ptr,
        application_opportunity_id=application_opportunity,
        # Refused or withdrawn consent keeps the pupil out of the run (the engine says why).
        consent=np.asarray(
            [CONSENT_CODES.get(c, -1) for c in cols[9 + len(DISADVANTAGE_FLAGS)]], dtype=np.int8
        ),
        young_person=young,
    )


def _one_of(ids: Iterable[int]) -> Any:
    """Right-hand side of an ``__in`` filter on thousands of ids: on PostgreSQL one array
    parameter, so the query is not thousands of placeholders long (slow to build and parse)."""
    values = sorted(int(i) for i in ids)
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [values])
    return values


def opportunity_table_build(*, region: Region, pupils: PupilTable, as_of: dt.date) -> OpportunityTable:
    """Published opportunities in the region (and virtual ones anywhere) that have not
    ended, plus every opportunity the region's pupils applied to or hold, whatever its
    state, so the engine can say why such a choice was not possible."""
    la_codes = list(region.local_authorities.values_list("code", flat=True))
    wanted = set(pupils.application_opportunity_id.tolist()) | set(
        pupils.approved_opportunity_id[pupils.approved_opportunity_id >= 0].tolist()
    )
    open_here = (
        OPEN_TO_PUPILS
        & Q(ends_on__gte=as_of)
        & (Q(site__local_authority_code__in=la_codes) | Q(mode=Opportunity.Mode.VIRTUAL))
    )
    rows = list(
        Opportunity.objects.filter(open_here | Q(id__in=_one_of(wanted)))
        .order_by("id")
        .values_list(
            "id",
            "capacity",
            "starts_on",
            "ends_on",
            "minimum_age",
            "site__easting",
            "site__northing",
            "site__step_free_access",
            "mode",
            "sector_id",
            "site__local_authority_code",
            "status",
            "employer__compliance__insurance_expires_on",
            "employer__compliance__risk_assessment_on",
            "employer__compliance__supervisor_name",
            "employer__compliance__verified_at",
            "employer__verification_status",
        )
    )
    cols = list(zip(*rows, strict=True)) if rows else [()] * 17
    ids = np.asarray(cols[0], dtype=np.int64)

    # Seats held by approved-or-later matches, counted from the matches themselves.
    seats_taken = np.zeros(len(ids), dtype=np.int32)
    held = list(
        Match.objects.filter(opportunity_id__in=_one_of(ids.tolist()), status__in=SEAT_HOLDING_STATUSES)
        .order_by()  # the default ordering would join run, pupil, school and user for nothing
        .values("opportunity_id")
        .annotate(n=Count("id"))
        .values_list("opportunity_id", "n")
    )
    if held:
        opp, n = (np.asarray(c, dtype=np.int64) for c in zip(*held, strict=True))
        seats_taken[np.searchsorted(ids, opp)] = n

    growth = set(region.growth_sectors.values_list("id", flat=True))
    valid_for: dt.timedelta = settings.MOBILITY["RISK_ASSESSMENT_VALID_FOR"]
    return OpportunityTable(
        opportunity_id=ids,
        capacity=np.asarray(cols[1]),
        seats_taken=seats_taken,
        start_day=_days(cols[2]),
        end_day=_days(cols[3]),
        min_age=np.asarray(cols[4]),
        # A virtual placement may have no site: no journey, nothing to step over.
        easting=np.asarray([0 if e is None else e for e in cols[5]]),
        northing=np.asarray([0 if n is None else n for n in cols[6]]),
        step_free=np.asarray([True if s is None else s for s in cols[7]], dtype=bool),
        # An unknown code makes the record one the engine skips and reports, not a failed run.
        mode=np.asarray([MODE_CODES.get(m, -1) for m in cols[8]], dtype=np.int8),
        sector_id=np.asarray(cols[9]),
        is_growth_sector=np.asarray([s in growth for s in cols[9]], dtype=bool),
        la_code=np.asarray([c or "" for c in cols[10]], dtype=str),
        # Open to pupils: published, by an employer an adviser has verified.
        published=np.asarray(
            [
                s == Opportunity.Status.PUBLISHED and v == Employer.Verification.VERIFIED
                for s, v in zip(cols[11], cols[16], strict=True)
            ],
            dtype=bool,
        ),
        # Compliance without a named supervisor, or not verified by an adviser, would block
        # approval, so the engine must not propose it either.
        insurance_valid_until=_days(
            expires if supervisor and verified else None
            for expires, supervisor, verified in zip(cols[12], cols[14], cols[15], strict=True)
        ),
        risk_assessment_valid_until=_days(None if d is None else d + valid_for for d in cols[13]),
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The snapshot makes ~150,000 row tuples, which set off the cyclic garbage collector again and
    again (a fifth of the snapshot's CPU); they hold no cycles, so reference counts free them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def match_input_build(*, region: Region, policy: Policy, as_of: dt.date) -> MatchInput:
    """The whole frozen input of a run for ``region`` on day ``as_of``."""
    with _collector_paused():
        pupils = pupil_table_build(region=region, as_of=as_of)
        opportunities = opportunity_table_build(region=region, pupils=pupils, as_of=as_of)
    timetable = timetable_minutes_build(pupils=pupils, opportunities=opportunities)
    if timetable is not None:
        policy = replace(policy, travel=replace(policy.travel, timetable=timetable))
    return MatchInput(pupils=pupils, opportunities=opportunities, policy=policy)


def run_labels(*, region: Region) -> dict[str, dict[str, str]]:
    """Names for the codes and ids a run report uses."""
    return {
        "local_authorities": dict(region.local_authorities.values_list("code", "name")),
        "sectors": {str(pk): name for pk, name in Sector.objects.values_list("id", "name")},
    }
