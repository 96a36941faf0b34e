from django.urls import path

from placements.web import school_views as views

# Mounted under /school/ with schools.web.urls (see mobility.web_urls).
urlpatterns = [
    path("", views.home, name="home"),
    path("pupils/", views.pupils, name="pupils"),
    path("benchmark/", views.benchmark, name="benchmark"),
]
