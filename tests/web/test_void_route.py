"""/.well-known/void: the release's VoID, Turtle as built, other syntaxes by Accept."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.web.conftest import AppClient, serve
from tests.web.release_fixture import VOID, make_release

DATASET = "https://w3id.org/kompass-graph/id/release/x#dataset"


@pytest.fixture(scope="module")
def void(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppClient]:
    client = serve(release_folder=make_release(tmp_path_factory.mktemp("void") / "r"))
    yield client
    client.close()


@pytest.mark.parametrize("accept", [None, "*/*", "text/turtle", "text/html,*/*;q=0.8"])
def test_turtle_is_the_file_byte_for_byte(void: AppClient, accept: str | None) -> None:
    response = void.get("/.well-known/void", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    assert response.content == VOID == void.get("/download/void.ttl").content
    assert response.headers["vary"].split(", ")[0] == "Accept"
    assert response.headers["link"] == '</download/void.ttl>; rel="alternate"; type="text/turtle"'


def test_ntriples_by_accept(void: AppClient) -> None:
    response = void.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    assert response.headers["content-type"] == "application/n-triples; charset=utf-8"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    assert response.text.splitlines() == [
        f"<{DATASET}> {rdf_type} <http://rdfs.org/ns/void#Dataset> .",
        f'<{DATASET}> <http://purl.org/dc/terms/title> "Kompass Graph"@de .',
        f'<{DATASET}> <http://rdfs.org/ns/void#triples> "40"^^{integer} .',
    ]


def test_jsonld_by_accept(void: AppClient) -> None:
    response = void.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"] == "application/ld+json"
    (node,) = json.loads(response.content)
    assert node["@id"] == DATASET
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert node[rdf_type] == [{"@id": "http://rdfs.org/ns/void#Dataset"}]
    assert node["http://rdfs.org/ns/void#triples"][0]["@value"] == "40"


def test_an_unoffered_format_is_a_406_problem(void: AppClient) -> None:
    response = void.get("/.well-known/void", headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert response.json()["available"] == [
        "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"
    ]  # fmt: skip


def test_the_served_release_has_the_void_of_the_data() -> None:
    client = serve(only_data=[])
    try:
        response = client.get("/.well-known/void")
        assert response.status_code == 200
        assert response.content == client.get("/download/void.ttl").content
        assert b"void:Dataset" in response.content and b"void:Linkset" in response.content
    finally:
        client.close()
