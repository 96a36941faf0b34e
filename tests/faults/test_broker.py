"""The broker (Redis) down or restarted: requests succeed, work waits in the outbox, nothing is lost."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from mobility.accounts.models import User
from mobility.outbox.models import OutboxMessage
from placements.lifecycle import services as lifecycle
from placements.lifecycle.models import NotificationSent
from placements.matching import services
from placements.models import Match, MatchRun, MatchStatus
from tests import factories as f
from tests.matching.conftest import build_world, populate
from tests.twofactor import verified_login

from .conftest import FaultFigures, Lab, assert_consistent, run_finished, run_in_stage, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.celery]


def approved_match() -> tuple[Match, User]:
    school = f.SchoolFactory.create()
    f.WindowFactory.create(school=school)
    employer = f.EmployerFactory.create()
    f.ComplianceFactory.create(employer=employer)
    f.EmployerMemberFactory.create(employer=employer)
    f.SchoolStaffFactory.create(school=school)
    adviser = f.CareersAdviserFactory.create(schools=[school])
    opportunity = f.OpportunityFactory.create(employer=employer, capacity=2)
    match = f.MatchFactory.create(
        run=f.MatchRunFactory.create(), pupil=f.PupilFactory.create(school=school), opportunity=opportunity
    )
    lifecycle.match_approve(match_id=match.pk, actor=adviser.user)
    return match, adviser.user


def test_broker_down_during_an_offer(lab: Lab, figures: FaultFigures) -> None:
    match, adviser = approved_match()
    worker = lab.worker()
    wait_until(lambda: not OutboxMessage.objects.filter(sent_at__isnull=True).exists(), 30, "relayed")

    lab.redis.kill()
    client = Client()
    verified_login(client, adviser)
    began = time.monotonic()
    answer = client.post(f"/api/v1/matches/{match.pk}/offer/", content_type="application/json")
    took = time.monotonic() - began
    run = services.match_run_create(region=match.run.region, seed=1, parameters={})

    assert answer.status_code == 200, answer.content
    assert took < 3, f"the offer took {took:.1f} s with the broker down"
    match.refresh_from_db()
    assert match.status == MatchStatus.OFFERED
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True)
    assert waiting.count() == 2
    # The offer's email tried the broker once; the run's hand-out, just after, did not wait again.
    assert "Connection refused" in waiting.get(dedup_key__startswith="notify:").last_error
    assert waiting.get(dedup_key__startswith="match-run:").attempts == 0
    time.sleep(2)  # the worker and its beat keep trying meanwhile

    lab.redis.start()
    back = time.monotonic()
    offer = match.status_changes.get(to_status=MatchStatus.OFFERED)
    wait_until(
        lambda: (
            NotificationSent.objects.filter(event_key=f"match-status-change:{offer.pk}").count() >= 2
            and run_finished(run.pk)
        ),
        60,
        "offer told and run finished",
        worker.output,
    )
    figures.recovered_seconds = time.monotonic() - back
    time.sleep(2)  # any duplicate delivery would land by now
    assert MatchRun.objects.get(pk=run.pk).status == "succeeded"
    assert worker.process.poll() is None
    assert_consistent(figures=figures, emails=lab.emails())


def test_redis_restarted_mid_run(lab: Lab, figures: FaultFigures) -> None:
    world = build_world()
    populate(world, pupils=20)
    worker = lab.worker(pool="prefork", pause_at="solving", pause_seconds=6)
    run = services.match_run_create(region=world.region, seed=8, parameters={})
    wait_until(lambda: run_in_stage(run.pk, "solving"), 60, "solving", worker.output)

    lab.redis.kill()  # no persistence: the run's message is gone with it
    time.sleep(1)
    lab.redis.start()
    back = time.monotonic()
    wait_until(lambda: run_finished(run.pk), 90, "finished", worker.output)
    figures.recovered_seconds = time.monotonic() - back

    run.refresh_from_db()
    assert run.status == "succeeded", f"{run.error}\n{worker.output()[-3000:]}"
    assert worker.process.poll() is None, f"the worker exited:\n{worker.output()[-4000:]}"
    assert "Error on restarting" not in worker.output() and "Unrecoverable error" not in worker.output()
    # Still consuming after the restart: a new run goes through.
    second = services.match_run_create(region=world.region, seed=9, parameters={})
    wait_until(lambda: run_finished(second.pk), 60, "second run finished", worker.output)
    assert_consistent(figures=figures, emails=lab.emails())


def test_the_worker_is_configured_to_survive_a_broker_restart() -> None:
    from django.conf import settings

    from .conftest import production_worker_flags

    assert production_worker_flags() == ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    assert settings.CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS is True
    assert settings.CELERY_BROKER_CONNECTION_MAX_RETRIES is None
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] >= 3600
