"""Turning an engine result into Match rows and a JSON report, and inserting the rows.

Rows are built column-wise from the result's arrays; the insert is a COPY on
PostgreSQL (a run writes thousands of rows) and ``bulk_create`` elsewhere. Both
run inside the caller's transaction, so the write is all or nothing.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np
from django.db import connection
from django.utils import timezone

from placements import engine
from placements.engine import MatchInput, MatchResult
from placements.models import Match, MatchRun, MatchStatus, UnplacedPupil

from .selectors import run_labels
from .timetable import with_travel_source

# Columns of Match filled from the result, in this order in every row tuple.
MATCH_COLUMNS = (
    "pupil_id", "opportunity_id", "rank", "is_suggestion", "travel_minutes",
    "sector_fit", "priority_tier", "score", "explanation",
)  # fmt: skip
BULK_BATCH = 2000


def _explanation(result: MatchResult, i: int, rank: int, own: bool) -> str:
    """How the placement was chosen, then (if not the first choice) why not a higher one."""
    if own:
        headline = "Your first choice." if rank == 1 else f"Your choice number {rank}."
    else:
        headline = "Suggested for you: it fits your dates and is within your travel time."
    if rank == 1 or not result.reason_code[i]:
        return headline
    return f"{headline} {result.reason_text(i)}"


def match_values(*, data: MatchInput, result: MatchResult) -> list[tuple[Any, ...]]:
    """One tuple (see MATCH_COLUMNS) per pupil placed in this run; pupils approved before
    the run keep the match they have and get no new row."""
    placed = np.flatnonzero((result.opportunity_id >= 0) & (result.source != engine.SOURCE_APPROVED))
    policy = data.policy
    minutes = result.travel_minutes[placed].astype(np.float64)
    known = ~np.isnan(minutes)
    fit = result.sector_fit[placed]
    score = policy.suggestion_score(fit, result.growth_sector[placed], np.where(known, minutes, 0.0)).round(4)
    source = result.source[placed]
    own = source == engine.SOURCE_OWN
    rank = result.rank[placed].tolist()
    travel = [int(m) if k else None for m, k in zip(np.rint(minutes).tolist(), known.tolist(), strict=True)]
    explanations = [
        _explanation(result, i, r, o) for i, r, o in zip(placed.tolist(), rank, own.tolist(), strict=True)
    ]
    explanations = with_travel_source(
        data=data, placed=placed, opportunity_id=result.opportunity_id[placed], explanations=explanations
    )
    return list(
        zip(
            result.pupil_id[placed].tolist(),
            result.opportunity_id[placed].tolist(),
            [r or None for r in rank],
            (~own).tolist(),
            travel,
            fit.astype(np.float64).tolist(),
            result.tier[placed].tolist(),
            score.tolist(),
            explanations,
            strict=True,
        )
    )


# Columns of UnplacedPupil filled from the result, in this order in every row tuple.
UNPLACED_COLUMNS = ("pupil_id", "priority_tier", "reason", "explanation")


def unplaced_values(*, result: MatchResult) -> list[tuple[Any, ...]]:
    """One tuple (see UNPLACED_COLUMNS) per pupil the run could not place."""
    unplaced = np.flatnonzero(result.opportunity_id < 0)
    return [
        (
            int(result.pupil_id[i]),
            int(result.tier[i]),
            engine.Reason(int(result.unmatched_code[i])).name if result.unmatched_code[i] else "",
            result.reason_text(i),
        )
        for i in unplaced.tolist()
    ]


def unplaced_insert(*, run_id: int, values: list[tuple[Any, ...]], use_copy: bool | None = None) -> None:
    """Insert the run's unplaced pupils. Call inside a transaction."""
    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    if not use_copy:
        UnplacedPupil.objects.bulk_create(
            [UnplacedPupil(run_id=run_id, **dict(zip(UNPLACED_COLUMNS, row, strict=True))) for row in values],
            batch_size=BULK_BATCH,
        )
        return
    _copy(UnplacedPupil._meta.db_table, ("run_id", *UNPLACED_COLUMNS), ((run_id, *row) for row in values))


def _copy(table: str, columns: tuple[str, ...], rows: Any) -> None:
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def matches_insert(*, run_id: int, values: list[tuple[Any, ...]], use_copy: bool | None = None) -> None:
    """Insert proposed matches for the run. Call inside a transaction."""
    now = timezone.now()
    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    if not use_copy:
        Match.objects.bulk_create(
            [
                Match(
                    run_id=run_id, status=MatchStatus.PROPOSED, **dict(zip(MATCH_COLUMNS, row, strict=True))
                )
                for row in values
            ],
            batch_size=BULK_BATCH,
        )
        return
    columns = ("run_id", "status", "created_at", "status_changed_at", *MATCH_COLUMNS)
    head = (run_id, MatchStatus.PROPOSED.value, now, now)
    _copy(Match._meta.db_table, columns, (head + row for row in values))


def run_statistics(*, run: MatchRun, data: MatchInput, result: MatchResult, matches: int) -> dict[str, Any]:
    """The run report as JSON, for the web pages and the command."""
    report = asdict(result.report)
    report["unmet_by_sector"] = {str(k): v for k, v in report["unmet_by_sector"].items()}
    codes, counts = np.unique(result.unmatched_code[result.unmatched_code > 0], return_counts=True)
    report.update(
        as_of=timezone.localdate(run.created_at).isoformat(),
        opportunities=len(data.opportunities),
        free_seats=int(data.opportunities.free_seats.sum()),
        matches_written=matches,
        unplaced_reasons={engine.Reason(int(c)).name: int(n) for c, n in zip(codes, counts, strict=True)},
        engine_timings={k: round(v, 4) for k, v in result.timings.items()},
        labels=run_labels(region=run.region),
    )
    return report
