"""On the demo, with last year's placements: the region lead's tables and the open data files
show no count from 1 to 4, and both years have figures to show."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from demo.plan import ACADEMIC_YEAR_START
from mobility.academic_year import AcademicYear
from mobility.accounts.models import User
from mobility.geography.models import Region
from placements.models import MatchRun
from placements.reporting.open_data import WITHHELD
from tests.reporting.checks import small_counts
from tests.twofactor import verified_login

pytestmark = pytest.mark.django_db
TABLES = ("benchmark6", "outcomes", "sectors", "unmet-authorities", "unmet-sectors", "map")


def test_region_tables_and_open_data_show_no_small_counts(demo_runs: list[MatchRun]) -> None:
    lead = Client()
    verified_login(lead, User.objects.get(email="lead@demo.mobility.test"))
    region = Region.objects.get(code="lcr")
    for start in (ACADEMIC_YEAR_START - 1, ACADEMIC_YEAR_START):
        year = AcademicYear(start)
        assert lead.get(reverse("region:report", args=[region.pk]), {"year": year.slug}).status_code == 200
        for key in TABLES:
            response = lead.get(reverse("region:csv", args=[region.pk, year.slug, key]))
            rows = list(csv.reader(io.StringIO(response.content.decode())))
            assert not small_counts(rows[0], rows[1:]), (year, key)
        sheet = list(
            csv.DictReader(io.StringIO(Client().get(f"/open-data/{year.slug}.csv").content.decode()))
        )
        values = [r["placements"] for r in sheet if r["placements"] != WITHHELD]
        assert not [v for v in values if 1 <= int(v) <= 4]
    # Last year has placements to show; this year, pupils who have sought one.
    last = lead.get(
        reverse("region:csv", args=[region.pk, AcademicYear(ACADEMIC_YEAR_START - 1).slug, "sectors"])
    )
    total = next(r for r in csv.reader(io.StringIO(last.content.decode())) if r[0] == "All placements")
    assert total[2].isdigit() and int(total[2]) > 20
