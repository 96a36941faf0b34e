from django.urls import path

from placements.web import youth_views as views

# Mounted under /youth/ with schools.web.youth_urls (see mobility.web_urls).
urlpatterns = [
    path("", views.home, name="home"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/record/", views.person_record, name="person_record"),
    path("people/<int:pk>/record.json", views.person_record_download, name="person_record_json"),
]
