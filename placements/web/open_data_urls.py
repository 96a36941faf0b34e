from django.urls import path, re_path

from placements.web import open_data_views as views

app_name = "open_data"
urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^(?P<year>\d{4}-\d{2})\.(?P<fmt>csv|json)$", views.download, name="download"),
]
