"""The employer pages' writes: thin wrappers over ``employers.services`` for form data."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from employers import services as employer_services
from employers.models import Employer, Opportunity


@transaction.atomic
def employer_update(*, employer: Employer) -> Employer:
    """Save the organisation's own details (a form has validated them)."""
    employer.save(update_fields=["name", "companies_house_number", "website"])
    return employer


@transaction.atomic
def opportunity_save(
    *, employer: Employer, opportunity: Opportunity | None, data: dict[str, Any]
) -> Opportunity:
    """Create or change an opportunity, then publish, close or draft it: all or nothing."""
    status = data.pop("status", None)
    if opportunity is None:
        saved = employer_services.opportunity_create(employer=employer, data=data)
    else:
        saved = employer_services.opportunity_update(opportunity=opportunity, data=data)
    if status and status != saved.status:
        saved = employer_services.opportunity_set_status(opportunity=saved, status=status)
    return saved
