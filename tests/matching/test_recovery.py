"""The run recovery sweep and the outbox hand-out, in-process: each rule on its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mobility.accounts.models import Role, User
from mobility.outbox.models import OutboxMessage
from placements.matching import recovery, services
from placements.models import MatchRun
from tests.threads import at_once
from tests.twofactor import password_login

from .conftest import MatchWorld, populate

pytestmark = pytest.mark.django_db


def queued(world: MatchWorld, django_capture_on_commit_callbacks: Any) -> MatchRun:
    with django_capture_on_commit_callbacks():  # captured, not sent: no broker involved
        return services.match_run_create(region=world.region, seed=5, parameters={})


def hand_outs(run: MatchRun) -> int:
    return OutboxMessage.objects.filter(dedup_key__startswith=f"match-run:{run.pk}:").count()


def orphan(run: MatchRun, *, attempts: int, stage: str = "solving") -> None:
    MatchRun.objects.filter(pk=run.pk).update(status="running", stage=stage, attempts=attempts)


def test_creating_a_run_records_its_hand_out_in_the_same_transaction(
    world, django_capture_on_commit_callbacks
):
    run = queued(world, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get()
    assert (message.task_name, message.kwargs, message.queue) == (
        services.RUN_TASK,
        {"run_id": run.pk},
        "matching",
    )
    assert message.sent_at is None and run.dispatched_at is not None


def test_a_run_left_running_by_a_dead_worker_is_queued_again_with_a_note(
    world, django_capture_on_commit_callbacks
):
    run = queued(world, django_capture_on_commit_callbacks)
    orphan(run, attempts=1)

    done = recovery.match_runs_recover()

    run.refresh_from_db()
    assert done.resumed == [run.pk] and (run.status, run.stage) == ("queued", "queued")
    assert "Attempt 1 of 3 stopped while solving" in run.recovery_note
    assert hand_outs(run) == 2


def test_a_run_out_of_attempts_is_failed_with_the_reason(world, django_capture_on_commit_callbacks, settings):
    run = queued(world, django_capture_on_commit_callbacks)
    orphan(run, attempts=3, stage="writing")

    assert recovery.match_runs_recover().failed == [run.pk]

    run.refresh_from_db()
    assert run.status == "failed" and run.finished_at
    assert "stopped 3 times without finishing (last while writing results" in run.error
    assert hand_outs(run) == 1
    # A late copy of its message does not start it again.
    assert services.match_run_execute(run_id=run.pk) is None


def test_a_run_whose_worker_holds_the_lock_is_left_alone(world, django_capture_on_commit_callbacks):
    run = queued(world, django_capture_on_commit_callbacks)
    orphan(run, attempts=1)
    params = connection.get_connection_params()
    with psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        **{k: params[k] for k in ("user", "host", "port") if k in params},
    ) as worker:
        worker.execute("SELECT pg_advisory_lock(%s, %s)", [services._LOCK_NAMESPACE, run.pk])
        assert recovery.match_runs_recover().resumed == []
    run.refresh_from_db()
    assert run.status == "running"


def test_a_queued_run_nobody_started_is_handed_out_again_once_its_message_left(
    world, django_capture_on_commit_callbacks
):
    run = queued(world, django_capture_on_commit_callbacks)
    later = timezone.now() + dt.timedelta(seconds=61)
    # Its hand-out is still in the outbox (the broker is down): the relay's job, not the sweep's.
    assert recovery.match_runs_recover(now=later).handed_out_again == []
    OutboxMessage.objects.update(sent_at=timezone.now())
    assert recovery.match_runs_recover(now=timezone.now() + dt.timedelta(seconds=30)).handed_out_again == []
    assert recovery.match_runs_recover(now=later).handed_out_again == [run.pk]
    run.refresh_from_db()
    assert "No worker had started this run" in run.recovery_note and hand_outs(run) == 2


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_a_dropped_connection_is_recorded_on_a_fresh_one(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    populate(world)
    run = queued(world, django_capture_on_commit_callbacks)
    from placements import engine

    def drop_own_connection(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")

    monkeypatch.setattr(engine, "run_match", drop_own_connection)
    with django_capture_on_commit_callbacks():
        executed = services.match_run_execute(run_id=run.pk)

    assert executed is not None
    run = executed
    assert (run.status, run.stage, run.attempts) == ("queued", "queued", 1)
    assert "lost its database connection while finding candidates" in run.recovery_note
    assert hand_outs(run) == 2


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_resume_an_orphan_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        run = services.match_run_create(region=world.region, seed=5, parameters={})
    OutboxMessage.objects.update(sent_at=timezone.now())
    orphan(run, attempts=1)
    results = at_once(recovery.match_runs_recover)
    assert sorted(len(r.resumed) for r in results) == [0, 1]
    assert hand_outs(run) == 2


def test_the_progress_page_says_a_run_is_being_retried_and_stops_polling_when_it_fails(
    world, django_capture_on_commit_callbacks
):
    run = queued(world, django_capture_on_commit_callbacks)
    admin = User.objects.create_user(
        "admin@mobility.test", "pw-Very-Long-1", role=Role.ADMIN, first_name="Avery"
    )
    client = Client()
    assert password_login(client, admin, "pw-Very-Long-1")
    url = reverse("adviser:run_progress", args=[run.pk])

    orphan(run, attempts=1)
    recovery.match_runs_recover()
    page = client.get(url, HTTP_HX_REQUEST="true")
    assert page.status_code == 200 and "stalled and is being retried" in page.content.decode()
    assert "Attempt 1 of 3 stopped while solving" in page.content.decode()

    orphan(run, attempts=3)
    recovery.match_runs_recover()
    page = client.get(url, HTTP_HX_REQUEST="true")
    assert page.status_code == 286 and page["HX-Redirect"] == reverse("adviser:run", args=[run.pk])
    text = client.get(reverse("adviser:run", args=[run.pk])).content.decode()
    assert "failed" in text and "stopped 3 times without finishing" in text
