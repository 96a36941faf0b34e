from django.urls import path

from placements.web import pupil_record_views as views

app_name = "school_pupil"
urlpatterns = [
    path("", views.pupil_detail, name="detail"),
    path("record/", views.pupil_record_page, name="record"),
    path("record.json", views.pupil_record_download, name="record_json"),
]
