"""Server-rendered pages for pupils, employers, school staff and advisers.

One list a namespace, whichever app a page's view comes from: the employer's, school staff's
and pupil's pages are partly their own app's records and partly placements' pages about matches.
"""

from django.urls import URLPattern, URLResolver, include, path, re_path

from employers.web import colleagues, registrations, sign_up, verification
from employers.web import views as employer_records
from mobility.accounts import activation, passwords, twofactor_pages
from mobility.accounts import web as accounts
from mobility.privacy_notice import privacy_notice
from placements.selffound.web import views as self_found
from placements.web import (
    adviser_views,
    change_views,
    employer_views,
    open_data_views,
    pupil_record_views,
    pupil_views,
    region_views,
    school_views,
    youth_views,
)
from schools.web import account_views
from schools.web import views as school_records
from schools.web import youth_views as youth_records

Patterns = list[URLPattern | URLResolver]

pupil: Patterns = [
    path("", pupil_views.home, name="home"),
    path("opportunities/", pupil_views.search, name="search"),
    path("opportunities/<int:pk>/", pupil_views.opportunity, name="opportunity"),
    path("opportunities/<int:pk>/apply/", pupil_views.apply, name="apply"),
    path("choices/", pupil_views.choices, name="choices"),
    path("found/", self_found.propose, name="found"),
    path("found/<int:pk>/withdraw/", self_found.withdraw, name="found_withdraw"),
    path("choices/<int:pk>/up/", pupil_views.move, {"direction": "up"}, name="move_up"),
    path("choices/<int:pk>/down/", pupil_views.move, {"direction": "down"}, name="move_down"),
    path("choices/<int:pk>/withdraw/", pupil_views.withdraw, name="withdraw"),
    path("placements/<int:pk>/accept/", pupil_views.accept, name="accept"),
    path("placements/<int:pk>/decline/", pupil_views.decline, name="decline"),
    path("placements/<int:pk>/reflection/", pupil_views.reflection, name="reflection"),
    path("access-needs/", school_records.my_access_needs, name="access_needs"),
]

adviser: Patterns = [
    path("", adviser_views.home, name="home"),
    path("runs/new/", adviser_views.run_new, name="run_new"),
    path("runs/<int:pk>/", adviser_views.run_detail, name="run"),
    path("runs/<int:pk>/progress/", adviser_views.run_progress, name="run_progress"),
    path("runs/<int:pk>/bulk/", adviser_views.bulk, name="bulk"),
    path("matches/<int:pk>/approve/", adviser_views.match_action, {"action": "approve"}, name="approve"),
    path("matches/<int:pk>/offer/", adviser_views.match_action, {"action": "offer"}, name="offer"),
    path("matches/<int:pk>/reject/", adviser_views.match_reject, name="reject"),
    path("compare/", adviser_views.compare, name="compare"),
    path("unmet-demand/", adviser_views.unmet, name="unmet"),
    path("compliance/", verification.awaiting, name="compliance"),
    path("compliance/<int:pk>/verify/", verification.verify, name="compliance_verify"),
    path("employers/", registrations.queue, name="employers"),
    path("employers/<int:pk>/", registrations.detail, name="employer"),
    path(
        "employers/<int:pk>/verify/", registrations.decide, {"decision": "verified"}, name="employer_verify"
    ),
    path("employers/<int:pk>/refuse/", registrations.decide, {"decision": "refused"}, name="employer_refuse"),
]

employer: Patterns = [
    path("organisation/", employer_records.organisation, name="organisation"),
    path("sites/", employer_records.sites, name="sites"),
    path("sites/new/", employer_records.site_edit, name="site_new"),
    path("sites/<int:pk>/", employer_records.site_edit, name="site_edit"),
    path("compliance/", employer_records.compliance, name="compliance"),
    path("colleagues/", colleagues.colleagues, name="colleagues"),
    path("colleagues/invite/", colleagues.colleague_invite, name="colleague_invite"),
    path("colleagues/<int:pk>/remove/", colleagues.colleague_remove, name="colleague_remove"),
    path("opportunities/", employer_records.opportunities, name="opportunities"),
    path("opportunities/new/", employer_records.opportunity_edit, name="opportunity_new"),
    path("opportunities/<int:pk>/", employer_records.opportunity_edit, name="opportunity_edit"),
    path("", employer_views.home, name="home"),
    path("pupils/", employer_views.pupils, name="pupils"),
    path("pupils/<int:pk>/", employer_views.match_detail, name="match"),
    path("pupils/<int:pk>/confirm/", employer_views.match_confirm, name="match_confirm"),
    path("pupils/<int:pk>/decline/", employer_views.match_decline, name="match_decline"),
    path("pupils/<int:pk>/feedback/", employer_views.match_feedback, name="match_feedback"),
]

school: Patterns = [
    path("pupils/<int:pk>/consent/", school_records.consent, name="consent"),
    path("pupils/<int:pk>/access-needs/", school_records.access_needs, name="access_needs"),
    path("pupils/add/", school_records.pupil_add, name="pupil_add"),
    path("pupils/import/", school_records.import_upload, name="import"),
    path("pupils/import/confirm/", school_records.import_confirm, name="import_confirm"),
    path("windows/", school_records.windows, name="windows"),
    path("accounts/", account_views.accounts, name="accounts"),
    path("accounts/resend/", account_views.resend, name="resend"),
    path("accounts/activation-sheet/", account_views.activation_sheet, name="activation_sheet"),
    path("accounts/invite/", account_views.invite_colleague, name="invite_colleague"),
    path("", school_views.home, name="home"),
    path("pupils/", school_views.pupils, name="pupils"),
    path("benchmark/", school_views.benchmark, name="benchmark"),
    path("found/", self_found.awaiting, name="found_awaiting"),
    path("found/<int:pk>/", self_found.vet, name="found"),
    path("pupils/<int:pk>/", pupil_record_views.pupil_detail, name="pupil"),
    path("pupils/<int:pk>/record/", pupil_record_views.pupil_record_page, name="pupil_record"),
    path("pupils/<int:pk>/record.json", pupil_record_views.pupil_record_download, name="pupil_record_json"),
]

youth: Patterns = [
    path("register/", youth_records.register, name="register"),
    path("people/<int:pk>/edit/", youth_records.edit, name="edit"),
    path("people/<int:pk>/dates/", youth_records.window, name="window"),
    path("people/<int:pk>/consent/", youth_records.consent, name="consent"),
    path("", youth_views.home, name="home"),
    path("people/<int:pk>/", youth_views.person, name="person"),
    path("people/<int:pk>/record/", youth_views.person_record, name="person_record"),
    path("people/<int:pk>/record.json", youth_views.person_record_download, name="person_record_json"),
    path("found/", self_found.awaiting, name="found_awaiting"),
    path("found/<int:pk>/", self_found.vet, name="found"),
]

changes: Patterns = [
    path("", change_views.pending, name="pending"),
    path("<int:pk>/", change_views.decide, name="decide"),
    path("opportunity/<int:pk>/", change_views.request_change, name="request"),
]

region: Patterns = [
    path("", region_views.home, name="home"),
    path("<int:pk>/", region_views.report, name="report"),
    path("<int:pk>/<str:year>/<slug:table>.csv", region_views.table_csv, name="csv"),
]

open_data: Patterns = [
    path("", open_data_views.index, name="index"),
    re_path(r"^(?P<year>\d{4}-\d{2})\.(?P<fmt>csv|json)$", open_data_views.download, name="download"),
]

urlpatterns: Patterns = [
    path("", accounts.home_view, name="home"),
    path("privacy/", privacy_notice, name="privacy"),
    path("accounts/login/", accounts.login_view, name="login"),
    path("accounts/logout/", accounts.logout_view, name="logout"),
    path("accounts/invitation/<str:token>/", activation.invitation_view, name="invitation"),
    path("accounts/activate/", activation.activate_view, name="activate"),
    path("accounts/activate/password/", activation.activate_password_view, name="activate_password"),
    path("register/", sign_up.sign_up_view, name="sign_up"),
    path("register/sent/", sign_up.sign_up_sent_view, name="sign_up_sent"),
    *passwords.urlpatterns,
    path("placement-details/<str:token>/", self_found.employer_details, name="self_found_employer"),
    *twofactor_pages.urlpatterns,
    path("pupil/", include((pupil, "pupil"))),
    path("adviser/", include((adviser, "adviser"))),
    path("employer/", include((employer, "employer"))),
    path("school/", include((school, "school"))),
    path("youth/", include((youth, "youth"))),
    path("changes/", include((changes, "changes"))),
    path("region/", include((region, "region"))),
    path("open-data/", include((open_data, "open_data"))),
]
