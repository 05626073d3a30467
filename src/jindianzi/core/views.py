from django.conf import settings
from django.db import connection
from django.http import Http404, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.static import serve


@never_cache
def healthz(request):
    """Liveness and database reachability, for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable", "detail": str(exc)}, status=503)
    return JsonResponse({"status": "ok", "database": "reachable", "vendor": connection.vendor})


# Uploads that are not public: each has its own view that checks who asks (receipts: ``funds:receipt``).
PRIVATE_MEDIA = ("receipts/",)


def media(request, path):
    """Uploaded idea photos, public like the ideas they belong to; never the private folders.

    Production may serve the public part of this folder from the web server or object storage instead,
    and must keep the private folders out of it too.
    """
    if path.startswith(PRIVATE_MEDIA):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
