from __future__ import annotations

import hashlib
from typing import Any

import pgtrigger
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from mobility.accounts.tokens import SingleUseToken
from mobility.audit.tracking import audited


class Role(models.TextChoices):
    PUPIL = "pupil"
    EMPLOYER = "employer", "Employer member"
    SCHOOL_STAFF = "school_staff", "School staff (careers leader)"
    ADVISER = "adviser", "Careers adviser"
    YOUTH_WORKER = "youth_worker", "Youth worker (young people not in school)"
    REGION_LEAD = "region_lead", "Region lead (reporting)"
    ADMIN = "admin", "Platform admin"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(role=Role.ADMIN, is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


# Password hashes and sign-in times stay out of the audit trail.
@audited(exclude=["password", "last_login"])
class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]  # django-otp's devices
    """One login, one role. Role-specific details live on the role's own profile row."""

    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can log in to the admin site.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name"]

    class Meta:
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(
                condition=models.Q(is_staff=False) | models.Q(role=Role.ADMIN),
                name="user_only_admins_are_staff",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name


class Invitation(SingleUseToken):
    """A single-use way in for a new account: a link by email, or a code on a printed class sheet.

    Only hashes of the link's token and of the code are stored; the plain values exist once, in the
    email or on the sheet.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    code_hash = models.CharField(max_length=64, blank=True)
    sent_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "used_at", "revoked_at"], name="invitation_outstanding")]

    def __str__(self) -> str:
        return f"Invitation for user {self.user_id}"


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):  # type: ignore[misc]
    """A second factor for when the phone is lost: single-use recovery codes, stored as digests.

    django-otp verifies it like any other device (``verify_token``), so a session verified with a
    recovery code is verified in the same way as one verified with the authenticator app.
    """

    class Meta(Device.Meta):  # type: ignore[misc]  # django-otp ships no type information
        verbose_name = "recovery codes"
        verbose_name_plural = "recovery codes"

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1))

    def verify_token(self, token: str) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        used, _ = self.codes.filter(code_hash=recovery_code_digest(token)).delete()
        if used:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment()
        return bool(used)


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["device", "code_hash"], name="recovery_code_lookup")]

    def __str__(self) -> str:
        return f"Recovery code of device {self.device_id}"


def recovery_code_digest(code: str) -> str:
    """Case, spaces and dashes do not matter: the code is copied from paper."""
    plain = "".join(ch for ch in str(code).upper() if ch.isalnum())
    return hashlib.sha256(plain.encode()).hexdigest()


class SecondFactorChange(models.Model):
    """Who set up, renewed or removed someone's second factor, and when. Append-only (a database
    trigger refuses edits and deletes); users are held by id so a row outlives the account."""

    class Action(models.TextChoices):
        ENROLLED = "enrolled", "Set up an authenticator app"
        RECOVERY_CODES = "recovery_codes", "Made new recovery codes"
        REMOVED = "removed", "Removed two-factor sign-in"

    user_id = models.BigIntegerField(db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    by_user_id = models.BigIntegerField(null=True)
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: user {self.user_id} by user {self.by_user_id}"
