"""Writes to the audit trail."""

from __future__ import annotations

from typing import Any

from mobility.audit.models import PupilRecordView
from mobility.permissions import role_of


def pupil_record_view_record(*, pupil_id: int, viewer: Any, place: str) -> PupilRecordView:
    """Note that ``viewer`` was shown pupil ``pupil_id``'s personal details on ``place``."""
    known = viewer is not None and getattr(viewer, "pk", None) is not None
    return PupilRecordView.objects.create(
        pupil_id=pupil_id,
        viewer=viewer if known else None,
        # Without a signed-in user it was an operator at the command line.
        viewer_name=f"{viewer.get_full_name()} <{viewer.email}>" if known else "Platform operator",
        viewer_role=(role_of(viewer) or "") if known else "operator",
        place=place,
    )
