from django.urls import path

from placements.web import change_views as views

app_name = "changes"
urlpatterns = [
    path("", views.pending, name="pending"),
    path("<int:pk>/", views.decide, name="decide"),
    path("opportunity/<int:pk>/", views.request_change, name="request"),
]
