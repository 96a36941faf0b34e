from django.urls import path

from employers.web import colleagues, views

# Mounted under /employer/ with placements.web.employer_urls (see mobility.web_urls).
urlpatterns = [
    path("organisation/", views.organisation, name="organisation"),
    path("sites/", views.sites, name="sites"),
    path("sites/new/", views.site_edit, name="site_new"),
    path("sites/<int:pk>/", views.site_edit, name="site_edit"),
    path("compliance/", views.compliance, name="compliance"),
    path("colleagues/", colleagues.colleagues, name="colleagues"),
    path("colleagues/invite/", colleagues.colleague_invite, name="colleague_invite"),
    path("colleagues/<int:pk>/remove/", colleagues.colleague_remove, name="colleague_remove"),
    path("opportunities/", views.opportunities, name="opportunities"),
    path("opportunities/new/", views.opportunity_edit, name="opportunity_new"),
    path("opportunities/<int:pk>/", views.opportunity_edit, name="opportunity_edit"),
]
