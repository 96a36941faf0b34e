from django.contrib import admin
from django.http import HttpRequest

from .models import ChangeRequest


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin[ChangeRequest]):
    """Read-only: change requests are decided on the adviser's pages, which apply them."""

    list_display = ["opportunity", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["opportunity__title", "reason"]

    def get_readonly_fields(self, request: HttpRequest, obj: ChangeRequest | None = None) -> list[str]:
        return [field.name for field in ChangeRequest._meta.concrete_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ChangeRequest | None = None) -> bool:
        return False
