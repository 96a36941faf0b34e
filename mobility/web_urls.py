"""Server-rendered pages for pupils, employers, school staff and advisers."""

from django.urls import URLPattern, URLResolver, include, path

from employers.web import sign_up
from employers.web import urls as employer_urls
from mobility.accounts import activation, passwords, twofactor_pages
from mobility.accounts import web as accounts
from mobility.privacy_notice import privacy_notice
from placements.selffound.web import views as self_found
from placements.web import employer_urls as employer_placement_urls
from placements.web import pupil_urls as pupil_placement_urls
from placements.web import school_urls as school_placement_urls
from placements.web import youth_urls as youth_placement_urls
from schools.web import urls as school_urls
from schools.web import youth_urls

# The pupil's, employer's and school staff's pages come from two apps each: their own records, and
# placements' pages about matches. One namespace each, as before.
employer = [*employer_urls.urlpatterns, *employer_placement_urls.urlpatterns]
school = [*school_urls.urlpatterns, *school_placement_urls.urlpatterns]
pupil = [*pupil_placement_urls.urlpatterns, *school_urls.pupil_urlpatterns]
youth = [*youth_urls.urlpatterns, *youth_placement_urls.urlpatterns]

urlpatterns: list[URLPattern | URLResolver] = [
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
    path("adviser/", include("placements.web.adviser_urls")),
    path("employer/", include((employer, "employer"))),
    path("school/", include((school, "school"))),
    path("youth/", include((youth, "youth"))),
    path("changes/", include("placements.web.change_urls")),
    path("region/", include("placements.web.region_urls")),
    path("open-data/", include("placements.web.open_data_urls")),
]
