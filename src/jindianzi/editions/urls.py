from django.urls import path

from . import views

app_name = "editions"
urlpatterns = [
    path("", views.edition_list, name="list"),
    path("new/", views.edition_new, name="new"),
    path("<slug:slug>/", views.edition_manage, name="manage"),
    path("<slug:slug>/categories/", views.edition_categories, name="categories"),
    path("<slug:slug>/funding/", views.edition_funding, name="funding"),
    path("<slug:slug>/phases/", views.edition_phases, name="phases"),
    path("<slug:slug>/advance/", views.edition_advance, name="advance"),
]
