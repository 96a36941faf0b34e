from django.apps import AppConfig


class GeographyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mobility.geography"
    label = "geography"
    verbose_name = "Geography"
