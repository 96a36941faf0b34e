"""A run's statistics as shown to a viewer: small numbers suppressed for all but platform admins.

Priority groups partition the run's pupils, so the group table (placed / not placed per
group) has the run's totals as its margins; unplaced pupils by local authority partition
the unplaced total. Both go through the one suppression function.
"""

from __future__ import annotations

import statistics as stats
from dataclasses import dataclass
from typing import Any

from django.db import connection, models

from mobility.disclosure import THRESHOLD, Count, suppress_count, suppress_table
from placements.models import Match, MatchRun


@dataclass(frozen=True)
class GroupRow:
    group: str
    pupils: Count
    placed: Count
    placed_rate: float | None
    first_choice_rate: float | None
    median_travel: float | None

    @property
    def placed_percent(self) -> int | None:
        return None if self.placed_rate is None else round(100 * self.placed_rate)

    @property
    def first_choice_percent(self) -> int | None:
        return None if self.first_choice_rate is None else round(100 * self.first_choice_rate)


@dataclass(frozen=True)
class RunFigures:
    pupils: Count
    placed: Count
    unplaced: Count
    groups: list[GroupRow]
    placed_rate: float | None
    max_coverage_gain: Count | None
    compared_placed: Count | None


def run_figures(*, run: MatchRun, reveal: bool, per_match: bool = True) -> RunFigures:
    """``per_match`` adds first-choice rates and journeys per group, read from the run's matches."""
    s = run.statistics or {}
    by_tier = s.get("by_tier") or []
    placed_or_not = [[int(t["placed"]), int(t["pupils"]) - int(t["placed"])] for t in by_tier]
    table = suppress_table(placed_or_not, reveal=reveal)
    per_tier = _per_tier(run) if per_match else {}
    own_by_tier: list[list[int]] = []
    for tier in range(len(by_tier)):
        first, own, _travelled, _median = per_tier.get(tier, (0, 0, 0, None))
        own_by_tier.append([first, own - first])
    first_choice = suppress_table(own_by_tier, reveal=reveal) if own_by_tier else None
    rows = []
    for tier, stat in enumerate(by_tier):
        pupils, placed = table.row_totals[tier], table.cells[tier][0]
        _first, _own, travelled, median = per_tier.get(tier, (0, 0, 0, None))
        fc_row = first_choice.cells[tier] if first_choice else []
        own_total = sum(c.value for c in fc_row)
        fc_shown = own_total > 0 and not placed.hidden and not any(c.hidden for c in fc_row)
        rows.append(
            GroupRow(
                group=str(stat["group"]),
                pupils=pupils,
                placed=placed,
                placed_rate=placed.rate_of(pupils),
                first_choice_rate=fc_row[0].value / own_total if fc_shown else None,
                # A median of one to four journeys describes those few pupils.
                median_travel=round(median, 1)
                if median is not None and (reveal or travelled >= THRESHOLD)
                else None,
            )
        )
    total, placed_total = table.grand_total, table.column_totals[0] if by_tier else Count(0)
    gain, compared = s.get("max_coverage_gain"), s.get("compared_placed")
    return RunFigures(
        pupils=total,
        placed=placed_total,
        unplaced=table.column_totals[1] if by_tier else Count(0),
        groups=rows,
        placed_rate=placed_total.rate_of(total),
        max_coverage_gain=None if gain is None else suppress_count(int(gain), reveal=reveal),
        compared_placed=None if compared is None else suppress_count(int(compared), reveal=reveal),
    )


class _Median(models.Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = models.FloatField()


def _per_tier(run: MatchRun) -> dict[int, tuple[int, int, int, float | None]]:
    """Per priority tier: first choices, own choices, journeys and their median, from one
    grouped query (no joins or sort: the run's matches are not read into Python)."""
    own = models.Q(is_suggestion=False)
    postgres = connection.vendor == "postgresql"
    rows = (
        Match.objects.filter(run=run)
        .order_by()
        .values("priority_tier")
        .annotate(
            first=models.Count("pk", filter=own & models.Q(rank=1)),
            own=models.Count("pk", filter=own),
            travelled=models.Count("travel_minutes"),
            median=_Median("travel_minutes") if postgres else models.Value(None, models.FloatField()),
        )
        .values_list("priority_tier", "first", "own", "travelled", "median")
    )
    found = {tier: (first, mine, travelled, median) for tier, first, mine, travelled, median in rows}
    if not postgres:  # the embedded SQLite demo has no percentile_cont
        journeys: dict[int, list[int | None]] = {}
        travel = Match.objects.filter(run=run, travel_minutes__isnull=False).order_by()
        for tier, value in travel.values_list("priority_tier", "travel_minutes"):
            journeys.setdefault(tier, []).append(value)
        for tier, values in journeys.items():
            found[tier] = (*found[tier][:3], float(stats.median(v for v in values if v is not None)))
    return found


@dataclass(frozen=True)
class Unmet:
    label: str
    count: Count
    percent: int | None


def unmet(*, run: MatchRun, key: str, labels_key: str, reveal: bool) -> list[Unmet]:
    """Unplaced pupils by area or sector; the total unplaced is public, so it is the margin."""
    raw = {k: int(v) for k, v in (run.statistics.get(key) or {}).items() if int(v)}
    labels = (run.statistics.get("labels") or {}).get(labels_key, {})
    keys = list(raw)
    table = suppress_table([[raw[k]] for k in keys], reveal=reveal) if keys else None
    counts = [table.cells[i][0] for i in range(len(keys))] if table else []
    top = max((c.value for c in counts if not c.hidden), default=0) or 1
    rows = [
        Unmet(labels.get(str(k), str(k)), c, None if c.hidden else round(100 * c.value / top))
        for k, c in zip(keys, counts, strict=True)
    ]
    return sorted(rows, key=lambda u: (u.count.hidden, -(u.count.shown or 0), u.label))


def public_statistics(*, run: MatchRun, reveal: bool) -> dict[str, Any]:
    """The run's statistics JSON with every suppressed figure replaced by its words."""
    s: dict[str, Any] = dict(run.statistics or {})
    if reveal or not s:
        return s
    figures = run_figures(run=run, reveal=False, per_match=False)

    def out(count: Count | None) -> Any:
        return None if count is None else (count.value if not count.hidden else count.label)

    s.update(
        pupils=out(figures.pupils),
        placed=out(figures.placed),
        placed_rate=figures.placed_rate,
        by_tier=[
            {"group": g.group, "pupils": out(g.pupils), "placed": out(g.placed), "rate": g.placed_rate}
            for g in figures.groups
        ],
        max_coverage_gain=out(figures.max_coverage_gain),
        compared_placed=out(figures.compared_placed),
    )
    for key in ("unmet_by_la", "unmet_by_sector", "unplaced_reasons"):
        raw = s.get(key) or {}
        keys = [k for k, v in raw.items() if int(v)]
        table = suppress_table([[int(raw[k])] for k in keys]) if keys else None
        s[key] = {k: out(table.cells[i][0]) for i, k in enumerate(keys)} if table else {}
    for key in ("approved_before", "matches_written", "blocking_pairs", "vacancy_blocking_pairs"):
        if s.get(key) is not None:
            s[key] = out(suppress_count(int(s[key])))
    if figures.pupils.hidden:
        for key in ("first_choice_rate", "top3_rate", "median_travel_minutes", "growth_sector_share"):
            s[key] = None
    return s
