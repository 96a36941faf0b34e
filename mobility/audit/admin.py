from __future__ import annotations

from django.contrib import admin

from mobility.readonly_admin import ReadOnlyAdmin

from .models import PupilRecordView


@admin.register(PupilRecordView)
class PupilRecordViewAdmin(ReadOnlyAdmin):
    list_display = ["viewed_at", "pupil_id", "viewer_name", "viewer_role", "place"]
    list_filter = ["viewer_role", "place"]
    search_fields = ["viewer_name", "=pupil_id"]


class ChangeEventAdmin(ReadOnlyAdmin):
    list_display = ["pgh_created_at", "pgh_label", "pgh_obj_id", "pgh_context_id"]
    list_filter = ["pgh_label"]
    ordering = ["-pgh_created_at", "-pgh_id"]


def _register_change_events() -> None:
    """Every pghistory event table, wherever its app declared it, readable and never editable here."""
    import pghistory.models
    from django.apps import apps

    for model in apps.get_models():
        if issubclass(model, pghistory.models.Event) and not admin.site.is_registered(model):
            admin.site.register(model, ChangeEventAdmin)


_register_change_events()
