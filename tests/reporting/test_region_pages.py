"""The region lead's pages: their own region only, every table as CSV, bad input never a 500."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from mobility.accounts.models import Role
from mobility.geography.models import RegionLead
from tests import factories as f
from tests.twofactor import verified_login

from .checks import small_counts
from .test_region_figures import SPECS
from .world import YEAR, build

pytestmark = pytest.mark.django_db
TABLES = ("benchmark6", "outcomes", "sectors", "unmet-authorities", "unmet-sectors", "map")


def signed_in(user: object) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def test_the_lead_sees_their_region_and_downloads_every_table() -> None:
    world = build(SPECS)
    client = signed_in(world.lead)
    assert client.get("/")["Location"] == reverse("region:home")
    assert client.get(reverse("region:home"))["Location"] == reverse("region:report", args=[world.region.pk])
    page = client.get(reverse("region:report", args=[world.region.pk]), {"year": YEAR.slug})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<svg") == 6 and html.count("<desc") == 6
    for key in TABLES:
        url = reverse("region:csv", args=[world.region.pk, YEAR.slug, key])
        assert url in html
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert len(rows) > 1
        assert not small_counts(rows[0], rows[1:]), key
    # The suppressed words travel into the file as they are on the page.
    sheet = client.get(
        reverse("region:csv", args=[world.region.pk, YEAR.slug, "benchmark6"])
    ).content.decode()
    assert "School B,fewer than 5" in sheet


def test_other_regions_other_roles_and_bad_input_are_refused() -> None:
    world = build(SPECS)
    other = f.RegionFactory.create(code="gm", name="Greater Manchester")
    lead = signed_in(world.lead)
    assert lead.get(reverse("region:report", args=[other.pk])).status_code == 404
    assert lead.get(reverse("region:csv", args=[other.pk, YEAR.slug, "benchmark6"])).status_code == 404
    assert lead.get(reverse("region:csv", args=[world.region.pk, YEAR.slug, "pupils"])).status_code == 404
    assert lead.get(reverse("region:csv", args=[world.region.pk, "2031-99", "outcomes"])).status_code == 404
    # A year that is not one falls back to the latest, never an error.
    assert lead.get(reverse("region:report", args=[world.region.pk]), {"year": "'; drop"}).status_code == 200
    # A lead with no region yet sees no report.
    orphan = f.UserFactory.create(role=Role.REGION_LEAD)
    assert signed_in(orphan).get(reverse("region:report", args=[world.region.pk])).status_code == 404
    for role in (Role.PUPIL, Role.EMPLOYER, Role.SCHOOL_STAFF, Role.ADVISER):
        user = f.UserFactory.create(role=role)
        assert signed_in(user).get(reverse("region:report", args=[world.region.pk])).status_code == 403
    assert Client().get(reverse("region:report", args=[world.region.pk])).status_code == 302
    # Admins see every region, with every figure.
    admin = signed_in(f.UserFactory.create(admin=True))
    assert admin.get(reverse("region:report", args=[other.pk])).status_code == 200
    assert RegionLead.objects.filter(user=world.lead, region=world.region).exists()


def test_the_advisers_unmet_demand_page_has_the_map() -> None:
    world = build(SPECS)
    run = f.MatchRunFactory.create(region=world.region)
    adviser = f.CareersAdviserFactory.create(schools=list(world.schools.values())).user
    page = signed_in(adviser).get(reverse("adviser:unmet"), {"run": run.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="mobility-map"' in html and "<desc" in html and "Postcode district" in html
