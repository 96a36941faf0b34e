from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from mobility.accounts.fields import optional_user
from mobility.fields import bounded_text


class NotificationSent(models.Model):
    """One row per (event, recipient): a task that runs twice sends nothing the second time."""

    event_key = models.CharField(max_length=100)
    recipient = models.EmailField()
    subject = models.CharField(max_length=200)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient"], name="notification_once_per_recipient"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_key} → {self.recipient}"


class PlacementFeedback(models.Model):
    """What each side said after the placement; the employer also records attendance."""

    class Side(models.TextChoices):
        PUPIL = "pupil"
        EMPLOYER = "employer"

    match = models.ForeignKey("placements.Match", on_delete=models.CASCADE, related_name="feedback")
    side = models.CharField(max_length=10, choices=Side.choices)
    author = optional_user()
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True)
    days_attended = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Recorded by the employer: days the pupil attended."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["match", "side"]
        verbose_name_plural = "placement feedback"
        constraints = [
            models.UniqueConstraint(fields=["match", "side"], name="feedback_once_per_side"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="feedback_rating_range"
            ),
            models.CheckConstraint(
                condition=Q(side="pupil") | Q(days_attended__isnull=False),
                name="feedback_employer_records_attendance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.side} feedback on match {self.match_id}"


class ChangeRequest(models.Model):
    """An employer's request to move a live placement (dates, site, hours, minimum age),
    applied only once an adviser approves it; the pupils then confirm again."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an adviser"
        APPROVED = "approved", "Approved and applied"
        REFUSED = "refused"

    opportunity = models.ForeignKey(
        "employers.Opportunity", on_delete=models.CASCADE, related_name="change_requests"
    )
    proposed = models.JSONField(help_text="The new values, by field name.")
    previous = models.JSONField(default=dict, blank=True, help_text="The values they replace.")
    reason = bounded_text(1000, blank=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = optional_user()
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = optional_user()
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = bounded_text(1000)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity"], condition=Q(status="pending"), name="change_request_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"Change to {self.opportunity_id} ({self.status})"
