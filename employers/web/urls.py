from django.urls import path

from employers.web import views

app_name = "employer"
urlpatterns = [
    path("", views.home, name="home"),
    path("organisation/", views.organisation, name="organisation"),
    path("sites/", views.sites, name="sites"),
    path("sites/new/", views.site_edit, name="site_new"),
    path("sites/<int:pk>/", views.site_edit, name="site_edit"),
    path("compliance/", views.compliance, name="compliance"),
    path("opportunities/", views.opportunities, name="opportunities"),
    path("opportunities/new/", views.opportunity_edit, name="opportunity_new"),
    path("opportunities/<int:pk>/", views.opportunity_edit, name="opportunity_edit"),
    path("pupils/", views.pupils, name="pupils"),
    path("pupils/<int:pk>/", views.match_detail, name="match"),
    path("pupils/<int:pk>/confirm/", views.match_confirm, name="match_confirm"),
    path("pupils/<int:pk>/decline/", views.match_decline, name="match_decline"),
    path("pupils/<int:pk>/feedback/", views.match_feedback, name="match_feedback"),
]
