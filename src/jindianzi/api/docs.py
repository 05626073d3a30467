"""Interactive API docs that work on an intranet cut off from the internet.

Ninja renders its Swagger page from a CDN unless ``ninja`` is an installed
app; we do not depend on that setting. The page below always loads the
swagger-ui files that ship inside the installed ninja package, served by
:func:`docs_asset` under the API's own URL.
"""

from pathlib import Path

import ninja
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.static import serve
from ninja.openapi.docs import Swagger

ASSET_DIR = Path(ninja.__file__).parent / "static" / "ninja"
# Template name -> file name, for the only files this page may load.
ASSETS = {"css": "swagger-ui.css", "bundle": "swagger-ui-bundle.js", "init": "swagger-ui-init.js",
          "favicon_svg": "favicon.svg", "favicon_png": "favicon.png"}
CACHE_SECONDS = 24 * 3600


class OfflineSwagger(Swagger):
    # swagger-ui's default validator badge fetches validator.swagger.io; off.
    default_settings = {**Swagger.default_settings, "validatorUrl": None}

    def render_page(self, request, api, **kwargs):
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, "api/docs.html", {
            "api": api,
            "swagger_settings": settings,
            "asset": {key: reverse(f"{api.urls_namespace}:docs_asset", args=[name]) + f"?v={ninja.__version__}"
                      for key, name in ASSETS.items()},
        })


def docs_asset(request, name: str):
    """One of the swagger-ui files, cacheable; the version in the URL changes when ninja is upgraded."""
    if name not in ASSETS.values():
        raise Http404
    response = serve(request, name, document_root=ASSET_DIR)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
