from django.urls import path

from .views import documents, framework, staff

app_name = "agreements"
urlpatterns = [
    path("staff/agreements/", staff.agreement_list, name="list"),
    path("staff/agreements/framework/<slug:slug>/", framework.framework, name="framework"),
    path("staff/agreements/new/<slug:code>/", staff.agreement_create, name="create"),
    path("staff/agreements/<slug:code>/", staff.agreement_detail, name="detail"),
    path("staff/agreements/<slug:code>/sign/", staff.sign, name="sign"),
    path("staff/agreements/<slug:code>/cancel/", staff.cancel, name="cancel"),
    path("staff/agreements/<slug:code>/milestones/<int:pk>/", staff.milestone, name="milestone"),
    path("staff/agreements/<slug:code>/agreement.pdf", documents.agreement_pdf, name="pdf"),
]
