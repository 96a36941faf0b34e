"""A fingerprint of the demo data that ignores primary keys, timestamps and password salts.

Two builds with the same size and seed give the same digest, whatever database they are in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from employers.models import ComplianceRecord, EmployerMember, Opportunity, Site
from employers.services import COMPLIANCE_FIELDS as EDITABLE_COMPLIANCE_FIELDS
from employers.services import OPPORTUNITY_FIELDS as EDITABLE_OPPORTUNITY_FIELDS
from placements.models import Application
from schools.models import (
    DISADVANTAGE_FLAGS,
    CareersAdviser,
    ConsentRecord,
    Pupil,
    SchoolStaff,
    WorkExperienceWindow,
)

from .cleanup import demo_employers, demo_schools, demo_users

PUPIL_FIELDS = (
    "user__email",
    "school__urn",
    "year_group",
    "date_of_birth",
    "postcode",
    "easting",
    "northing",
    "local_authority_code",
    *DISADVANTAGE_FLAGS,
    "needs_step_free_access",
    "access_needs",
    "max_travel_minutes",
    "parental_consent",
    "parental_consent_recorded_at",
)
# Related rows by a natural key, so primary keys do not enter the digest.
_NATURAL_KEYS = {"site": "site__name", "sector": "sector__slug"}
OPPORTUNITY_FIELDS = (
    "employer__name",
    *(_NATURAL_KEYS.get(name, name) for name in EDITABLE_OPPORTUNITY_FIELDS),
    "seats_taken",
    "status",
)
COMPLIANCE_FIELDS = ("employer__name", *EDITABLE_COMPLIANCE_FIELDS, "checked_on")


def demo_digest() -> str:
    """SHA-256 over every demo row in a canonical (sorted, key-free) form."""
    schools, employers, users = demo_schools(), demo_employers(), demo_users()
    pupils = Pupil.objects.filter(school__in=schools)
    tables: dict[str, Iterable[tuple[object, ...]]] = {
        "users": users.values_list("email", "first_name", "last_name", "role", "is_staff", "is_superuser"),
        "schools": schools.values_list("urn", "name", "phase", "postcode", "local_authority__code"),
        "windows": WorkExperienceWindow.objects.filter(school__in=schools).values_list(
            "school__urn", "year_group", "starts_on", "ends_on", "application_deadline"
        ),
        "pupils": pupils.values_list(*PUPIL_FIELDS),
        "interests": pupils.values_list("user__email", "sector_interests__slug"),
        "consent": ConsentRecord.objects.filter(pupil__in=pupils).values_list(
            "pupil__user__email", "status", "method", "parent_carer_name", "recorded_by__email", "recorded_at"
        ),
        "staff": SchoolStaff.objects.filter(school__in=schools).values_list(
            "user__email", "school__urn", "job_title"
        ),
        "advisers": CareersAdviser.objects.filter(user__in=users).values_list(
            "user__email", "organisation", "schools__urn"
        ),
        "employers": employers.values_list("name", "sector__slug", "website"),
        "members": EmployerMember.objects.filter(employer__in=employers).values_list(
            "user__email", "employer__name", "job_title"
        ),
        "sites": Site.objects.filter(employer__in=employers).values_list(
            "employer__name", "name", "address", "postcode", "easting", "northing", "step_free_access"
        ),
        "opportunities": Opportunity.objects.filter(employer__in=employers).values_list(*OPPORTUNITY_FIELDS),
        "compliance": ComplianceRecord.objects.filter(employer__in=employers).values_list(*COMPLIANCE_FIELDS),
        "applications": Application.objects.filter(pupil__in=pupils).values_list(
            "pupil__user__email",
            "opportunity__employer__name",
            "opportunity__site__name",
            "opportunity__title",
            "opportunity__starts_on",
            "rank",
            "status",
        ),
    }
    digest = hashlib.sha256()
    for name, rows in tables.items():
        digest.update(name.encode())
        for row in sorted(repr(row) for row in rows):
            digest.update(row.encode())
    return digest.hexdigest()
