from django.urls import path

from employers.web import registrations, verification
from placements.web import adviser_views as views

app_name = "adviser"
urlpatterns = [
    path("", views.home, name="home"),
    path("runs/new/", views.run_new, name="run_new"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/bulk/", views.bulk, name="bulk"),
    path("matches/<int:pk>/approve/", views.match_action, {"action": "approve"}, name="approve"),
    path("matches/<int:pk>/offer/", views.match_action, {"action": "offer"}, name="offer"),
    path("matches/<int:pk>/reject/", views.match_reject, name="reject"),
    path("compare/", views.compare, name="compare"),
    path("unmet-demand/", views.unmet, name="unmet"),
    path("compliance/", verification.awaiting, name="compliance"),
    path("compliance/<int:pk>/verify/", verification.verify, name="compliance_verify"),
    path("employers/", registrations.queue, name="employers"),
    path("employers/<int:pk>/", registrations.detail, name="employer"),
    path(
        "employers/<int:pk>/verify/", registrations.decide, {"decision": "verified"}, name="employer_verify"
    ),
    path("employers/<int:pk>/refuse/", registrations.decide, {"decision": "refused"}, name="employer_refuse"),
]
