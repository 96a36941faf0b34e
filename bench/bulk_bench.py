"""Bulk decisions: an adviser approves 200 proposed matches, then offers them, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mobility_bench \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/6 \\
        .venv/bin/python bench/bulk_bench.py --count 200

Uses the full demo and the latest completed stable run (``bench/web_load.py`` prepares both).
Times ``matches_bulk_decide`` (the service the adviser's page and the API call) for the
approvals, then for the offers of the same matches; target under 2 s each. With a broker set,
notifications are queued on commit as in production (the bench purges its queue afterwards);
without one they would run in-process and be timed too. Afterwards the matches, their status
history and the seats are put back, so the bench can run again.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    if not os.environ.get("CELERY_BROKER_URL"):
        print("note: no CELERY_BROKER_URL, so notifications run in-process and are timed too")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobility.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    from django.db import connection
    from django.db.models import Count, F
    from django.utils import timezone

    from employers.models import Opportunity
    from employers.selectors import compliance_problems
    from mobility.accounts.models import Role, User
    from placements.lifecycle.services import matches_bulk_decide
    from placements.models import LIVE_STATUSES, Match, MatchRun, MatchStatus, MatchStatusChange
    from schools.models import ConsentStatus

    run = (
        MatchRun.objects.filter(status=MatchRun.Status.SUCCEEDED, policy=MatchRun.Policy.STABLE)
        .order_by("-id")
        .first()
    )
    if run is None:
        raise SystemExit("No completed stable run: prepare the database with bench/web_load.py first.")
    today = timezone.localdate()
    busy = Match.objects.filter(status__in=LIVE_STATUSES).values("pupil_id")
    proposed = (
        Match.objects.filter(run=run, status=MatchStatus.PROPOSED, opportunity__starts_on__gte=today)
        .exclude(pupil__parental_consent=ConsentStatus.REFUSED)
        .exclude(pupil_id__in=busy)
        .select_related("opportunity__employer")
        .order_by("pk")
    )
    adviser = (
        User.objects.filter(role=Role.ADVISER, is_active=True)
        .annotate(n=Count("careers_adviser__schools__pupils__matches"))
        .order_by("-n")
        .first()
    )
    if adviser is None:
        raise SystemExit("No adviser in this database.")
    schools = list(adviser.careers_adviser.schools.values_list("id", flat=True))
    blocked: dict[int, bool] = {}
    chosen: list[int] = []
    for match in proposed.filter(pupil__school_id__in=schools).iterator():
        opportunity = match.opportunity
        if opportunity.employer_id not in blocked:
            blocked[opportunity.employer_id] = bool(
                compliance_problems(employer=opportunity.employer, through=opportunity.ends_on)
            )
        if not blocked[opportunity.employer_id]:
            chosen.append(match.pk)
        if len(chosen) == args.count:
            break
    if len(chosen) < args.count:
        print(f"note: only {len(chosen)} placeable proposed matches for {adviser.email}")
    started_at = timezone.now()
    load = os.getloadavg()
    print(f"{len(chosen)} matches of run {run.pk}, adviser {adviser.email}; load average {load[0]:.1f}")
    ok = True
    approved: list[int] = []
    try:
        for event in ("approve", "offer"):
            connection.queries_log.clear()
            t = time.perf_counter()
            outcomes = matches_bulk_decide(actor=adviser, event=event, match_ids=chosen, run_id=run.pk)
            seconds = time.perf_counter() - t
            done = [o.match_id for o in outcomes if o.ok]
            if event == "approve":
                approved = done
            failed = len(outcomes) - len(done)
            verdict = "met" if seconds < TARGET_SECONDS else "NOT met"
            print(
                f"{event:8} {len(done):4} done, {failed} refused in {seconds:6.2f} s "
                f"({1000 * seconds / max(1, len(outcomes)):.1f} ms each; "
                f"target < {TARGET_SECONDS:.0f} s: {verdict})"
            )
            ok &= seconds < TARGET_SECONDS and failed == 0
    finally:
        _restore(approved, started_at, Match, MatchStatus, MatchStatusChange, Opportunity, F)
        if os.environ.get("CELERY_BROKER_URL"):
            from mobility.celery import app

            app.control.purge()
    return 0 if ok else 1


def _restore(ids, since, Match, MatchStatus, MatchStatusChange, Opportunity, F) -> None:  # type: ignore[no-untyped-def]
    """Put the matches back to proposed and give their seats back."""
    from collections import Counter

    from django.db import transaction

    with transaction.atomic():
        seats = Counter(Match.objects.filter(pk__in=ids).values_list("opportunity_id", flat=True))
        MatchStatusChange.objects.filter(match_id__in=ids, changed_at__gte=since).delete()
        Match.objects.filter(pk__in=ids).update(status=MatchStatus.PROPOSED)
        for opportunity_id, n in seats.items():
            Opportunity.objects.filter(pk=opportunity_id).update(seats_taken=F("seats_taken") - n)


if __name__ == "__main__":
    sys.exit(main())
