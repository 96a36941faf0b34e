"""Server-rendered pages for pupils, employers, school staff and advisers."""

from django.urls import URLPattern, URLResolver, include, path

from mobility.accounts import web as accounts
from mobility.privacy_notice import privacy_notice

urlpatterns: list[URLPattern | URLResolver] = [
    path("", accounts.home_view, name="home"),
    path("privacy/", privacy_notice, name="privacy"),
    path("accounts/login/", accounts.login_view, name="login"),
    path("accounts/logout/", accounts.logout_view, name="logout"),
    path("pupil/", include("placements.web.pupil_urls")),
    path("adviser/", include("placements.web.adviser_urls")),
    path("employer/", include("employers.web.urls")),
    path("school/", include("schools.web.urls")),
    path("school/pupils/<int:pk>/", include("placements.web.pupil_record_urls")),
]
