from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    list_display = ["dedup_key", "task_name", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = ["task_name"]
    search_fields = ["dedup_key"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
