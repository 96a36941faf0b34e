"""Reads behind the adviser's pages: regions, review queue, fairness and unmet demand."""

from __future__ import annotations

import statistics as stats
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from mobility.accounts.models import Role
from mobility.geography.models import Region
from mobility.pagination import matching_words
from mobility.permissions import role_of, school_ids_of
from placements.lifecycle.selectors import matches_for_user
from placements.models import Match, MatchRun, MatchStatus

REVIEW_STATUSES = (MatchStatus.PROPOSED, MatchStatus.APPROVED)


def regions_for_user(*, user: Any) -> Any:
    if role_of(user) == Role.ADMIN:
        return Region.objects.all()
    return Region.objects.filter(local_authorities__schools__id__in=school_ids_of(user)).distinct()


def review_queue(*, user: Any, run: MatchRun, status: str | None = None, search: str = "") -> Any:
    """The run's matches for this adviser's schools that still need a decision; ``search`` finds
    words in the pupil's name, their school or the placement's title or employer."""
    qs = matches_for_user(user=user).filter(run=run)
    qs = qs.filter(status=status) if status else qs.filter(status__in=REVIEW_STATUSES)
    if search:
        qs = qs.filter(
            matching_words(
                search,
                "pupil__user__first_name",
                "pupil__user__last_name",
                "pupil__school__name",
                "opportunity__title",
                "opportunity__employer__name",
            )
        )
    return (
        qs.select_related(None)
        .select_related("pupil__user", "pupil__school", "opportunity__employer")
        .order_by("priority_tier", "pupil__school__name", "pupil__user__last_name", "pk")
    )


@dataclass(frozen=True)
class GroupRow:
    group: str
    pupils: int
    placed: int
    placed_rate: float
    first_choice_rate: float | None
    median_travel: float | None

    @property
    def placed_percent(self) -> int:
        return round(100 * self.placed_rate)

    @property
    def first_choice_percent(self) -> int | None:
        return None if self.first_choice_rate is None else round(100 * self.first_choice_rate)


def fairness(*, run: MatchRun) -> list[GroupRow]:
    """Per priority group: placed rate (engine report), first-choice rate and travel (this run's matches).

    A finished run's matches keep their tier, rank and journey whatever happens to them next,
    so the figures are cached per run."""
    if run.status != MatchRun.Status.SUCCEEDED:
        return _fairness(run)
    key = f"adviser:fairness:{run.pk}:{run.finished_at.isoformat() if run.finished_at else ''}"
    rows: list[GroupRow] | None = cache.get(key)
    if rows is None:
        rows = _fairness(run)
        cache.set(key, rows, timeout=24 * 3600)
    return rows


def _fairness(run: MatchRun) -> list[GroupRow]:
    by_tier = run.statistics.get("by_tier") or []
    matches = list(
        Match.objects.filter(run=run)
        .order_by()  # no joins for the model's default order: all rows are read
        .values_list("priority_tier", "rank", "is_suggestion", "travel_minutes")
    )
    rows = []
    for tier, stat in enumerate(by_tier):
        mine = [m for m in matches if m[0] == tier]
        own = [m for m in mine if not m[2]]
        travel = [m[3] for m in mine if m[3] is not None]
        rows.append(
            GroupRow(
                group=str(stat["group"]),
                pupils=int(stat["pupils"]),
                placed=int(stat["placed"]),
                placed_rate=float(stat["rate"]),
                first_choice_rate=(sum(1 for m in own if m[1] == 1) / len(own)) if own else None,
                median_travel=round(stats.median(travel), 1) if travel else None,
            )
        )
    return rows


def fairness_side_by_side(runs: list[MatchRun]) -> list[tuple[str, list[GroupRow | None]]]:
    """Each priority group with one row per run (None where a run has no such group)."""
    per_run = [fairness(run=r) for r in runs]
    names = list(dict.fromkeys(row.group for rows in per_run for row in rows))
    return [(name, [next((r for r in rows if r.group == name), None) for rows in per_run]) for name in names]


@dataclass(frozen=True)
class Metric:
    label: str
    values: list[str]


def percent(value: Any) -> str:
    return "none" if value is None else f"{round(100 * float(value))}%"


def comparison(runs: list[MatchRun]) -> list[Metric]:
    def row(label: str, key: str, fmt: Any = str) -> Metric:
        return Metric(
            label, [fmt(r.statistics.get(key)) if r.statistics.get(key) is not None else "none" for r in runs]
        )

    return [
        row("Pupils", "pupils"),
        row("Pupils placed", "placed"),
        row("Placed rate", "placed_rate", percent),
        row("First-choice rate (pupils who applied)", "first_choice_rate", percent),
        row("Top-three rate", "top3_rate", percent),
        row("Median journey (minutes)", "median_travel_minutes", lambda v: f"{float(v):.0f}"),
        row("Placements in growth sectors", "growth_sector_share", percent),
        row("Blocking pairs (0 means stable)", "blocking_pairs"),
    ]


@dataclass(frozen=True)
class Unmet:
    label: str
    count: int
    percent: int


def unmet(run: MatchRun, key: str, labels_key: str) -> list[Unmet]:
    raw = run.statistics.get(key) or {}
    labels = (run.statistics.get("labels") or {}).get(labels_key, {})
    top = max(raw.values(), default=0) or 1
    rows = [
        Unmet(labels.get(str(k), str(k)), int(v), round(100 * int(v) / top)) for k, v in raw.items() if int(v)
    ]
    return sorted(rows, key=lambda u: (-u.count, u.label))
