"""Publishing the open data: one release per academic year, replaced in place by beat."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from mobility.academic_year import AcademicYear
from mobility.audit.context import audit_context
from placements.models import OpenDataRelease
from placements.reporting import open_data


@transaction.atomic
def open_data_release_publish(*, year: AcademicYear) -> OpenDataRelease:
    """Build and store the year's files; figures an earlier release withheld stay withheld."""
    with audit_context(command="open-data"):
        release = OpenDataRelease.objects.select_for_update().filter(academic_year=year.slug).first()
        built = open_data.build(year=year, withheld_before=release.withheld if release else [])
        now = timezone.now()
        fields = {
            "published_at": now,
            "csv_text": open_data.as_csv(built.rows),
            "json_text": open_data.as_json(year=year, published_at=now.isoformat(), rows=built.rows),
            # The union, so a figure withheld once is never shown again for this year.
            "withheld": sorted(set(built.withheld) | set(release.withheld if release else [])),
            "rows": len(built.rows),
        }
        if release is None:
            return OpenDataRelease.objects.create(academic_year=year.slug, **fields)
        for name, value in fields.items():
            setattr(release, name, value)
        release.save()
        return release


def open_data_publish_current() -> list[OpenDataRelease]:
    """What beat runs: this academic year and the last (late confirmations still land in it)."""
    this_year = AcademicYear.of(timezone.localdate())
    return [open_data_release_publish(year=y) for y in (this_year.previous(), this_year)]
