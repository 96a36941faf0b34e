from django.contrib import admin
from django.http import HttpRequest

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    list_display = ["dedup_key", "task_name", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = ["task_name"]
    search_fields = ["dedup_key"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # rows are written with the change they belong to, never by hand
