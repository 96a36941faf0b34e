from django.urls import path

from placements.web import pupil_record_views
from placements.web import school_views as views

# Mounted under /school/ with schools.web.urls (see mobility.web_urls).
urlpatterns = [
    path("", views.home, name="home"),
    path("pupils/", views.pupils, name="pupils"),
    path("benchmark/", views.benchmark, name="benchmark"),
    path("pupils/<int:pk>/", pupil_record_views.pupil_detail, name="pupil"),
    path("pupils/<int:pk>/record/", pupil_record_views.pupil_record_page, name="pupil_record"),
    path("pupils/<int:pk>/record.json", pupil_record_views.pupil_record_download, name="pupil_record_json"),
]
