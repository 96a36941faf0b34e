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


class JourneyMatrix(models.Model):
    """Door-to-door minutes between 50 m grid cells, for one feed, day type, deadline and step-free need.

    ``origin_cells`` and ``destination_cells`` are int64 arrays, ``minutes`` a
    uint8 matrix (origins x destinations, 255: nothing arrives in time), all
    in one ``.npz``. A day type is the set of services running that day (and
    the day before), so every ordinary Monday shares one matrix.
    """

    feed = models.ForeignKey(TimetableFeed, on_delete=models.CASCADE, related_name="journeys")
    day_type = models.CharField(max_length=12)
    arrive_by = models.PositiveSmallIntegerField(help_text="Minutes after midnight.")
    step_free = models.BooleanField()
    origins = models.PositiveIntegerField()
    destinations = models.PositiveIntegerField()
    data = models.BinaryField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "day_type", "arrive_by", "step_free"], name="transit_matrix_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.origins} x {self.destinations} journeys ({self.day_type})"
