from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from jindianzi.api.urls import api
from jindianzi.core.views import healthz, media

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("jindianzi.accounts.urls")),
    path("editions/", include("jindianzi.editions.urls")),
    path("", include("jindianzi.ideas.urls")),
    path("", include("jindianzi.projects.urls")),
    path("", include("jindianzi.reviews.urls")),
    path("", include("jindianzi.agreements.urls")),
    path("", include("jindianzi.funds.urls")),
    path("", include("jindianzi.notifications.urls")),
    path("", include("jindianzi.portal.urls")),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media, name="media"),
]
