from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


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
        PUPIL = "pupil", "Pupil"
        EMPLOYER = "employer", "Employer"

    match = models.ForeignKey("placements.Match", on_delete=models.CASCADE, related_name="feedback")
    side = models.CharField(max_length=10, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
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
