"""Reads behind the adviser's pages: regions, review queue, fairness and unmet demand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mobility.accounts.models import Role
from mobility.disclosure import suppress_count
from mobility.geography.models import Region
from mobility.pagination import matching_words
from mobility.permissions import role_of, school_ids_of
from placements.lifecycle.selectors import matches_for_user
from placements.matching.figures import GroupRow, Unmet, run_figures
from placements.matching.figures import unmet as figures_unmet
from placements.models import MatchRun, MatchStatus

REVIEW_STATUSES = (MatchStatus.PROPOSED, MatchStatus.APPROVED)


def regions_for_user(*, user: Any) -> Any:
    if role_of(user) == Role.ADMIN:
        return Region.objects.all()
    return Region.objects.filter(local_authorities__schools__id__in=school_ids_of(user)).distinct()


QUEUE_COLUMNS = (
    "run_id",
    "status",
    "rank",
    "is_suggestion",
    "travel_minutes",
    "explanation",
    "priority_tier",
    "pupil__year_group",
    "pupil__user__first_name",
    "pupil__user__last_name",
    "pupil__school__name",
    "opportunity__title",
    "opportunity__employer__name",
)


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
        # The columns the queue shows: not the users' passwords, the placement's description...
        .only(*QUEUE_COLUMNS)
        .order_by("priority_tier", "pupil__school__name", "pupil__user__last_name", "pk")
    )


def fairness(*, run: MatchRun, reveal: bool) -> list[GroupRow]:
    """Per priority group: pupils, placed rate, first-choice rate and travel, small numbers suppressed."""
    return run_figures(run=run, reveal=reveal).groups


def fairness_side_by_side(runs: list[MatchRun], *, reveal: bool) -> list[tuple[str, list[GroupRow | None]]]:
    """Each priority group with one row per run (None where a run has no such group)."""
    per_run = [fairness(run=r, reveal=reveal) for r in runs]
    names = list(dict.fromkeys(row.group for rows in per_run for row in rows))
    return [(name, [next((r for r in rows if r.group == name), None) for rows in per_run]) for name in names]


@dataclass(frozen=True)
class Metric:
    label: str
    values: list[str]


def percent(value: Any) -> str:
    return "none" if value is None else f"{round(100 * float(value))}%"


def comparison(runs: list[MatchRun], *, reveal: bool) -> list[Metric]:
    figures = [run_figures(run=r, reveal=reveal) for r in runs]

    def row(label: str, key: str, fmt: Any = str) -> Metric:
        return Metric(
            label, [fmt(r.statistics.get(key)) if r.statistics.get(key) is not None else "none" for r in runs]
        )

    def rate(label: str, key: str) -> Metric:
        # Rates over a suppressed total would give the total away.
        return Metric(
            label,
            [
                "none" if f.pupils.hidden or r.statistics.get(key) is None else percent(r.statistics[key])
                for r, f in zip(runs, figures, strict=True)
            ],
        )

    return [
        Metric("Pupils", [f.pupils.label for f in figures]),
        Metric("Pupils placed", [f.placed.label for f in figures]),
        Metric("Placed rate", [percent(f.placed_rate) for f in figures]),
        rate("First-choice rate (pupils who applied)", "first_choice_rate"),
        rate("Top-three rate", "top3_rate"),
        Metric(
            "Median journey (minutes)",
            [
                "none"
                if f.pupils.hidden or r.statistics.get("median_travel_minutes") is None
                else f"{float(r.statistics['median_travel_minutes']):.0f}"
                for r, f in zip(runs, figures, strict=True)
            ],
        ),
        rate("Placements in growth sectors", "growth_sector_share"),
        Metric(
            "Blocking pairs (0 means stable)",
            [
                "none"
                if r.statistics.get("blocking_pairs") is None
                else suppress_count(int(r.statistics["blocking_pairs"]), reveal=reveal).label
                for r in runs
            ],
        ),
    ]


def unmet(run: MatchRun, key: str, labels_key: str, *, reveal: bool) -> list[Unmet]:
    return figures_unmet(run=run, key=key, labels_key=labels_key, reveal=reveal)
