"""Writes for employers' sites, opportunities and compliance records.

Counters kept by the lifecycle (``seats_taken``) and the opportunity's ``status`` are
never taken from a client: capacity changes happen under the opportunity's row lock so
they cannot undercut seats being taken at the same moment.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from employers.models import ComplianceRecord, Employer, Opportunity, Site
from mobility.errors import Conflict, required_text
from mobility.geography.located import Located
from mobility.geography.models import LocalAuthority, Sector
from mobility.outbox.services import outbox_enqueue

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
# Once a pupil holds an offer, these only change through an adviser-approved change request.
LOCKED_FIELDS = ("site", "starts_on", "ends_on", "daily_hours", "minimum_age", "mode")
# Match statuses (as stored) during which a placement must not move under the pupil.
LOCKING_STATUSES = ("offered", "employer_confirmed", "accepted", "confirmed")
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


def employer_create(*, name: str, sector: Sector) -> Employer:
    """An organisation with no members yet (one a pupil found for themselves)."""
    employer = Employer(name=name.strip(), sector=sector)
    employer.full_clean()
    employer.save()
    return employer


def site_save(*, employer: Employer, data: dict[str, Any], site: Site | None = None) -> Site:
    """Create or change a site; its postcode is located (a bad one is a field error) and must
    lie in a local authority of a region the platform serves."""
    site = site or Site(employer=employer)
    _assign(site, SITE_FIELDS, data)
    site_check(site=site)
    site.save()
    return site


def site_check(*, site: Site) -> None:
    """Locate the site's postcode (a bad one is a field error) and refuse one outside every
    region the platform serves (raises ValidationError)."""
    site.full_clean(exclude=["employer"])
    located_check_served(located=site)


def served_local_authority(code: str) -> bool:
    return LocalAuthority.objects.filter(code=code).exists()


def located_check_served(*, located: Located) -> None:
    """Refuse a located postcode outside every region the platform serves (a field error)."""
    if not served_local_authority(located.local_authority_code):
        raise ValidationError(
            {
                "postcode": f"{located.postcode} is outside the areas this service covers, "
                "so pupils cannot be placed there."
            }
        )


def site_delete(*, site: Site) -> None:
    if site.opportunities.exists():
        raise Conflict("This site has opportunities; move or delete them first.")
    site.delete()


def opportunity_create(*, employer: Employer, data: dict[str, Any], reserved: bool = False) -> Opportunity:
    """A new opportunity starts as a draft at one of the employer's own sites. A ``reserved`` one
    (one seat, for the pupil who found it) is closed from the start and can never be published."""
    status = Opportunity.Status.CLOSED if reserved else Opportunity.Status.DRAFT
    opportunity = Opportunity(employer=employer, status=status, reserved=reserved)
    _assign(opportunity, OPPORTUNITY_FIELDS, data)
    opportunity_check(opportunity=opportunity)
    opportunity.save()
    return opportunity


def locked_values(opportunity: Opportunity) -> dict[str, Any]:
    return {name: getattr(opportunity, "site_id" if name == "site" else name) for name in LOCKED_FIELDS}


def opportunity_is_live(opportunity: Opportunity) -> bool:
    """A pupil holds an offer or a placement here, so its dates, site and hours are fixed."""
    return opportunity.matches.filter(status__in=LOCKING_STATUSES).exists()


def opportunity_update(
    *, opportunity: Opportunity, data: dict[str, Any], approved_change: bool = False
) -> Opportunity:
    """Change an opportunity. While it is live, the locked fields change only through an
    approved change request (``approved_change``), never directly."""
    with transaction.atomic():
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        before = locked_values(opportunity)
        dates_before = (opportunity.starts_on, opportunity.ends_on)
        _assign(opportunity, OPPORTUNITY_FIELDS, data)
        moved = [name for name, value in locked_values(opportunity).items() if before[name] != value]
        if moved and not approved_change and opportunity_is_live(opportunity):
            raise Conflict(
                "A pupil has been offered this placement, so its dates, site, hours and minimum age "
                "cannot be changed here. Ask the careers adviser for a change instead."
            )
        opportunity_check(opportunity=opportunity, dates_before=dates_before)
        opportunity.save()
    return opportunity


def _months_later(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def placement_dates_problems(*, starts_on: dt.date, ends_on: dt.date, today: dt.date) -> dict[str, str]:
    """Why these dates cannot be a placement's (empty if they can)."""
    rules = settings.MOBILITY
    most_days, months = rules["PLACEMENT_MAX_WORKING_DAYS"], rules["PLACEMENT_MAX_MONTHS_AHEAD"]
    problems = {}
    if starts_on < today:
        problems["starts_on"] = "The first day must be today or later."
    elif starts_on > _months_later(today, months):
        problems["starts_on"] = f"The first day must be within the next {months} months."
    if ends_on < starts_on:
        problems["ends_on"] = "The last day must be the same as or after the first day."
    elif int(np.busday_count(starts_on, ends_on + dt.timedelta(days=1))) > most_days:
        problems["ends_on"] = f"A placement lasts at most {most_days} working days."
    return problems


def opportunity_check(
    *, opportunity: Opportunity, dates_before: tuple[Any, Any] | None = None, today: dt.date | None = None
) -> None:
    """Every rule an opportunity's values must meet, whoever sets them (raises ValidationError).

    Dates are checked when they are new or changed (``dates_before`` is the saved pair), so a
    placement under way can still have its other details corrected.
    """
    dates = (opportunity.starts_on, opportunity.ends_on)
    if dates != dates_before and all(isinstance(d, dt.date) for d in dates):
        problems = placement_dates_problems(
            starts_on=dates[0], ends_on=dates[1], today=today or timezone.localdate()
        )
        if problems:
            raise ValidationError(problems)
    if opportunity.site is not None and opportunity.site.employer_id != opportunity.employer_id:
        raise ValidationError({"site": "Choose one of your own sites."})
    if opportunity.reserved and opportunity.capacity != 1:
        raise ValidationError({"capacity": "A placement a pupil found for themselves has one place."})
    if opportunity.capacity is not None and opportunity.capacity < opportunity.seats_taken:
        raise ValidationError(
            {"capacity": f"{opportunity.seats_taken} places are taken; capacity cannot go below that."}
        )
    opportunity.full_clean()


def opportunity_set_status(*, opportunity: Opportunity, status: str) -> Opportunity:
    """Publish or close an opportunity (or take it back to draft while nobody holds a place)."""
    with transaction.atomic():
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if opportunity.reserved:
            raise Conflict(
                "This placement was found by a pupil for themselves, so it stays closed to others."
            )
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
            raise Conflict("Only a draft nobody has been matched to can be deleted; close it instead.")
        opportunity.delete()


def compliance_save(
    *, employer: Employer, data: dict[str, Any], actor: User, checker: bool, now: dt.datetime | None = None
) -> ComplianceRecord:
    """Create or change an employer's compliance record.

    ``checker``: the actor is a placement organiser (adviser or admin), so the record counts
    as checked today; an employer's own change clears the check and the adviser's verification
    until someone looks again, and the advisers are told.
    """
    now = now or timezone.now()
    with transaction.atomic():
        record = ComplianceRecord.objects.select_for_update().filter(employer=employer).first()
        record = record or ComplianceRecord(employer=employer)
        _assign(record, COMPLIANCE_FIELDS, data)
        record.checked_on = timezone.localdate(now) if checker else None
        record.checked_by = actor if checker else None
        if not checker:
            record.verified_by, record.verified_at, record.verification_note = None, None, ""
        record.full_clean()
        record.save()
        if not checker:
            outbox_enqueue(
                task_name="employers.tasks.notify_compliance_changed",
                kwargs={"record_id": record.pk, "changed_at": now.isoformat()},
                dedup_key=f"compliance-changed:{record.pk}:{now.isoformat()}",
            )
    return record


def compliance_verify(
    *, record: ComplianceRecord, actor: User, note: str, now: dt.datetime | None = None
) -> ComplianceRecord:
    """An adviser has seen the evidence; from now the record counts for approval."""
    note = required_text(
        note, field="note", message="Say what evidence you saw, e.g. the insurance certificate."
    )
    now = now or timezone.now()
    with transaction.atomic():
        record = ComplianceRecord.objects.select_for_update().get(pk=record.pk)
        record.verified_by, record.verified_at, record.verification_note = actor, now, note
        record.checked_by, record.checked_on = actor, timezone.localdate(now)
        record.full_clean()
        record.save()
    return record
