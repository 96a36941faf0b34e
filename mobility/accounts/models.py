from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone

from mobility.accounts.tokens import SingleUseToken
from mobility.audit.tracking import audited


class Role(models.TextChoices):
    PUPIL = "pupil", "Pupil"
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
class User(AbstractBaseUser, PermissionsMixin):
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
