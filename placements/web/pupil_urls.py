from django.urls import path

from placements.selffound.web import views as found
from placements.web import pupil_views as views

app_name = "pupil"
urlpatterns = [
    path("", views.home, name="home"),
    path("opportunities/", views.search, name="search"),
    path("opportunities/<int:pk>/", views.opportunity, name="opportunity"),
    path("opportunities/<int:pk>/apply/", views.apply, name="apply"),
    path("choices/", views.choices, name="choices"),
    path("found/", found.propose, name="found"),
    path("found/<int:pk>/withdraw/", found.withdraw, name="found_withdraw"),
    path("choices/<int:pk>/up/", views.move, {"direction": "up"}, name="move_up"),
    path("choices/<int:pk>/down/", views.move, {"direction": "down"}, name="move_down"),
    path("choices/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("placements/<int:pk>/accept/", views.accept, name="accept"),
    path("placements/<int:pk>/decline/", views.decline, name="decline"),
    path("placements/<int:pk>/reflection/", views.reflection, name="reflection"),
]
