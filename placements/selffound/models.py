"""A placement a pupil (or their family) found: proposed by the pupil, completed by the employer
through an emailed link, vetted by the school, then placed in the normal lifecycle."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from mobility.accounts.fields import optional_user
from mobility.accounts.tokens import SingleUseToken
from mobility.audit.tracking import audited
from mobility.fields import bounded_text
from mobility.geography.located import Located

TEXT_MAX = 2000


class ProposalStatus(models.TextChoices):
    AWAITING_EMPLOYER = "awaiting_employer", "Waiting for the employer"
    AWAITING_VETTING = "awaiting_vetting", "Waiting for the school's checks"
    APPROVED = "approved", "Approved by the school"
    REFUSED = "refused", "Not approved by the school"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = (ProposalStatus.AWAITING_EMPLOYER, ProposalStatus.AWAITING_VETTING)


@audited()
class Proposal(Located):
    """The workplace's ``postcode`` is located like a site's; the pupil's part, then the employer's,
    then the school's check."""

    pupil = models.ForeignKey("schools.Pupil", on_delete=models.CASCADE, related_name="self_found")
    status = models.CharField(
        max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.AWAITING_EMPLOYER
    )
    # What the pupil says
    employer_name = models.CharField(max_length=200)
    contact_name = models.CharField(max_length=150)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=30)
    address = models.CharField(max_length=250)
    starts_on = models.DateField()
    ends_on = models.DateField()
    pupil_plans = bounded_text(TEXT_MAX, "what you will do", blank=False, help_text="In the pupil's words.")
    # What the employer adds through the link
    sector = models.ForeignKey(
        "geography.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    site_name = models.CharField(max_length=120, blank=True)
    step_free_access = models.BooleanField(default=False)
    daily_hours = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
    )
    supervisor_name = models.CharField(max_length=120, blank=True)
    supervisor_role = models.CharField(max_length=120, blank=True)
    duties = bounded_text(TEXT_MAX)
    insurer = models.CharField(max_length=120, blank=True)
    insurance_policy_number = models.CharField(max_length=60, blank=True)
    insurance_expires_on = models.DateField(null=True, blank=True)
    risk_assessment_on = models.DateField(null=True, blank=True)
    employer_completed_at = models.DateTimeField(null=True, blank=True)
    # The school's health and safety and safeguarding check
    health_and_safety_checked = models.BooleanField(default=False)
    safeguarding_checked = models.BooleanField(default=False)
    vetted_by = optional_user()
    vetted_at = models.DateTimeField(null=True, blank=True)
    vetting_note = bounded_text(TEXT_MAX)
    refusal_reason = bounded_text(TEXT_MAX, help_text="Shown to the pupil.")
    # What approval made
    opportunity = models.OneToOneField(
        "employers.Opportunity", null=True, blank=True, on_delete=models.PROTECT, related_name="self_found"
    )
    match = models.OneToOneField(
        "placements.Match", null=True, blank=True, on_delete=models.SET_NULL, related_name="self_found"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"], condition=Q(status__in=OPEN_STATUSES), name="self_found_one_open_per_pupil"
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""), name="self_found_refused_with_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | (Q(health_and_safety_checked=True) & Q(safeguarding_checked=True)),
                name="self_found_approved_after_checks",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer_name} (found by pupil {self.pupil_id})"


class EmployerLink(SingleUseToken):
    """The emailed link that lets the employer's contact complete a proposal, once."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="links")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Employer link for proposal {self.proposal_id}"
