from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "placements.lifecycle"
    label = "lifecycle"
    verbose_name = "Placement lifecycle"
