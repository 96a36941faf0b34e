from __future__ import annotations

from celery import shared_task

from .retention import retention_apply


@shared_task(name="placements.privacy.tasks.retention_run")
def retention_run() -> dict[str, int]:
    """The daily retention job (see CELERY_BEAT_SCHEDULE)."""
    plan = retention_apply()
    return {"pupils": len(plan.pupils), "tokens": plan.tokens, "notifications": plan.notifications}
