"""The REST API: `/api/v1/` and its OpenAPI schema (`/api/schema/`, docs at `/api/docs/`)."""

from csp.decorators import csp_update
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from employers.api.views import ComplianceViewSet, EmployerViewSet, OpportunityViewSet, SiteViewSet
from mobility.api.account import MeView, TokenListView, TokenRevokeView, TokenView
from placements.api.applications import ApplicationViewSet
from placements.api.changes import ChangeRequestViewSet
from placements.api.matches import MatchViewSet
from placements.api.reach import ReachableOpportunitiesView
from placements.api.runs import MatchRunViewSet
from schools.api.views import PupilViewSet, SchoolViewSet, WindowViewSet


@csrf_exempt
def not_found(request: HttpRequest, *args: object, **kwargs: object) -> JsonResponse:
    """Anything under /api/ that matches no route answers in JSON, like the API itself."""
    return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)


router = SimpleRouter()
router.register("schools", SchoolViewSet, basename="school")
router.register("windows", WindowViewSet, basename="window")
router.register("pupils", PupilViewSet, basename="pupil")
router.register("employers", EmployerViewSet, basename="employer")
router.register("sites", SiteViewSet, basename="site")
router.register("opportunities", OpportunityViewSet, basename="opportunity")
router.register("compliance", ComplianceViewSet, basename="compliance")
router.register("applications", ApplicationViewSet, basename="application")
router.register("matches", MatchViewSet, basename="match")
router.register("runs", MatchRunViewSet, basename="run")
router.register("change-requests", ChangeRequestViewSet, basename="change-request")

v1: list[URLPattern | URLResolver] = [
    path("me/", MeView.as_view(), name="me"),
    path("auth/token/", TokenView.as_view(), name="token"),
    # Before the router, whose opportunities/<pk>/ would otherwise take it.
    path("opportunities/reachable/", ReachableOpportunitiesView.as_view(), name="opportunity-reachable"),
    path("auth/tokens/", TokenListView.as_view(), name="tokens"),
    path("auth/tokens/<str:token_key>/", TokenRevokeView.as_view(), name="token_revoke"),
    *router.urls,
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", include((v1, "api"), namespace="api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's set-up script as a file: no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # ReDoc styles itself with <style> elements and runs a worker from a blob; scripts stay strict.
    path(
        "redoc/",
        csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema")
        ),
        name="api-redoc",
    ),
    re_path(r"", not_found),
]
