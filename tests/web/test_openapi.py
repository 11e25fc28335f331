"""/openapi.json and /docs: only our API, one path per stored query, schemas from the
shapes that the real answers validate against, and a docs page with no CDN."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.web.conftest import AppClient, serve


@pytest.fixture(scope="module")
def api() -> Iterator[AppClient]:
    client = serve(only_data=[])
    yield client
    client.close()


@pytest.fixture(scope="module")
def document(api: AppClient) -> dict[str, Any]:
    response = api.get("/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def validator(document: dict[str, Any], operation: dict[str, Any]) -> Draft202012Validator:
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    # the schema's $ref point into the document's components
    return Draft202012Validator({**schema, "components": document["components"]})


def test_only_our_api_is_documented(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    assert all(path.startswith("/api/") for path in document["paths"])
    assert {"/api/projects", "/api/projects/{id}", "/api/actors", "/api/actors/{id}",
            "/api/fundings", "/api/fundings/{id}", "/api/concepts",
            "/api/concepts/{scheme}/{id}", "/api/queries", "/api/context.jsonld",
            } <= set(document["paths"])  # fmt: skip
    assert "/api/queries/{name}" not in document["paths"]


def test_one_path_per_stored_query_with_typed_parameters(
    api: AppClient, document: dict[str, Any]
) -> None:
    names = [q["name"] for q in api.get("/api/queries").json()["items"]]
    query_paths = [p for p in document["paths"] if p.startswith("/api/queries/")]
    assert query_paths == [f"/api/queries/{name}" for name in names]
    operation = document["paths"]["/api/queries/04-state-contribution"]["get"]
    *declared, pin = operation["parameters"]
    assert [(p["name"], p["schema"]["format"], p["schema"]["default"])
            for p in declared] == [
        ("project", "iri-reference", "project:interkulturelle-oeffnung-der-verwaltung-als-chance"),
        ("funder", "iri-reference", "actor:hessische-landesregierung"),
    ]  # fmt: skip
    # every stored query takes the release pin last (web/api_queries.py)
    assert (pin["name"], pin["in"], pin["required"]) == ("release", "query", False)
    assert "409" in operation["responses"]
    assert set(operation["responses"]["200"]["content"]) == {
        "application/json", "text/csv",
        "application/sparql-results+json", "application/sparql-results+xml",
    }  # fmt: skip


def test_the_filters_are_documented_per_collection(document: dict[str, Any]) -> None:
    def names(path: str) -> list[str]:
        return [p["name"] for p in document["paths"][path]["get"]["parameters"]]

    assert names("/api/projects") == [
        "funder", "participant", "role", "year", "q", "limit", "offset",
    ]  # fmt: skip
    assert names("/api/actors") == ["type", "project", "role", "q", "limit", "offset"]
    assert names("/api/fundings") == ["funder", "project", "year", "limit", "offset"]
    assert names("/api/concepts") == ["scheme", "q", "limit", "offset"]
    funder = document["paths"]["/api/projects"]["get"]["parameters"][0]
    assert "prefixed name" in funder["description"]
    problem = document["paths"]["/api/projects"]["get"]["responses"]["422"]
    assert problem["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }


def test_the_schemas_come_from_the_shapes(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["Funding"]["required"] == ["@id", "@type", "funder", "fundedProject"]
    assert schemas["Funding"]["properties"]["share"]["maximum"] == 1
    assert schemas["Project"]["properties"]["prefLabel"]["required"] == ["de"]
    assert "HTTPValidationError" not in schemas


def test_every_example_request_works_and_its_answer_validates(
    api: AppClient, document: dict[str, Any]
) -> None:
    checked = 0
    for path, item in document["paths"].items():
        operation = item["get"]
        url = operation.get("x-example-url")
        assert url, f"{path} has no example"
        response = api.get(url)
        assert response.status_code == 200, (url, response.text)
        if path == "/api/context.jsonld":
            continue
        body = response.json()
        errors = [e.message for e in validator(document, operation).iter_errors(body)]
        assert errors == [], (url, errors[:3])
        checked += 1
    assert checked == len(document["paths"]) - 1 > 15


def test_a_broken_answer_fails_its_schema(api: AppClient, document: dict[str, Any]) -> None:
    operation = document["paths"]["/api/projects/{id}"]["get"]
    body = api.get("/api/projects/auslaenderbehoerden-willkommensbehoerden").json()
    check = validator(document, operation)
    assert list(check.iter_errors(body)) == []
    for broken in (
        {k: v for k, v in body.items() if k != "prefLabel"},
        {**body, "prefLabel": {"en": "no German label"}},
        {**body, "isFundedBy": {"@id": "not a list"}},
    ):
        assert list(check.iter_errors(broken)), broken


def test_the_docs_page_shows_every_operation_without_a_cdn(
    api: AppClient, document: dict[str, Any]
) -> None:
    response = api.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    for path in document["paths"]:
        assert f"GET {path}</code></h2>" in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(not s.startswith(("http:", "https:", "//")) for s in sources)
    assert "/api/projects?funder=bamf&amp;limit=2" in page
    assert "Ausländerbehörden \N{EN DASH} Willkommensbehörden" in page  # a real example response
    assert page.count('class="kg-example"') == len(document["paths"])
