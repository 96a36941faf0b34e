from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from mobility.accounts.fields import optional_user
from mobility.audit.tracking import audited


class Application(models.Model):
    """A pupil's ranked choice of an opportunity. Rank 1 is the pupil's first choice."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        WITHDRAWN = "withdrawn"

    class WithdrawnReason(models.TextChoices):
        REMOVED = "removed", "You removed this choice"
        OFFER_DECLINED = "offer_declined", "You said no to the offer"
        PLACED = "placed", "Your placement elsewhere is confirmed"

    pupil = models.ForeignKey("schools.Pupil", on_delete=models.CASCADE, related_name="applications")
    opportunity = models.ForeignKey(
        "employers.Opportunity", on_delete=models.CASCADE, related_name="applications"
    )
    rank = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    withdrawn_reason = models.CharField(max_length=20, choices=WithdrawnReason.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pupil", "rank"]
        constraints = [
            models.CheckConstraint(condition=Q(rank__gte=1), name="application_rank_positive"),
            models.UniqueConstraint(
                fields=["pupil", "rank"],
                condition=Q(status="active"),
                name="application_unique_rank_per_pupil",
            ),
            models.UniqueConstraint(
                fields=["pupil", "opportunity"],
                condition=Q(status="active"),
                name="application_unique_per_opportunity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} → {self.opportunity} (#{self.rank})"


class NationalRun(models.Model):
    """One match run per region, executed in parallel by the workers, with a combined report."""

    policy = models.CharField(max_length=20, default="stable")
    seed = models.BigIntegerField()
    statistics = models.JSONField(default=dict, blank=True, help_text="Combined report once all are done.")
    created_by = optional_user("national_runs")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"National run {self.pk} ({self.policy})"


class MatchRun(models.Model):
    class Policy(models.TextChoices):
        STABLE = "stable", "Stable (pupil-proposing deferred acceptance)"
        MAX_COVERAGE = "max-coverage", "Maximum coverage (what-if)"

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    class Stage(models.TextChoices):
        QUEUED = "queued"
        LOADING = "loading"
        CANDIDATES = "candidates", "Finding candidates"
        SOLVING = "solving"
        WRITING = "writing", "Writing results"
        DONE = "done"

    region = models.ForeignKey("geography.Region", on_delete=models.PROTECT, related_name="match_runs")
    policy = models.CharField(max_length=20, choices=Policy.choices, default=Policy.STABLE)
    what_if = models.BooleanField(
        default=False, help_text="For comparison only: its proposals can never be approved or offered."
    )
    parameters = models.JSONField(default=dict, blank=True)
    seed = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.QUEUED)
    progress = models.FloatField(default=0.0, help_text="0 to 1 within the whole run.")
    timings = models.JSONField(default=dict, blank=True, help_text="Seconds per stage.")
    statistics = models.JSONField(default=dict, blank=True)
    input_hash = models.CharField(max_length=64, blank=True)
    result_hash = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Times a worker has started the run.")
    dispatched_at = models.DateTimeField(null=True, blank=True, help_text="Last handed to a worker.")
    recovery_note = models.TextField(blank=True, help_text="Why the run is being retried, if it is.")
    created_by = optional_user("match_runs")
    national_run = models.ForeignKey(
        NationalRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="match_runs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=1), name="match_run_progress_range"
            ),
            # One live run per region at a time; what-if runs may run alongside.
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(status__in=["queued", "running"], what_if=False),
                name="match_run_one_live_per_region",
            ),
            models.CheckConstraint(
                condition=~Q(policy="max-coverage") | Q(what_if=True),
                name="match_run_max_coverage_is_what_if",
            ),
        ]

    def __str__(self) -> str:
        return f"Run {self.pk} ({self.policy}, {self.status})"


# Runs made to hold matches from outside a match run (a refill, a placement a pupil found):
# never "the region's latest run" for what a run reports (unplaced pupils, unmet demand).
SIDE_RUN_KEYS = ("refill", "self_found")


def side_runs() -> Q:
    q = Q(pk__in=[])
    for key in SIDE_RUN_KEYS:
        q |= Q(parameters__has_key=key)
    return q


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed"
    APPROVED = "approved", "Approved by adviser"
    REJECTED = "rejected", "Rejected by adviser"
    OFFERED = "offered"
    EMPLOYER_CONFIRMED = "employer_confirmed", "Confirmed by employer"
    EMPLOYER_DECLINED = "employer_declined", "Declined by employer"
    ACCEPTED = "accepted", "Accepted by pupil"
    PUPIL_DECLINED = "pupil_declined", "Declined by pupil"
    LAPSED = "lapsed"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# Statuses that hold a seat on the opportunity; capacity counts these.
SEAT_HOLDING_STATUSES = (
    MatchStatus.APPROVED,
    MatchStatus.OFFERED,
    MatchStatus.EMPLOYER_CONFIRMED,
    MatchStatus.ACCEPTED,
    MatchStatus.CONFIRMED,
    MatchStatus.COMPLETED,
)

LIVE_STATUSES = [s for s in SEAT_HOLDING_STATUSES if s != MatchStatus.COMPLETED]


class Match(models.Model):
    # No single-column indexes on run and opportunity: the unique (run, pupil) and the
    # (opportunity, status) indexes serve those lookups, and a run inserts thousands of rows.
    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="matches", db_index=False)
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.CASCADE, related_name="matches")
    opportunity = models.ForeignKey(
        "employers.Opportunity", on_delete=models.PROTECT, related_name="matches", db_index=False
    )
    status = models.CharField(max_length=20, choices=MatchStatus.choices, default=MatchStatus.PROPOSED)
    score = models.FloatField(default=0.0)
    rank = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Rank in the pupil's list.")
    is_suggestion = models.BooleanField(default=False)
    travel_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    sector_fit = models.FloatField(default=0.0)
    priority_tier = models.PositiveSmallIntegerField(default=0)
    explanation = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "pupil"]
        verbose_name_plural = "matches"
        constraints = [
            models.UniqueConstraint(fields=["run", "pupil"], name="match_one_per_pupil_per_run"),
            models.CheckConstraint(condition=Q(status__in=MatchStatus.values), name="match_status_valid"),
            # A pupil holds at most one live placement at a time; completed ones stay on record.
            models.UniqueConstraint(
                fields=["pupil"], condition=Q(status__in=LIVE_STATUSES), name="match_one_live_seat_per_pupil"
            ),
        ]
        indexes = [models.Index(fields=["opportunity", "status"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.pupil} → {self.opportunity} ({self.status})"


class MatchStatusChange(models.Model):
    """One row for every change of a match's status: who, when, from, to and why."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=MatchStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=MatchStatus.choices)
    changed_by = optional_user()
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_status=F("to_status")), name="status_change_changes"),
        ]

    def __str__(self) -> str:
        return f"{self.match_id}: {self.from_status or '—'} → {self.to_status}"


class UnplacedPupil(models.Model):
    """A pupil a run could not place, with the reason in words an adviser can read to them."""

    # The unique (run, pupil) index serves lookups by run.
    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="unplaced", db_index=False)
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.CASCADE, related_name="unplaced_in_runs")
    priority_tier = models.PositiveSmallIntegerField(default=0)
    reason = models.CharField(max_length=20, help_text="The engine's reason code.")
    explanation = models.TextField()

    class Meta:
        ordering = ["run", "pupil"]
        constraints = [
            models.UniqueConstraint(fields=["run", "pupil"], name="unplaced_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} unplaced in run {self.run_id}"


@audited(exclude=["csv_text", "json_text"])
class OpenDataRelease(models.Model):
    """One academic year's open data as last published: its files, and the figures it withheld.

    The files are kept here rather than in media storage so a release and its record of withheld
    figures change together, in one transaction; ``/open-data/`` serves them from this row.
    """

    academic_year = models.CharField(max_length=7, unique=True, help_text='e.g. "2030-31"')
    published_at = models.DateTimeField()
    csv_text = models.TextField()
    json_text = models.TextField()
    withheld = models.JSONField(
        default=list,
        help_text="Keys of every withheld figure; later releases of the year keep them withheld.",
    )
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-academic_year"]

    def __str__(self) -> str:
        return f"Open data {self.academic_year}"
