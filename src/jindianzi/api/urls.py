"""The JSON API under /api/v1/: routers per resource, docs that work offline.

Reads are public and answer only public fields; routes that change
something ask for a signed-in user (``auth.signed_in``) and call the same
services as the web pages, which decide who may do what.
"""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import errors
from .docs import OfflineSwagger, docs_asset
from .routes import agreements, areas, editions, funds, ideas, optimisation, organizations, projects, reviews


class UnicodeJSONRenderer(JSONRenderer):
    # Chinese text as UTF-8, not \\uXXXX escapes: a third of the size and readable in curl.
    json_dumps_params = {"ensure_ascii": False}


class JindianziAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation):
        # Short, stable names (list_ideas, submit_idea) for clients generated from the schema.
        return operation.view_func.__name__


api = JindianziAPI(
    title="Jindianzi API",
    version="1",
    description="Community golden-idea competitions (社区金点子提案大赛): public data and idea submission.",
    urls_namespace="api",
    docs=OfflineSwagger(),
    renderer=UnicodeJSONRenderer(),
)
errors.install(api)
api.add_router("/editions", editions.router)
api.add_router("/areas", areas.router)
api.add_router("/organizations", organizations.router)
api.add_router("", optimisation.router)
api.add_router("", projects.router)
api.add_router("/ideas", ideas.router)
api.add_router("/reviews", reviews.router)
api.add_router("", agreements.router)
api.add_router("", funds.router)
api.get("/docs/assets/{name}", include_in_schema=False, url_name="docs_asset")(docs_asset)
