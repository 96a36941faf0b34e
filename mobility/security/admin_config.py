"""Django's admin app with the site that requires a second factor (``admin_site.VerifiedAdminSite``).

Kept apart from the site class: an app config is imported before models can be.
"""

from django.contrib.admin.apps import AdminConfig


class VerifiedAdminConfig(AdminConfig):
    default_site = "mobility.security.admin_site.VerifiedAdminSite"
