from django.urls import path

from .views import matching, offers, public, staff, workspace

app_name = "projects"
urlpatterns = [
    path("projects/<slug:code>/", public.detail, name="detail"),
    path("staff/projects/", staff.project_list, name="list"),
    path("staff/projects/merge/", staff.merge, name="merge"),
    path("staff/projects/<slug:code>/", workspace.manage, name="manage"),
    path("staff/projects/<slug:code>/plan/", workspace.plan, name="plan"),
    path("staff/projects/<slug:code>/ideas/add/", workspace.add_idea, name="add_idea"),
    path("staff/projects/<slug:code>/ideas/<str:idea_code>/remove/", workspace.remove_idea, name="remove_idea"),
    path("staff/projects/<slug:code>/submit/", workspace.submit, name="submit"),
    path("staff/projects/<slug:code>/match/", matching.match, name="match"),
    path("staff/projects/<slug:code>/offers/<int:pk>/withdraw/", matching.withdraw, name="withdraw_offer"),
    path("org/offers/", offers.offer_list, name="offers"),
    path("org/offers/<int:pk>/", offers.offer_detail, name="offer"),
]
