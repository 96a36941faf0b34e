from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for trying the service: the builder and ``manage.py load_demo``.

    Nothing in the kernel or the domain apps imports it.
    """

    name = "demo"
    verbose_name = "Demo data"
