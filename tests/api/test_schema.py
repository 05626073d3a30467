"""The OpenAPI schema and the interactive docs, which must work on an intranet without internet."""

import json
import re

from django.urls import reverse

from django.urls import URLPattern, URLResolver, get_resolver

# Routes that serve the documentation itself rather than data.
NOT_OPERATIONS = {"openapi-json", "openapi-view", "docs_asset", "api-root"}


def _api_route_names() -> set[str]:
    api = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api")
    return {p.name for p in api.url_patterns if isinstance(p, URLPattern) and p.name} - NOT_OPERATIONS


def _schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_schema_lists_every_route(api_client, db):
    schema = _schema(api_client)
    operations = {op["operationId"]: (method, path)
                  for path, item in schema["paths"].items() for method, op in item.items()}
    # Ninja names each route after its operation: every data route is documented, and only those.
    assert set(operations) == _api_route_names()
    assert operations["submit_idea"] == ("post", "/api/v1/ideas")
    assert operations["get_idea"] == ("get", "/api/v1/ideas/{code}")


def test_schema_documents_the_contract_of_writes(api_client, db):
    schema = _schema(api_client)
    submit = schema["paths"]["/api/v1/ideas"]["post"]
    assert set(submit["responses"]) >= {"201", "401", "403", "422"}
    assert submit["security"] == [{"PhoneOrEmailBasicAuth": []}, {"SessionAuth": []}]
    assert "security" not in schema["paths"]["/api/v1/ideas"]["get"]  # reads are public
    assert set(schema["components"]["schemas"]["ValidationErrorOut"]["required"]) == {"detail", "errors"}


def test_money_is_a_string_never_a_float(api_client, db):
    schemas = _schema(api_client)["components"]["schemas"]
    budget_in = schemas["IdeaIn"]["properties"]["estimated_budget"]
    assert budget_in["type"] == "string" and re.fullmatch(budget_in["pattern"], "12000.50")
    assert schemas["IdeaOut"]["properties"]["estimated_budget"]["type"] == "string"
    assert '"type": "number"' not in json.dumps(_schema(api_client))  # nothing in the API is a float


def test_docs_page_loads_nothing_from_outside_the_site(api_client, db):
    response = api_client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.findall(r"https?://", html), "the docs page must not reference a CDN or any other site"
    assert '"validatorUrl": null' in html  # swagger-ui would otherwise call validator.swagger.io
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.split("?")[0].endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert asset.startswith("/api/v1/"), asset
        loaded = api_client.get(asset)
        assert loaded.status_code == 200, asset
        assert b"".join(loaded.streaming_content)


def test_docs_serves_only_its_own_assets(api_client, db):
    assert api_client.get(reverse("api:docs_asset", args=["redoc.standalone.js"])).status_code == 404
    assert api_client.get("/api/v1/docs/assets/..%2F__init__.py").status_code == 404

