"""The SPARQL clients people use, against our server as a process on 127.0.0.1.

SPARQLWrapper (the most used Python client) sends `format` twice, empty, or with values
of its own beside its Accept header; rdflib's SPARQLStore reads answers with rdflib's
parsers. Every format each offers, by every method, must come back as that format with
the right answer.
"""

from __future__ import annotations

import io
import json
import warnings
from collections.abc import Iterator

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from tests.web.test_server import Server, start_server

SPARQLWrapper = pytest.importorskip("SPARQLWrapper", reason="pip install -e '.[test]'")

EX = "http://example.org/"
SELECT = (
    f"SELECT ?name WHERE {{ <{EX}alice> <http://xmlns.com/foaf/0.1/name> ?name "
    'FILTER(LANG(?name) = "") }'
)
ASK = f"ASK {{ <{EX}alice> ?p ?o }}"
CONSTRUCT = f"CONSTRUCT {{ <{EX}alice> ?p ?o }} WHERE {{ <{EX}alice> ?p ?o }}"
METHODS = [("GET", None), ("POST", "urlencoded"), ("POST", "postdirectly")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(tmp_path_factory.mktemp("clients"))


def wrapper(server: Server, query: str, fmt: str, method: str, request: str | None) -> object:
    client = SPARQLWrapper.SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    if request is not None:
        client.setRequestMethod(request)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # SPARQLWrapper's own notices
        return client.query()


@pytest.mark.parametrize(("method", "request_method"), METHODS)
@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
     ("csv", "text/csv"), ("tsv", "text/tab-separated-values")],
)  # fmt: skip
def test_sparqlwrapper_select_in_every_format(
    server: Server, fmt: str, media_type: str, method: str, request_method: str | None
) -> None:
    result = wrapper(server, SELECT, fmt, method, request_method)
    assert result.response.headers["content-type"].startswith(media_type)  # type: ignore[attr-defined]
    body = result.response.read().decode()  # type: ignore[attr-defined]
    assert "Alice" in body
    if fmt == "json":
        assert json.loads(body)["results"]["bindings"][0]["name"]["value"] == "Alice"


@pytest.mark.parametrize(("method", "request_method"), METHODS)
def test_sparqlwrapper_ask(server: Server, method: str, request_method: str | None) -> None:
    result = wrapper(server, ASK, "json", method, request_method)
    assert result.convert() == {"head": {}, "boolean": True}  # type: ignore[attr-defined]


@pytest.mark.parametrize(("method", "request_method"), METHODS)
@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [("n3", "n3"), ("turtle", "turtle"), ("rdf+xml", "xml"), ("xml", "xml"),
     ("json-ld", "json-ld")],
)  # fmt: skip
def test_sparqlwrapper_construct_in_every_format(
    server: Server, fmt: str, rdflib_format: str, method: str, request_method: str | None
) -> None:
    result = wrapper(server, CONSTRUCT, fmt, method, request_method)
    body = result.response.read()  # type: ignore[attr-defined]
    with warnings.catch_warnings():  # rdflib 7.6 warns about its own internals here
        warnings.simplefilter("ignore", DeprecationWarning)
        graph = Graph().parse(io.BytesIO(body), format=rdflib_format)
    assert (URIRef(f"{EX}alice"), None, None) in graph
    assert len(graph) >= 3


# rdflib 7.6's SPARQLStore builds on its own deprecated ConjunctiveGraph
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_rdflib_sparqlstore_select_ask_and_construct(server: Server) -> None:
    store = SPARQLStore(f"{server.url}/sparql")
    try:
        names = [str(row[0]) for row in store.query(SELECT)]  # type: ignore[index]
        assert names == ["Alice"]
        assert bool(store.query(ASK)) is True
        graph = store.query(CONSTRUCT).graph
        assert graph is not None and (URIRef(f"{EX}alice"), None, None) in graph
    finally:
        store.close()
