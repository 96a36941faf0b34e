"""Server-rendered pages for pupils, employers, school staff and advisers."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
