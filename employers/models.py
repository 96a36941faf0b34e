from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from mobility.accounts.fields import account_of, optional_user
from mobility.audit.tracking import audited
from mobility.fields import bounded_text
from mobility.geography.located import Located

# Free-text limits: a page of description, a paragraph of notes.
DESCRIPTION_MAX = 4000
NOTE_MAX = 2000


@audited()
class Employer(models.Model):
    """An organisation offering placements. Pupils see none of its opportunities until an adviser
    has verified it (``employers.verification``): an organisation that signed itself up starts
    pending."""

    class Verification(models.TextChoices):
        PENDING = "pending", "Awaiting verification"
        VERIFIED = "verified"
        REFUSED = "refused"

    name = models.CharField(max_length=200)
    companies_house_number = models.CharField(max_length=8, blank=True)
    sector = models.ForeignKey("geography.Sector", on_delete=models.PROTECT, related_name="employers")
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The person who registered the organisation; told of the adviser's decision.
    contact = optional_user()
    contact_phone = models.CharField(max_length=30, blank=True)
    verification_status = models.CharField(
        max_length=10, choices=Verification.choices, default=Verification.PENDING
    )
    verification_decided_by = optional_user()
    verification_decided_at = models.DateTimeField(null=True, blank=True)
    verification_note = bounded_text(
        1000, help_text="What the adviser checked, or why the organisation was refused."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            # A decision always says when and why; a pending organisation has neither.
            models.CheckConstraint(
                condition=(
                    Q(verification_status="pending", verification_decided_at__isnull=True)
                    | (
                        Q(verification_status__in=["verified", "refused"])
                        & Q(verification_decided_at__isnull=False)
                        & ~Q(verification_note="")
                    )
                ),
                name="employer_verification_decided",
            ),
        ]
        indexes = [models.Index(fields=["verification_status", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification_status == self.Verification.VERIFIED


@audited()
class EmployerMember(models.Model):
    user = account_of("employer_member")
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="members")
    job_title = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["employer", "user__email"]

    def __str__(self) -> str:
        return f"{self.user.get_full_name()} ({self.employer})"


class Site(Located):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=120)
    address = models.CharField(max_length=250)
    step_free_access = models.BooleanField(default=False)

    class Meta:
        ordering = ["employer", "name"]

    def __str__(self) -> str:
        return f"{self.employer}: {self.name}"


# Seats taken move with every approval; the match history records those.
@audited(exclude=["seats_taken", "updated_at"])
class Opportunity(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        HYBRID = "hybrid"
        VIRTUAL = "virtual"

    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"
        CLOSED = "closed"

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="opportunities")
    site = models.ForeignKey(
        Site,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunities",
        help_text="Where pupils go; a virtual placement needs none.",
    )
    title = models.CharField(max_length=200)
    description = bounded_text(DESCRIPTION_MAX, blank=False)
    sector = models.ForeignKey("geography.Sector", on_delete=models.PROTECT, related_name="opportunities")
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(50)])
    seats_taken = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="Seats held by approved matches; kept by the services."
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    daily_hours = models.DecimalField(max_digits=3, decimal_places=1, default=7)
    minimum_age = models.PositiveSmallIntegerField(
        default=14, validators=[MinValueValidator(13), MaxValueValidator(19)]
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    accessibility = bounded_text(NOTE_MAX, help_text="What the workplace offers beyond step-free access.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    reserved = models.BooleanField(
        default=False,
        editable=False,
        help_text="Found by one pupil for themselves: closed, so never listed, searched or matched.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_on", "title"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=0), name="opportunity_capacity_non_negative"),
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")), name="opportunity_not_overfilled"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="opportunity_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(daily_hours__gt=0) & Q(daily_hours__lte=8), name="opportunity_daily_hours_range"
            ),
            models.CheckConstraint(
                condition=Q(reserved=False) | (Q(status="closed") & Q(capacity=1)),
                name="opportunity_reserved_closed_single",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.employer})"

    @property
    def seats_left(self) -> int:
        return self.capacity - self.seats_taken

    @property
    def is_open_to_pupils(self) -> bool:
        """The one rule, row by row; ``OPEN_TO_PUPILS`` is the same rule for queries."""
        return self.status == self.Status.PUBLISHED and self.employer.is_verified

    def clean(self) -> None:
        super().clean()
        if self.mode != self.Mode.VIRTUAL and self.site_id is None:
            raise ValidationError(
                {"site": "Choose where the placement happens; only a virtual one needs no site."}
            )


# What pupils may see, search, apply for and be matched to: published, by a verified employer.
OPEN_TO_PUPILS = Q(
    status=Opportunity.Status.PUBLISHED, employer__verification_status=Employer.Verification.VERIFIED
)


@audited()
class ComplianceRecord(models.Model):
    """What the placement organiser checked of an employer, with dates so expiry can be seen."""

    employer = models.OneToOneField(Employer, on_delete=models.CASCADE, related_name="compliance")
    insurer = models.CharField(max_length=120, blank=True)
    insurance_policy_number = models.CharField(max_length=60, blank=True)
    insurance_expires_on = models.DateField(
        null=True, blank=True, help_text="Employer's liability insurance."
    )
    risk_assessment_on = models.DateField(
        null=True, blank=True, help_text="Date of the young workers' risk assessment."
    )
    supervisor_name = models.CharField(max_length=120, blank=True)
    supervisor_role = models.CharField(max_length=120, blank=True)
    safeguarding_checks = bounded_text(NOTE_MAX, help_text="What was checked, e.g. DBS for named supervisor.")
    checked_on = models.DateField(null=True, blank=True)
    checked_by = optional_user()
    # Only an adviser's verification makes the record count for approval; any employer edit clears it.
    verified_by = optional_user()
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_note = bounded_text(
        1000, help_text="The evidence the adviser saw, e.g. the insurance certificate."
    )

    class Meta:
        ordering = ["employer"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | ~Q(verification_note=""),
                name="compliance_verified_with_note",
            ),
        ]

    def __str__(self) -> str:
        return f"Compliance: {self.employer}"

    @property
    def risk_assessment_valid_until(self) -> dt.date | None:
        if self.risk_assessment_on is None:
            return None
        valid_for: dt.timedelta = settings.MOBILITY["RISK_ASSESSMENT_VALID_FOR"]
        return self.risk_assessment_on + valid_for

    def clean(self) -> None:
        super().clean()
        if self.risk_assessment_on and self.risk_assessment_on > timezone.localdate():
            raise ValidationError({"risk_assessment_on": "The risk assessment date cannot be in the future."})

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def valid_through(self, day: dt.date) -> bool:
        """Insurance and risk assessment both cover `day` (verification is checked separately)."""
        until = self.risk_assessment_valid_until
        return bool(
            self.insurance_expires_on
            and until
            and self.supervisor_name
            and self.insurance_expires_on >= day
            and until >= day
        )
