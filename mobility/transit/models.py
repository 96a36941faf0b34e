"""The imported timetable (one current feed) and the journeys worked out from it."""

from __future__ import annotations

from django.db import models


class TimetableFeed(models.Model):
    """One imported GTFS feed in the engine's compact form (a ``.npz``, a few MB).

    Only the current feed is kept: an import replaces it in one transaction,
    and its cached journeys go with it.
    """

    version = models.PositiveIntegerField(unique=True)
    label = models.CharField(max_length=200, blank=True)
    is_demo = models.BooleanField(default=False, help_text="Generated timetables, not a real operator's.")
    source_name = models.CharField(max_length=255, blank=True)
    fingerprint = models.CharField(max_length=16)
    format_version = models.PositiveSmallIntegerField()
    stops = models.PositiveIntegerField()
    trips = models.PositiveIntegerField()
    first_day = models.DateField(null=True)
    last_day = models.DateField(null=True)
    compact = models.BinaryField()
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        kind = "demo timetables" if self.is_demo else "timetables"
        return f"{kind} v{self.version}: {self.label or self.source_name}"


class CachedJourney(models.Model):
    """Door-to-door minutes between two 50 m grid cells, for one feed, day type and deadline.

    ``minutes`` is null when the feed covers both ends but no journey arrives in time.
    """

    feed = models.ForeignKey(TimetableFeed, on_delete=models.CASCADE, related_name="journeys")
    day_type = models.CharField(max_length=12)
    arrive_by = models.PositiveSmallIntegerField(help_text="Minutes after midnight.")
    step_free = models.BooleanField()
    origin_cell = models.BigIntegerField()
    destination_cell = models.BigIntegerField()
    minutes = models.PositiveSmallIntegerField(null=True)
    changes = models.SmallIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "day_type", "arrive_by", "step_free", "destination_cell", "origin_cell"],
                name="transit_journey_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.origin_cell} -> {self.destination_cell}: {self.minutes} min"
