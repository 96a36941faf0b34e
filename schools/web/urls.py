from django.urls import path

from schools.web import views

app_name = "school"
urlpatterns = [
    path("", views.home, name="home"),
    path("pupils/", views.pupils, name="pupils"),
    path("pupils/<int:pk>/consent/", views.consent, name="consent"),
    path("pupils/import/", views.import_upload, name="import"),
    path("pupils/import/confirm/", views.import_confirm, name="import_confirm"),
    path("windows/", views.windows, name="windows"),
    path("benchmark/", views.benchmark, name="benchmark"),
]
