"""The Celery task's delivery settings: they make re-delivery after a lost worker possible."""

from __future__ import annotations

from mobility.celery import app
from placements.tasks import match_run_execute


def test_task_is_acknowledged_late_and_rejected_if_the_worker_is_lost() -> None:
    assert match_run_execute.name == "placements.tasks.match_run_execute"
    assert match_run_execute.acks_late is True
    assert match_run_execute.reject_on_worker_lost is True


def test_task_goes_to_the_matching_queue() -> None:
    route = app.amqp.router.route({}, match_run_execute.name, args=(1,), kwargs={})
    assert route["queue"].name == "matching"
