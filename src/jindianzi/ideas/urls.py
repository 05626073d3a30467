from django.urls import path

from .views import importing, paper, submit

app_name = "ideas"
urlpatterns = [
    path("ideas/new/", submit.submit, name="submit"),
    path("me/ideas/", submit.mine, name="mine"),
    path("ideas/<str:code>/withdraw/", submit.withdraw, name="withdraw"),
    path("staff/ideas/paper/", paper.record, name="paper"),
    path("staff/ideas/import/", importing.upload, name="import"),
    path("staff/ideas/import/template.xlsx", importing.template, name="import_template"),
    path("staff/ideas/import/<int:pk>/", importing.review, name="import_review"),
]
