from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("ideas/", views.idea_list, name="idea_list"),
    path("track/", views.track, name="track"),
    path("ideas/<str:code>/", views.idea_detail, name="idea_detail"),
]
