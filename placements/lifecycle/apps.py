from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "placements.lifecycle"
    label = "lifecycle"
    verbose_name = "Placement lifecycle"

    def ready(self) -> None:
        from . import consent  # noqa: F401  (connects the consent receiver)
