from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q

from mobility.accounts.fields import account_of, optional_user
from mobility.audit.tracking import audited
from mobility.geography.located import Located


class School(Located):
    """A school or college; or a youth service, which stands in a school's place for the young
    people outside school it registers (``kind``)."""

    class Kind(models.TextChoices):
        SCHOOL = "school", "School or college"
        YOUTH_SERVICE = "youth_service", "Youth service"

    class Phase(models.TextChoices):
        SECONDARY = "secondary"
        SIXTH_FORM = "sixth_form", "Sixth form"
        FE_COLLEGE = "fe_college", "Further education college"
        YOUTH = "youth", "Young people outside school"

    kind = models.CharField(max_length=14, choices=Kind.choices, default=Kind.SCHOOL)
    urn = models.CharField(
        "URN",
        max_length=8,
        unique=True,
        help_text="Unique reference number (DfE); a youth service's own reference (letters and digits).",
    )
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=12, choices=Phase.choices)
    local_authority = models.ForeignKey(
        "geography.LocalAuthority", on_delete=models.PROTECT, related_name="schools"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(urn__regex=r"^[0-9]{6,8}$")
                | Q(kind="youth_service", urn__regex=r"^[A-Z0-9]{3,8}$"),
                name="school_urn_digits",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["school", "youth_service"]), name="school_kind_valid"
            ),
        ]

    @property
    def is_youth_service(self) -> bool:
        return self.kind == self.Kind.YOUTH_SERVICE

    def __str__(self) -> str:
        return self.name


class ConsentStatus(models.TextChoices):
    NOT_REQUESTED = "not_requested", "Not requested"
    REQUESTED = "requested"
    GIVEN = "given"
    REFUSED = "refused"


# The disadvantage flags a school holds for a pupil, in the order pages show them. The matching
# engine keeps its own copy (placements.engine.policy.FLAG_NAMES); a test keeps the two equal.
DISADVANTAGE_FLAGS = ("fsm_or_pupil_premium", "care_experienced", "send", "young_carer", "at_risk_of_neet")


def disadvantaged_q(prefix: str = "") -> Q:
    """Pupils with any disadvantage flag; ``prefix`` reaches them through a relation ("pupil__")."""
    q = Q()
    for flag in DISADVANTAGE_FLAGS:
        q |= Q(**{f"{prefix}{flag}": True})
    return q


# The DfE unique pupil number: a check letter then 12 digits (LA, establishment, year, serial).
UPN_PATTERN = r"^[A-Z][0-9]{12}$"
UPN_FORMAT = "a UPN is 13 characters: a letter then 12 digits, for example A123456789012"


def academic_year_start(day: dt.date) -> int:
    """The calendar year in which the English school year holding ``day`` began (1 September)."""
    return day.year if day.month >= 9 else day.year - 1


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def year_group_age_problem(*, date_of_birth: dt.date, year_group: int, today: dt.date) -> str | None:
    """Why a date of birth does not fit a year group, or None when it does.

    Year N is for pupils aged N + 4 on 31 August before the school year starts (so N + 4 or
    N + 5 during it); a year either side is accepted for pupils held back or moved up.
    """
    cutoff = dt.date(academic_year_start(today), 8, 31)
    age, expected = age_on(date_of_birth, cutoff), year_group + 4
    if abs(age - expected) <= 1:
        return None
    return (
        f"Year {year_group} expects pupils aged {expected} on 31 August {cutoff.year} "
        f"({expected - 1} to {expected + 1} accepted), but a pupil born on "
        f"{date_of_birth:%d/%m/%Y} was {age} then"
    )


class Cohort(models.TextChoices):
    """Who a pupil record is for: a school's pupil, or a young person a youth service registered."""

    SCHOOL_PUPIL = "school_pupil", "School pupil"
    NEET = "neet", "Not in education, employment or training (16 to 18)"
    CARE_LEAVER = "care_leaver", "Care leaver (up to 25)"


# Ages a youth service may register, by cohort, on the day of registration (inclusive).
YOUNG_PERSON_AGES = {Cohort.NEET: (16, 18), Cohort.CARE_LEAVER: (16, 25)}


def default_max_travel_minutes() -> int:
    return int(settings.MOBILITY["DEFAULT_MAX_TRAVEL_MINUTES"])


@audited()
class Pupil(Located):
    """A pupil's profile. `postcode` is the home postcode; the grid point is derived from it."""

    user = account_of("pupil")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    cohort = models.CharField(max_length=14, choices=Cohort.choices, default=Cohort.SCHOOL_PUPIL)
    year_group = models.PositiveSmallIntegerField(validators=[MinValueValidator(7), MaxValueValidator(14)])
    date_of_birth = models.DateField()
    upn = models.CharField(
        "unique pupil number (UPN)",
        max_length=13,
        blank=True,
        default="",
        validators=[RegexValidator(UPN_PATTERN, message=f"Enter a valid UPN: {UPN_FORMAT}")],
        help_text="Optional; the DfE's 13-character number, unique within the school.",
    )
    sector_interests = models.ManyToManyField(
        "geography.Sector", blank=True, related_name="interested_pupils"
    )
    needs_step_free_access = models.BooleanField(default=False)
    access_needs = models.TextField(
        blank=True, help_text="Access needs and reasonable adjustments, shared with a matched employer."
    )
    share_access_needs = models.BooleanField(
        "share access needs with the employer",
        default=False,
        help_text="Marked by the pupil or school: the employer sees the access needs once the pupil accepts.",
    )
    fsm_or_pupil_premium = models.BooleanField("free school meals / pupil premium", default=False)
    care_experienced = models.BooleanField(default=False)
    send = models.BooleanField("SEND", default=False)
    young_carer = models.BooleanField(default=False)
    at_risk_of_neet = models.BooleanField("at risk of NEET", default=False)
    max_travel_minutes = models.PositiveSmallIntegerField(
        default=default_max_travel_minutes, validators=[MinValueValidator(5), MaxValueValidator(120)]
    )
    parental_consent = models.CharField(
        max_length=14, choices=ConsentStatus.choices, default=ConsentStatus.NOT_REQUESTED
    )
    parental_consent_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_group__gte=7) & Q(year_group__lte=14), name="pupil_year_group_range"
            ),
            models.CheckConstraint(
                condition=Q(max_travel_minutes__gte=5) & Q(max_travel_minutes__lte=120),
                name="pupil_max_travel_range",
            ),
            models.CheckConstraint(condition=Q(upn="") | Q(upn__regex=UPN_PATTERN), name="pupil_upn_format"),
            models.UniqueConstraint(
                fields=["school", "upn"], condition=~Q(upn=""), name="pupil_upn_unique_per_school"
            ),
            models.CheckConstraint(condition=Q(cohort__in=Cohort.values), name="pupil_cohort_valid"),
        ]

    def __str__(self) -> str:
        return self.user.get_full_name()

    @property
    def is_disadvantaged(self) -> bool:
        return any(getattr(self, flag) for flag in DISADVANTAGE_FLAGS)

    def age_on(self, day: dt.date) -> int:
        return age_on(self.date_of_birth, day)

    def check_age_fits_year_group(self, *, today: dt.date, field: str = "date_of_birth") -> None:
        """The one rule for every way a pupil is added or moved to another year group."""
        problem = year_group_age_problem(
            date_of_birth=self.date_of_birth, year_group=self.year_group, today=today
        )
        if problem:
            raise ValidationError({field: f"{problem}."})

    @property
    def is_young_person(self) -> bool:
        """Registered by a youth service rather than a school: consents for themself."""
        return self.cohort != Cohort.SCHOOL_PUPIL

    @property
    def young_person(self) -> bool:
        """The matching engine's priority flag of the same name."""
        return self.is_young_person


class SchoolStaff(models.Model):
    user = account_of("school_staff")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="staff")
    job_title = models.CharField(max_length=120, default="Careers leader")

    class Meta:
        verbose_name_plural = "school staff"
        ordering = ["school", "user__email"]

    def __str__(self) -> str:
        return f"{self.user.get_full_name()} ({self.school})"


class CareersAdviser(models.Model):
    user = account_of("careers_adviser")
    organisation = models.CharField(max_length=200, blank=True)
    schools = models.ManyToManyField(School, blank=True, related_name="advisers")

    class Meta:
        ordering = ["user__email"]

    def __str__(self) -> str:
        return self.user.get_full_name()


class WorkExperienceWindow(models.Model):
    """The week (or weeks) a school releases a year group for work experience; or, with ``pupil``
    set, when one young person outside school is free (their own window, not a year group's)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="windows")
    pupil = models.ForeignKey(
        "Pupil", null=True, blank=True, on_delete=models.CASCADE, related_name="own_windows"
    )
    year_group = models.PositiveSmallIntegerField(validators=[MinValueValidator(7), MaxValueValidator(14)])
    starts_on = models.DateField()
    ends_on = models.DateField()
    application_deadline = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["school", "year_group", "starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="window_dates_ordered"),
            models.CheckConstraint(
                condition=Q(application_deadline__isnull=True) | Q(application_deadline__lte=F("starts_on")),
                name="window_deadline_before_start",
            ),
            models.UniqueConstraint(
                fields=["school", "year_group", "starts_on"],
                condition=Q(pupil__isnull=True),
                name="window_unique_start",
            ),
            models.UniqueConstraint(
                fields=["pupil", "starts_on"],
                condition=Q(pupil__isnull=False),
                name="window_own_unique_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} Y{self.year_group}: {self.starts_on}–{self.ends_on}"


class ConsentGiver(models.TextChoices):
    PARENT_CARER = "parent_carer", "Parent or carer"
    YOUNG_PERSON = "young_person", "The young person themself"


class ConsentMethod(models.TextChoices):
    PAPER = "paper", "Paper form"
    EMAIL = "email"
    PHONE = "phone", "Phone call"
    ONLINE = "online", "Online form"


@audited()
class ConsentRecord(models.Model):
    """One answer about consent, as recorded; the latest row is the pupil's current consent. A
    parent or carer answers for a pupil; a young person of 16 or over answers for themself."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="consent_records")
    status = models.CharField(max_length=14, choices=ConsentStatus.choices)
    given_by = models.CharField(
        max_length=14, choices=ConsentGiver.choices, default=ConsentGiver.PARENT_CARER
    )
    method = models.CharField(max_length=10, choices=ConsentMethod.choices, blank=True)
    parent_carer_name = models.CharField("parent or carer's name", max_length=150, blank=True)
    recorded_by = optional_user()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["pupil", "-recorded_at", "-pk"]
        get_latest_by = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ConsentStatus.values), name="consent_record_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil_id}: {self.status} ({self.recorded_at:%Y-%m-%d})"
