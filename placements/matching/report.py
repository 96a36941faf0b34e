"""A match run's report as plain text lines (for the command line and logs)."""

from __future__ import annotations

from typing import Any

from placements.models import MatchRun

TIMED_STAGES = ("loading", "candidates", "solving", "writing", "total", "cpu")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _top(counts: dict[str, int], names: dict[str, str], limit: int = 10) -> list[str]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], names.get(item[0], item[0])))
    lines = [f"    {names.get(key, key)}: {count}" for key, count in ordered[:limit]]
    if len(ordered) > limit:
        lines.append(f"    … and {len(ordered) - limit} more")
    return lines or ["    none"]


def _tier_line(tier: dict[str, Any]) -> str:
    rate = _pct(tier["rate"] if tier["pupils"] else None)
    return f"    {tier['group']}: {tier['placed']} of {tier['pupils']} ({rate})"


def report_lines(run: MatchRun) -> list[str]:
    s: dict[str, Any] = run.statistics or {}
    lines = [f"Match run {run.pk}: {run.get_policy_display()}, seed {run.seed}, {run.get_status_display()}"]
    if run.error:
        lines.append(f"  Error: {run.error}")
    if s:
        labels = s.get("labels", {})
        lines += [
            f"  Pupils: {s['pupils']}  (already approved before this run: {s['approved_before']})",
            f"  Opportunities: {s['opportunities']}  free seats: {s['free_seats']}",
            f"  Placed: {s['placed']} ({_pct(s['placed_rate'])}); "
            f"new proposed matches: {s['matches_written']}",
            "  By priority group:",
            *(_tier_line(t) for t in s["by_tier"]),
            f"  First choice: {_pct(s['first_choice_rate'])}   top 3: {_pct(s['top3_rate'])}"
            "   (of pupils who applied)",
            "  Median travel: "
            + ("—" if s["median_travel_minutes"] is None else f"{s['median_travel_minutes']:.0f} minutes"),
            f"  Growth-sector share: {_pct(s['growth_sector_share'])}",
            f"  Blocking pairs: {s['blocking_pairs']} (vacancy round: {s['vacancy_blocking_pairs']})",
        ]
        if s.get("compared_policy"):
            lines.append(
                f"  {s['compared_policy']} would place {s['compared_placed']}: "
                f"max-coverage places {s['max_coverage_gain']} more than stable"
            )
        lines += [
            "  Unplaced pupils by local authority:",
            *_top(s["unmet_by_la"], labels.get("local_authorities", {})),
        ]
        lines += [
            "  Unplaced pupils by sector of interest:",
            *_top(s["unmet_by_sector"], labels.get("sectors", {})),
        ]
        if s.get("unplaced_reasons"):
            lines += ["  Why unplaced pupils got nothing:", *_top(s["unplaced_reasons"], {})]
        if s.get("skipped"):
            lines.append("  Records skipped (their data could not be used):")
            lines += [f"    {r['kind']} {r['record_id']}: {r['problem']}" for r in s["skipped"]]
    lines += [f"  Input hash:  {run.input_hash or '—'}", f"  Result hash: {run.result_hash or '—'}"]
    timings = run.timings or {}
    shown = [f"{stage} {timings[stage]:.2f} s" for stage in TIMED_STAGES if stage in timings]
    if shown:
        lines.append("  Timings: " + ", ".join(shown))
    return lines
