from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "mobility.outbox"
    label = "outbox"
    verbose_name = "Outbox"
