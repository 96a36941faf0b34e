from django.apps import AppConfig


class TransitConfig(AppConfig):
    name = "mobility.transit"
    label = "transit"
    verbose_name = "Public transport timetables"
