from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("api/", include("mobility.api_urls")),
    path("", include("mobility.web_urls")),
]

handler400 = "mobility.security.error_views.bad_request"
handler403 = "mobility.security.error_views.permission_denied"
handler404 = "mobility.security.error_views.page_not_found"
handler500 = "mobility.security.error_views.server_error"
