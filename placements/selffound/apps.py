from django.apps import AppConfig


class SelfFoundConfig(AppConfig):
    name = "placements.selffound"
    label = "selffound"
    verbose_name = "Placements pupils find"
