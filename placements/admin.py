from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from mobility.accounts.models import User
from mobility.errors import DomainError
from mobility.readonly_admin import ReadOnlyAdmin
from placements.lifecycle import services as lifecycle
from placements.lifecycle.transitions import CancelReason
from placements.privacy.admin import register as register_pupil_erasure

from .models import (
    Application,
    Match,
    MatchRun,
    MatchStatusChange,
    UnplacedPupil,
)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin[Application]):
    list_display = ["pupil", "opportunity", "rank", "status", "created_at"]
    list_filter = ["status", "opportunity__sector", "pupil__school"]
    search_fields = ["pupil__user__email", "pupil__user__last_name", "opportunity__title"]
    raw_id_fields = ["pupil", "opportunity"]
    list_select_related = ["pupil__user", "opportunity__employer"]


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin[MatchRun]):
    list_display = [
        "id",
        "region",
        "policy",
        "status",
        "stage",
        "progress",
        "seed",
        "created_at",
        "finished_at",
    ]
    list_filter = ["policy", "status", "region"]
    search_fields = ["input_hash", "result_hash"]
    readonly_fields = [
        "created_at",
        "started_at",
        "finished_at",
        "input_hash",
        "result_hash",
        "timings",
        "statistics",
    ]


class MatchStatusChangeInline(admin.TabularInline[MatchStatusChange, Match]):
    model = MatchStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "changed_by", "changed_at", "reason", "note"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Match | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the base classes disagree on obj's type: a match or its change row


def _lifecycle_action(
    modeladmin: admin.ModelAdmin[Match], request: HttpRequest, queryset: QuerySet[Match], event: str
) -> None:
    """Run one lifecycle service per match, each in its own transaction, and report each outcome."""
    actor = request.user
    assert isinstance(actor, User)
    calls: dict[str, Callable[[int], Match]] = {
        "approve": lambda pk: lifecycle.match_approve(match_id=pk, actor=actor, note="Approved in the admin"),
        "offer": lambda pk: lifecycle.match_offer(match_id=pk, actor=actor),
        "cancel": lambda pk: lifecycle.match_cancel(
            match_id=pk, actor=actor, reason=CancelReason.OTHER, note="Cancelled in the admin"
        ),
    }
    done = 0
    for match in queryset.select_related("pupil__user"):
        try:
            calls[event](match.pk)
            done += 1
        except (DomainError, ValidationError, PermissionDenied) as error:
            text = getattr(error, "message", None) or " ".join(getattr(error, "messages", [str(error)]))
            modeladmin.message_user(request, f"{match}: {text}", level=messages.ERROR)
    if done:
        modeladmin.message_user(request, f"{done} match(es): {event} done.", level=messages.SUCCESS)


@admin.action(description="Approve (through the lifecycle)")
def approve_matches(
    modeladmin: admin.ModelAdmin[Match], request: HttpRequest, queryset: QuerySet[Match]
) -> None:
    _lifecycle_action(modeladmin, request, queryset, "approve")


@admin.action(description="Offer (through the lifecycle)")
def offer_matches(
    modeladmin: admin.ModelAdmin[Match], request: HttpRequest, queryset: QuerySet[Match]
) -> None:
    _lifecycle_action(modeladmin, request, queryset, "offer")


@admin.action(description="Cancel (through the lifecycle)")
def cancel_matches(
    modeladmin: admin.ModelAdmin[Match], request: HttpRequest, queryset: QuerySet[Match]
) -> None:
    _lifecycle_action(modeladmin, request, queryset, "cancel")


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin[Match]):
    """Matches change only through the lifecycle services: every field is read-only here and
    the actions call those services, so seats and the status history stay right."""

    list_display = [
        "pupil",
        "opportunity",
        "run",
        "status",
        "rank",
        "is_suggestion",
        "travel_minutes",
        "priority_tier",
    ]
    list_filter = ["status", "is_suggestion", "priority_tier", "run", "opportunity__sector"]
    search_fields = ["pupil__user__email", "pupil__user__last_name", "opportunity__title"]
    list_select_related = ["pupil__user", "opportunity__employer", "run"]
    actions = [approve_matches, offer_matches, cancel_matches]
    inlines = [MatchStatusChangeInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Match | None = None) -> list[str]:
        return [field.name for field in Match._meta.concrete_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # matches come from runs and refills

    def has_delete_permission(self, request: HttpRequest, obj: Match | None = None) -> bool:
        return False


@admin.register(MatchStatusChange)
class MatchStatusChangeAdmin(ReadOnlyAdmin):
    """The audit trail: read-only."""

    list_display = ["match", "from_status", "to_status", "changed_by", "changed_at", "reason"]
    list_filter = ["to_status", "reason"]
    search_fields = ["match__pupil__user__email", "note"]
    list_select_related = ["match__pupil__user", "match__opportunity__employer", "changed_by"]


@admin.register(UnplacedPupil)
class UnplacedPupilAdmin(admin.ModelAdmin[UnplacedPupil]):
    list_display = ["pupil", "run", "priority_tier", "reason"]
    list_filter = ["reason", "priority_tier", "run"]
    search_fields = ["pupil__user__email", "pupil__user__last_name"]
    raw_id_fields = ["pupil", "run"]
    list_select_related = ["pupil__user", "run"]


# Pupils' admin page, with the erase action (placements.privacy owns erasure).
register_pupil_erasure()
