"""Turning an engine result into Match rows and a JSON report, and inserting the rows.

Rows are built column-wise from the result's arrays; the insert is a COPY on
PostgreSQL (a run writes thousands of rows) and ``bulk_create`` elsewhere. Both
run inside the caller's transaction, so the write is all or nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

import numpy as np
from django.db import connection
from django.utils import timezone
from numpy.typing import NDArray

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


# The per-pupil fields ``MatchResult.reason_text`` reads (with the run-wide policy words).
REASON_FIELDS = ("reason_code", "reason_detail", "unmatched_code", "max_travel_minutes", "list_length")


def reason_texts(result: MatchResult, rows: NDArray[np.int64]) -> list[str]:
    """``result.reason_text(i)`` for each ``i`` in ``rows``, worked out once per distinct case:
    a run has thousands of unplaced pupils but a few dozen different reasons."""
    if len(rows) == 0:
        return []
    fields = np.stack([getattr(result, f)[rows].astype(np.int64) for f in REASON_FIELDS], axis=1)
    _, first, case = np.unique(fields, axis=0, return_index=True, return_inverse=True)
    texts = [result.reason_text(int(rows[i])) for i in first.tolist()]
    return [texts[c] for c in case.ravel().tolist()]


def _explanation(reason: str | None, rank: int, own: bool) -> str:
    """How the placement was chosen, then (if not the first choice) why not a higher one."""
    if own:
        headline = "Your first choice." if rank == 1 else f"Your choice number {rank}."
    else:
        headline = "Suggested for you: it fits your dates and is within your travel time."
    if rank == 1 or reason is None:
        return headline
    return f"{headline} {reason}"


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
    # Only a pupil not given a first choice, with a reason code, is told why.
    why = placed[(result.rank[placed] != 1) & (result.reason_code[placed] != 0)]
    reasons = dict(zip(why.tolist(), reason_texts(result, why), strict=True))
    explanations = [
        _explanation(reasons.get(i), r, o)
        for i, r, o in zip(placed.tolist(), rank, own.tolist(), strict=True)
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
    names = {int(r): engine.Reason(int(r)).name for r in np.unique(result.unmatched_code[unplaced]) if r}
    return list(
        zip(
            result.pupil_id[unplaced].tolist(),
            result.tier[unplaced].tolist(),
            [names.get(c, "") for c in result.unmatched_code[unplaced].tolist()],
            reason_texts(result, unplaced),
            strict=True,
        )
    )


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
    _copy(UnplacedPupil._meta.db_table, (run_id,), ("run_id", *UNPLACED_COLUMNS), values)


# COPY's text format: backslash escapes for these, \N for NULL, t/f for booleans.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_column(values: tuple[Any, ...]) -> list[str]:
    """One column in COPY's text format, formatted all at once (a run writes ~20,000 rows)."""
    kinds = {type(v) for v in values}
    if kinds <= {int, float}:
        return list(map(repr, values))
    if kinds <= {bool}:
        return ["t" if v else "f" for v in values]
    if kinds <= {str}:
        joined = "".join(values)
        if any(c in joined for c in "\\\t\n\r"):
            return [v.translate(_ESCAPES) for v in values]
        return list(values)
    if kinds <= {int, float, type(None)}:
        return ["\\N" if v is None else repr(v) for v in values]
    raise TypeError(f"No COPY text format for {kinds}")


def _copy(table: str, head: tuple[Any, ...], columns: tuple[str, ...], values: list[tuple[Any, ...]]) -> None:
    """COPY the rows (``head`` then each row of ``values``) into ``table`` as one block of text."""
    if not values:
        return
    prefix = "".join(f"{_copy_head(v)}\t" for v in head)
    lines = ["\t".join(row) for row in zip(*map(_copy_column, zip(*values, strict=True)), strict=True)]
    text = prefix + f"\n{prefix}".join(lines) + "\n"
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.write(text.encode())


def _copy_head(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return _copy_column((value,))[0]


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
    _copy(Match._meta.db_table, (run_id, MatchStatus.PROPOSED.value, now, now), columns, values)


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
