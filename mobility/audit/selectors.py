"""Reads of the audit trail: record views and the change history that pghistory keeps."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mobility.audit.models import PupilRecordView


def pupil_record_views(*, pupil_id: int) -> QuerySet[PupilRecordView]:
    """Who has looked at this pupil's record, newest first."""
    return PupilRecordView.objects.filter(pupil_id=pupil_id).order_by("-viewed_at", "-pk")


def change_events(*, objects: list[Any]) -> list[dict[str, Any]]:
    """Every tracked change to these rows, oldest first: when, who, what, before and after."""
    import pghistory.models

    rows = []
    for obj in objects:
        for event in pghistory.models.Events.objects.tracks(obj).order_by("pgh_created_at", "pgh_id"):
            context = event.pgh_context or {}
            rows.append(
                {
                    "when": event.pgh_created_at,
                    "record": event.pgh_obj_model,
                    "record_id": event.pgh_obj_id,
                    "event": event.pgh_label,
                    "user_id": context.get("user"),
                    "where": context.get("url") or context.get("command") or "",
                    "changes": event.pgh_diff or {},
                }
            )
    return sorted(rows, key=lambda row: row["when"])
