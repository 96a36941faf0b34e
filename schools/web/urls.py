from django.urls import path

from schools.web import account_views, views

# Mounted under /school/ with placements.web.school_urls (see mobility.web_urls).
urlpatterns = [
    path("pupils/<int:pk>/consent/", views.consent, name="consent"),
    path("pupils/<int:pk>/access-needs/", views.access_needs, name="access_needs"),
    path("pupils/add/", views.pupil_add, name="pupil_add"),
    path("pupils/import/", views.import_upload, name="import"),
    path("pupils/import/confirm/", views.import_confirm, name="import_confirm"),
    path("windows/", views.windows, name="windows"),
    path("accounts/", account_views.accounts, name="accounts"),
    path("accounts/resend/", account_views.resend, name="resend"),
    path("accounts/activation-sheet/", account_views.activation_sheet, name="activation_sheet"),
    path("accounts/invite/", account_views.invite_colleague, name="invite_colleague"),
]

# Mounted under /pupil/ with placements.web.pupil_urls (see mobility.web_urls).
pupil_urlpatterns = [
    path("access-needs/", views.my_access_needs, name="access_needs"),
]
