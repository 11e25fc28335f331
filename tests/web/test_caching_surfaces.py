"""ETag and 304 on every surface: pages, documents, ontology, landing page, REST, docs.

The middleware (web/caching.py) tags each 200 GET from the release and the request;
a client sending the tag back gets 304 with an empty body. Here every surface is
asked twice, as a cache in front of us would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .conftest import AppClient, serve

SURFACES = [
    ("/", "text/html"),
    ("/?lang=en", "text/html"),
    ("/id/project/auslaenderbehoerden-willkommensbehoerden", "text/html"),
    ("/id/project/auslaenderbehoerden-willkommensbehoerden", "text/turtle"),
    ("/id/actor/giessen.jsonld", "*/*"),
    ("/concept/role/participant", "application/n-triples"),
    ("/graph/source/modellprojekt-bamf-kommunen", "text/html"),
    ("/ontology", "text/html"),
    ("/ontology", "text/turtle"),
    ("/api/projects?limit=1", "application/json"),
    ("/api/actors/giessen", "application/json"),
    ("/api/queries/01-participating-municipalities", "text/csv"),
    ("/api/context.jsonld", "*/*"),
    ("/openapi.json", "application/json"),
    ("/docs", "text/html"),
    ("/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", "application/sparql-results+json"),
]


@pytest.fixture(scope="module")
def client() -> Iterator[AppClient]:
    app_client = serve(only_data=[])
    yield app_client
    app_client.close()


@pytest.mark.parametrize(("path", "accept"), SURFACES)
def test_each_surface_is_tagged_and_answers_304(client: AppClient, path: str, accept: str) -> None:
    first = client.get(path, headers={"Accept": accept})
    assert first.status_code == 200, first.text
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=300"
    again = client.get(path, headers={"Accept": accept, "If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag


def test_languages_and_formats_of_one_resource_have_different_tags(client: AppClient) -> None:
    path = "/id/actor/giessen"
    tags = {
        client.get(path, headers={"Accept": "text/html"}).headers["etag"],
        client.get(path, headers={"Accept": "text/html", "Accept-Language": "en"}).headers["etag"],
        client.get(path, headers={"Accept": "text/turtle"}).headers["etag"],
        client.get(path + "?lang=en", headers={"Accept": "text/html"}).headers["etag"],
    }
    assert len(tags) == 4


def test_a_missing_resource_is_never_tagged(client: AppClient) -> None:
    answer = client.get("/id/project/no-such-project")
    assert answer.status_code == 404
    assert "etag" not in answer.headers
