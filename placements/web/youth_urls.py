from django.urls import path

from placements.web import youth_views as views

# Mounted under /youth/ with schools.web.youth_urls (see mobility.web_urls).
urlpatterns = [
    path("", views.home, name="home"),
    path("people/<int:pk>/", views.person, name="person"),
]
