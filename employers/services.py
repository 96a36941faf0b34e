"""Writes for employers' sites, opportunities and compliance records.

Counters kept by the lifecycle (``seats_taken``) and the opportunity's ``status`` are
never taken from a client: capacity changes happen under the opportunity's row lock so
they cannot undercut seats being taken at the same moment.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from employers.models import ComplianceRecord, Employer, Opportunity, Site
from mobility.errors import Conflict

if TYPE_CHECKING:
    from mobility.accounts.models import User

SITE_FIELDS = ("name", "address", "postcode", "step_free_access")
OPPORTUNITY_FIELDS = (
    "site",
    "title",
    "description",
    "sector",
    "capacity",
    "starts_on",
    "ends_on",
    "daily_hours",
    "minimum_age",
    "mode",
    "accessibility",
)
COMPLIANCE_FIELDS = (
    "insurer",
    "insurance_policy_number",
    "insurance_expires_on",
    "risk_assessment_on",
    "supervisor_name",
    "supervisor_role",
    "safeguarding_checks",
)


def _assign(instance: Any, fields: tuple[str, ...], data: dict[str, Any]) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


def site_save(*, employer: Employer, data: dict[str, Any], site: Site | None = None) -> Site:
    """Create or change a site; its postcode is located (a bad one is a field error)."""
    site = site or Site(employer=employer)
    _assign(site, SITE_FIELDS, data)
    site.full_clean(exclude=["employer"])
    site.save()
    return site


def site_delete(*, site: Site) -> None:
    if site.opportunities.exists():
        raise Conflict("This site has opportunities; move or delete them first.")
    site.delete()


def opportunity_create(*, employer: Employer, data: dict[str, Any]) -> Opportunity:
    """A new opportunity starts as a draft at one of the employer's own sites."""
    opportunity = Opportunity(employer=employer, status=Opportunity.Status.DRAFT)
    _assign(opportunity, OPPORTUNITY_FIELDS, data)
    if opportunity.site_id and opportunity.site.employer_id != employer.pk:
        raise ValidationError({"site": "Choose one of your own sites."})
    opportunity.full_clean()
    opportunity.save()
    return opportunity


def opportunity_update(*, opportunity: Opportunity, data: dict[str, Any]) -> Opportunity:
    with transaction.atomic():
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        _assign(opportunity, OPPORTUNITY_FIELDS, data)
        if opportunity.site.employer_id != opportunity.employer_id:
            raise ValidationError({"site": "Choose one of your own sites."})
        if opportunity.capacity < opportunity.seats_taken:
            raise ValidationError(
                {"capacity": f"{opportunity.seats_taken} places are taken; capacity cannot go below that."}
            )
        opportunity.full_clean()
        opportunity.save()
    return opportunity


def opportunity_set_status(*, opportunity: Opportunity, status: str) -> Opportunity:
    """Publish or close an opportunity (or take it back to draft while nobody holds a place)."""
    with transaction.atomic():
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if status == Opportunity.Status.DRAFT and (
            opportunity.seats_taken or opportunity.applications.exists()
        ):
            raise Conflict("Pupils have applied or hold places, so this cannot go back to draft.")
        opportunity.status = status
        opportunity.save(update_fields=["status", "updated_at"])
    return opportunity


def opportunity_delete(*, opportunity: Opportunity) -> None:
    with transaction.atomic():
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if opportunity.status != Opportunity.Status.DRAFT or opportunity.matches.exists():
            raise Conflict(
                "Only a draft nobody has been matched to can be deleted; close it instead."
            )
        opportunity.delete()


def compliance_save(
    *, employer: Employer, data: dict[str, Any], actor: User, checker: bool, now: dt.datetime | None = None
) -> ComplianceRecord:
    """Create or change an employer's compliance record.

    ``checker``: the actor is a placement organiser (adviser or admin), so the record counts
    as checked today; an employer's own change clears the check until someone looks again.
    """
    with transaction.atomic():
        record = ComplianceRecord.objects.select_for_update().filter(employer=employer).first()
        record = record or ComplianceRecord(employer=employer)
        _assign(record, COMPLIANCE_FIELDS, data)
        record.checked_on = timezone.localdate(now or timezone.now()) if checker else None
        record.checked_by = actor if checker else None
        record.full_clean()
        record.save()
    return record
