from django.urls import path

from placements.web import region_views as views

app_name = "region"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/<str:year>/<slug:table>.csv", views.table_csv, name="csv"),
]
