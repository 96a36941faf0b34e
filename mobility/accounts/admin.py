from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from mobility.readonly_admin import ReadOnlyAdmin

from .models import Invitation, SecondFactorChange, User
from .services import invitation_send, invitations_send
from .twofactor import second_factor_remove


# The stubs bound UserAdmin to AbstractUser; ours extends AbstractBaseUser with the same admin fields.
@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):  # type: ignore[type-var]
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    actions = ["send_invitation", "reset_second_factor"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "role")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "description": (
                    "Choose “Password-based authentication: Disabled” to email the person an "
                    "invitation to set their own password."
                ),
                "fields": ("email", "first_name", "role", "usable_password", "password1", "password2"),
            },
        ),
    )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change and not obj.has_usable_password():
            invitation_send(user=obj, sent_by=request.user, site_url=request.build_absolute_uri("/"))  # type: ignore[arg-type]
            self.message_user(request, f"An invitation to set a password was sent to {obj.email}.")

    @admin.action(description="Send an invitation to set a password (accounts not yet activated)")
    def send_invitation(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        waiting = [user for user in queryset if not user.has_usable_password()]
        invitations_send(users=waiting, sent_by=request.user, site_url=request.build_absolute_uri("/"))  # type: ignore[arg-type]
        skipped = len(queryset) - len(waiting)
        self.message_user(
            request,
            f"{len(waiting)} invitation(s) sent; {skipped} account(s) already have a password.",
            messages.SUCCESS,
        )

    @admin.action(description="Reset two-factor sign-in (a new authenticator app is set up at next sign-in)")
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        removed = sum(
            second_factor_remove(user=user, removed_by=request.user, reason="reset in the admin site")
            for user in queryset
        )
        self.message_user(
            request,
            f"Two-factor sign-in reset for {len(queryset)} account(s); {removed} app(s) removed.",
            messages.SUCCESS,
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["user", "created_at", "expires_at", "used_at", "revoked_at", "sent_by"]
    list_filter = ["used_at", "revoked_at"]
    search_fields = ["user__email"]
    readonly_fields = ["user", "token_hash", "code_hash", "sent_by", "created_at", "expires_at", "used_at"]
    fields = [*readonly_fields, "revoked_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SecondFactorChange)
class SecondFactorChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "user_id", "action", "by_user_id", "reason"]
    list_filter = ["action"]
    search_fields = ["user_id"]
