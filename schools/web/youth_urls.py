from django.urls import path

from schools.web import youth_views as views

# Mounted under /youth/ with placements.web.youth_urls (see mobility.web_urls).
urlpatterns = [
    path("register/", views.register, name="register"),
    path("people/<int:pk>/edit/", views.edit, name="edit"),
    path("people/<int:pk>/dates/", views.window, name="window"),
    path("people/<int:pk>/consent/", views.consent, name="consent"),
]
