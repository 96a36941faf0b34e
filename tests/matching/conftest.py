"""Small, hand-placed test worlds for the matching tests.

Grid points are set directly (not looked up from postcodes) so distances are exact:
1 km east of the pupils' homes is a short walk, 40 km is out of reach.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.db import connection

from employers.models import Employer, Opportunity
from mobility.geography.models import LocalAuthority, Region, Sector
from placements.models import Application, MatchRun
from schools.models import Pupil, School
from tests import factories as f
from tests.celery_worker import worker_start, workers_ready, workers_stop

LIVERPOOL = "E08000012"
WIRRAL = "E08000015"
HOME = (335000, 390000)  # central Liverpool, British National Grid metres
REPO = Path(__file__).resolve().parents[2]


@dataclass
class MatchWorld:
    """Builds a region with schools, pupils and opportunities for one test."""

    region: Region
    sectors: dict[str, Sector]
    local_authorities: dict[str, LocalAuthority]
    window_start: dt.date
    employers: list[Employer] = field(default_factory=list)

    @property
    def window_end(self) -> dt.date:
        return self.window_start + dt.timedelta(days=4)

    def school(self, *, la: str = LIVERPOOL, year_group: int = 10, window: bool = True) -> School:
        school = f.SchoolFactory.create(
            local_authority=self.local_authorities[la],
            postcode="L1 8JQ",
            easting=HOME[0],
            northing=HOME[1],
            local_authority_code=la,
        )
        if window:
            f.WindowFactory.create(
                school=school,
                year_group=year_group,
                starts_on=self.window_start,
                ends_on=self.window_end,
                application_deadline=None,
            )
        return school

    def pupil(
        self, school: School, *, at: tuple[int, int] = HOME, interests: tuple[str, ...] = (), **fields: Any
    ) -> Pupil:
        values: dict[str, Any] = {
            "date_of_birth": self.window_start - dt.timedelta(days=15 * 365),
            "postcode": "L1 8JQ",
            "easting": at[0],
            "northing": at[1],
            "local_authority_code": LIVERPOOL,
            **fields,
        }
        return f.PupilFactory.create(
            school=school, sector_interests=[self.sectors[s] for s in interests], **values
        )

    def employer(self, *, sector: str = "digital", compliant: bool = True) -> Employer:
        employer = f.EmployerFactory.create(sector=self.sectors[sector])
        if compliant:
            f.ComplianceFactory.create(
                employer=employer,
                insurance_expires_on=self.window_end + dt.timedelta(days=200),
                risk_assessment_on=self.window_start - dt.timedelta(days=30),
                verification_note="Certificate seen.",
            )
        self.employers.append(employer)
        return employer

    def opportunity(
        self,
        *,
        employer: Employer | None = None,
        sector: str = "digital",
        at: tuple[int, int] = (HOME[0] + 1000, HOME[1]),
        capacity: int = 1,
        step_free: bool = True,
        la: str = LIVERPOOL,
        **fields: Any,
    ) -> Opportunity:
        employer = employer or self.employer(sector=sector)
        site = f.SiteFactory.create(
            employer=employer,
            postcode="L2 2DP",
            step_free_access=step_free,
            easting=at[0],
            northing=at[1],
            local_authority_code=la,
        )
        values: dict[str, Any] = {
            "capacity": capacity,
            "starts_on": self.window_start,
            "ends_on": self.window_end,
            **fields,
        }
        return f.OpportunityFactory.create(
            employer=employer, site=site, sector=self.sectors[sector], **values
        )

    def apply(self, pupil: Pupil, *opportunities: Opportunity) -> list[Application]:
        return [
            Application.objects.create(pupil=pupil, opportunity=o, rank=i)
            for i, o in enumerate(opportunities, start=1)
        ]


def build_world(window_start: dt.date | None = None) -> MatchWorld:
    region = f.RegionFactory.create(code="lcr", name="Liverpool City Region")
    las = {
        code: f.LocalAuthorityFactory.create(code=code, name=name, region=region)
        for code, name in ((LIVERPOOL, "Liverpool"), (WIRRAL, "Wirral"))
    }
    sectors = f.world_sectors()
    region.growth_sectors.add(sectors["digital"])
    start = window_start or f.TODAY + dt.timedelta(days=60)
    return MatchWorld(region=region, sectors=sectors, local_authorities=las, window_start=start)


@pytest.fixture
def world(db: None) -> MatchWorld:
    return build_world()


def populate(world: MatchWorld, *, pupils: int = 12) -> None:
    """Contention on purpose: fewer seats near home than pupils, and popular first choices."""
    school = world.school()
    near = [
        world.opportunity(sector=sector, at=(HOME[0] + 800 * (i + 1), HOME[1]), capacity=2)
        for i, sector in enumerate(("digital", "health", "retail"))
    ]
    world.opportunity(sector="digital", at=(HOME[0], HOME[1] + 3000), capacity=1)
    world.opportunity(sector="retail", at=(HOME[0] + 40000, HOME[1]), capacity=5)  # out of reach
    for i in range(pupils):
        pupil = world.pupil(
            school,
            at=(HOME[0] - 200 * i, HOME[1] + 150 * i),
            interests=(("digital",), ("health", "retail"), ())[i % 3],
            fsm_or_pupil_premium=i % 4 == 0,
            care_experienced=i == 5,
        )
        if i % 5 != 4:  # some pupils never apply and rely on suggestions
            world.apply(pupil, *near[i % 2 :][:2])


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def database_url() -> str:
    """URL of the database this test session uses (pytest-django's test database)."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def matching_worker(transactional_db: None, tmp_path: Path) -> Iterator[Worker]:
    """A real Celery worker on the matching queue, in a subprocess, on the test database."""
    broker = settings.CELERY_BROKER_URL
    if not broker or settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.fail("CELERY_BROKER_URL must point at Redis for worker tests")
    # Messages left by an earlier, interrupted session would name runs that do not exist.
    redis.Redis.from_url(broker).delete("matching", "default")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mobility.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "REDIS_URL": settings.REDIS_URL,
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "worker.log"
    process = worker_start(f"matching-test-{os.getpid()}", log, env=env)
    worker = Worker(process, log)
    try:
        if (output := workers_ready([(process, log)], timeout=60, poll=0.2)) is not None:
            pytest.fail(f"The Celery worker did not start:\n{output}")
        yield worker
    finally:
        workers_stop([process], timeout=15)


def wait_for_run(run_id: int, worker: Worker | None = None, timeout: float = 90) -> MatchRun:
    deadline = time.monotonic() + timeout
    while True:
        run = MatchRun.objects.get(pk=run_id)
        if run.status in (MatchRun.Status.SUCCEEDED, MatchRun.Status.FAILED):
            return run
        if time.monotonic() > deadline:
            log = worker.output() if worker else ""
            pytest.fail(f"Run {run_id} still {run.status}/{run.stage} after {timeout} s.\n{log}")
        time.sleep(0.2)
