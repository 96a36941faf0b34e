from django.urls import path

from placements.selffound.web import views as found
from placements.web import pupil_record_views
from placements.web import school_views as views

# Mounted under /school/ with schools.web.urls (see mobility.web_urls).
urlpatterns = [
    path("", views.home, name="home"),
    path("pupils/", views.pupils, name="pupils"),
    path("benchmark/", views.benchmark, name="benchmark"),
    path("found/", found.awaiting, name="found_awaiting"),
    path("found/<int:pk>/", found.vet, name="found"),
    path("pupils/<int:pk>/", pupil_record_views.pupil_detail, name="pupil"),
    path("pupils/<int:pk>/record/", pupil_record_views.pupil_record_page, name="pupil_record"),
    path("pupils/<int:pk>/record.json", pupil_record_views.pupil_record_download, name="pupil_record_json"),
]
