from django.urls import path

from .views import importing, paper, revisions, screening, similar, submit

app_name = "ideas"
urlpatterns = [
    path("ideas/new/", submit.submit, name="submit"),
    path("me/ideas/", submit.mine, name="mine"),
    path("ideas/<str:code>/withdraw/", submit.withdraw, name="withdraw"),
    path("staff/ideas/paper/", paper.record, name="paper"),
    path("staff/ideas/import/", importing.upload, name="import"),
    path("staff/ideas/import/template.xlsx", importing.template, name="import_template"),
    path("staff/ideas/import/<int:pk>/", importing.review, name="import_review"),
    # Optimisation (优化): screening, improvement with kept revisions, following.
    path("staff/screening/", screening.workbench, name="screening"),
    path("staff/ideas/<str:code>/", screening.staff_idea, name="staff_idea"),
    path("staff/ideas/<str:code>/decide/", screening.decide, name="staff_decide"),
    path("staff/ideas/<str:code>/notes/", screening.note_add, name="staff_note"),
    path("ideas/<str:code>/edit/", revisions.edit, name="edit"),
    path("ideas/<str:code>/revisions/", revisions.revisions, name="revisions"),
    path("ideas/<str:code>/follow/", revisions.follow, name="follow"),
    # Similar ideas (二次优化整合): the panel beside one idea, and the groups proposed for merging.
    path("staff/ideas/<str:code>/similar/", similar.panel, name="similar"),
    path("staff/similar/", similar.groups, name="similar_groups"),
]
