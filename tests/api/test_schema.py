"""The OpenAPI schema and the interactive docs, which must work on an intranet without internet."""

import json
import re

from django.urls import reverse

EXPECTED_OPERATIONS = {
    ("get", "/api/v1/editions"), ("get", "/api/v1/editions/{slug}"),
    ("get", "/api/v1/areas"), ("get", "/api/v1/organizations"),
    ("get", "/api/v1/ideas"), ("post", "/api/v1/ideas"),
    ("get", "/api/v1/ideas/{code}"), ("post", "/api/v1/ideas/{code}/withdraw"),
}


def _schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_schema_lists_every_route(api_client, db):
    schema = _schema(api_client)
    operations = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert operations == EXPECTED_OPERATIONS
    assert {op["operationId"] for item in schema["paths"].values() for op in item.values()} >= {
        "list_ideas", "submit_idea", "get_idea", "withdraw_idea"}


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

