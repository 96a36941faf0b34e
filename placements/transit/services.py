"""Writes: importing a timetable feed."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from mobility.transit.models import TimetableFeed
from placements.engine.timetable import FORMAT_VERSION, read_feed


def timetable_feed_import(*, path: Path) -> TimetableFeed:
    """Validate the whole feed, then replace the current one (and its cached journeys) at once.

    Raises ``FeedError`` before anything is changed if the feed is malformed.
    """
    timetable = read_feed(path)
    buffer = io.BytesIO()
    timetable.save(buffer)
    first, last = timetable.first_day(), timetable.last_day()
    with transaction.atomic():
        # Serialise imports: the version is one more than any before.
        list(TimetableFeed.objects.select_for_update().values_list("pk", flat=True))
        version = (TimetableFeed.objects.aggregate(top=Max("version"))["top"] or 0) + 1
        TimetableFeed.objects.all().delete()  # cached journeys cascade
        return TimetableFeed.objects.create(
            version=version,
            label=timetable.label,
            is_demo=timetable.is_demo,
            source_name=path.name,
            fingerprint=timetable.fingerprint,
            format_version=FORMAT_VERSION,
            stops=len(timetable.stop_id),
            trips=len(timetable.trip_id),
            first_day=dt.date.fromordinal(first) if first > 0 else None,
            last_day=dt.date.fromordinal(last) if last > 0 else None,
            compact=buffer.getvalue(),
        )
