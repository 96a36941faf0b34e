from django.urls import path

from schools.web import views

# Mounted under /school/ with placements.web.school_urls (see mobility.web_urls).
urlpatterns = [
    path("pupils/<int:pk>/consent/", views.consent, name="consent"),
    path("pupils/import/", views.import_upload, name="import"),
    path("pupils/import/confirm/", views.import_confirm, name="import_confirm"),
    path("windows/", views.windows, name="windows"),
]
