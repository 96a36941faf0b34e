from django.urls import path

from placements.web import employer_views as views

# Mounted under /employer/ with employers.web.urls (see mobility.web_urls).
urlpatterns = [
    path("", views.home, name="home"),
    path("pupils/", views.pupils, name="pupils"),
    path("pupils/<int:pk>/", views.match_detail, name="match"),
    path("pupils/<int:pk>/confirm/", views.match_confirm, name="match_confirm"),
    path("pupils/<int:pk>/decline/", views.match_decline, name="match_decline"),
    path("pupils/<int:pk>/feedback/", views.match_feedback, name="match_feedback"),
]
