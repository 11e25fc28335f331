"""The W3C SPARQL 1.1 Protocol tests that apply to a read-only endpoint.

Each test names its entry in `sparql/sparql11/protocol/manifest.ttl` of the
w3c/rdf-tests repository; requests are sent as the manifest writes them (paths with
a trailing slash included). The update_* tests expect a writable endpoint; here the
same requests must be refused as read-only (4xx), which tests/web/test_read_only.py
checks for each of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.web.conftest import AppClient, serve

DATA = "http://kasei.us/2009/09/sparql/data/"
D1, D2, D3 = (f"{DATA}data{i}.rdf" for i in (1, 2, 3))
RESULT_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"}


@pytest.fixture
def client() -> Iterator[AppClient]:
    """The manifest's tests take the default graph to be the store's own default graph,
    apart from its named graphs: they run with the union default graph off."""
    app_client = serve(union_default_graph=False)
    yield app_client
    app_client.close()


def media_type(response: object) -> str:
    return response.headers["content-type"].split(";")[0]  # type: ignore[attr-defined]


def boolean(response: object) -> bool:
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    assert media_type(response) == "application/sparql-results+json"
    return bool(json.loads(response.content)["boolean"])  # type: ignore[attr-defined]


def test_query_post_form(client: AppClient) -> None:
    """query_post_form: query via URL-encoded POST."""
    response = client.post(
        f"/sparql/?default-graph-uri={DATA}data0.rdf",
        content="query=ASK%20%7B%7D",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert boolean(response) is True


def test_query_dataset_default_graphs_get(client: AppClient) -> None:
    """query_dataset_default_graphs_get: GET with protocol-specified default graphs."""
    query = f"ASK {{ <{D1}> a ?type . <{D2}> a ?type . }}"
    params = [("query", query), ("default-graph-uri", D1), ("default-graph-uri", D2)]
    assert boolean(client.get("/sparql/", params=params)) is True
    # control: without the protocol dataset, the store's default graph does not hold them
    assert boolean(client.get("/sparql/", params={"query": query})) is False


def test_query_dataset_default_graphs_post(client: AppClient) -> None:
    """query_dataset_default_graphs_post: direct POST with protocol default graphs."""
    query = f"ASK {{ <{D1}> a ?type . <{D2}> a ?type . }}"
    response = client.post(
        "/sparql/",
        params=[("default-graph-uri", D1), ("default-graph-uri", D2)],
        content=query,
        headers={"content-type": "application/sparql-query"},
    )
    assert boolean(response) is True


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_query_dataset_named_graphs(client: AppClient, method: str) -> None:
    """query_dataset_named_graphs_get and query_dataset_named_graphs_post."""
    query = f"ASK {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}"
    params = [("named-graph-uri", D1), ("named-graph-uri", D2)]
    if method == "GET":
        response = client.get("/sparql/", params=[("query", query), *params])
    else:
        response = client.post(
            "/sparql/",
            params=params,
            content=query,
            headers={"content-type": "application/sparql-query"},
        )
    assert boolean(response) is True
    # the dataset is exactly what was named: data3 is not among the named graphs
    only_one = f"ASK {{ GRAPH ?g {{ <{D3}> a ?type }} }}"
    assert boolean(client.get("/sparql/", params=[("query", only_one), *params])) is False
    # and with only named graphs given, the default graph is empty
    anything = "ASK { ?s ?p ?o }"
    assert boolean(client.get("/sparql/", params=[("query", anything), *params])) is False


def test_query_dataset_full(client: AppClient) -> None:
    """query_dataset_full: both named and default graphs given by the protocol."""
    query = (
        f"ASK {{ <{D3}> a ?type GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}"
    )
    response = client.post(
        "/sparql/",
        params=[("default-graph-uri", D3), ("named-graph-uri", D1), ("named-graph-uri", D2)],
        content=query,
        headers={"content-type": "application/sparql-query"},
    )
    assert boolean(response) is True


def test_query_multiple_dataset(client: AppClient) -> None:
    """query_multiple_dataset: the protocol dataset wins over FROM in the query.

    The manifest's URL percent-encodes the `&` between its two named-graph-uri
    parameters (a known slip in the test); we send the two parameters it means.
    """
    query = f"ASK FROM <{D3}> {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}"
    response = client.post(
        "/sparql/",
        params=[("named-graph-uri", D1), ("named-graph-uri", D2)],
        content=query,
        headers={"content-type": "application/sparql-query"},
    )
    assert boolean(response) is True


def test_query_get(client: AppClient) -> None:
    """query_get: query via GET."""
    params = {"query": "ASK {}", "default-graph-uri": f"{DATA}data0.rdf"}
    assert boolean(client.get("/sparql/", params=params)) is True


def test_query_post_direct(client: AppClient) -> None:
    """query_post_direct: query via POST directly."""
    response = client.post(
        "/sparql/", content="ASK {}", headers={"content-type": "application/sparql-query"}
    )
    assert boolean(response) is True


def test_query_content_type_select(client: AppClient) -> None:
    """query_content_type_select: a tabular result in a result media type."""
    response = client.post(
        "/sparql/",
        content="SELECT (1 AS ?value) {}",
        headers={"content-type": "application/sparql-query"},
    )
    assert response.status_code == 200
    assert media_type(response) in RESULT_TYPES
    bindings = json.loads(response.content)["results"]["bindings"]
    assert bindings == [
        {
            "value": {
                "type": "literal",
                "value": "1",
                "datatype": "http://www.w3.org/2001/XMLSchema#integer",
            }
        }
    ]


def test_query_content_type_ask(client: AppClient) -> None:
    """query_content_type_ask: a boolean result as XML or JSON."""
    response = client.post(
        "/sparql/", content="ASK {}", headers={"content-type": "application/sparql-query"}
    )
    assert media_type(response) in {
        "application/sparql-results+json",
        "application/sparql-results+xml",
    }


@pytest.mark.parametrize(
    "query",
    ["DESCRIBE <http://example.org/>", "CONSTRUCT { <s> <p> 1 } WHERE {}"],
    ids=["query_content_type_describe", "query_content_type_construct"],
)
def test_query_content_type_graph(client: AppClient, query: str) -> None:
    """query_content_type_describe and query_content_type_construct: an RDF media type."""
    response = client.post(
        "/sparql/", content=query, headers={"content-type": "application/sparql-query"}
    )
    assert response.status_code == 200, response.text
    assert media_type(response) in RDF_TYPES


def test_bad_query_method(client: AppClient) -> None:
    """bad_query_method: PUT is not a query operation (4xx)."""
    response = client.request(
        "PUT",
        "/sparql/?query=ASK%20%7B%7D",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST"}


def test_bad_multiple_queries(client: AppClient) -> None:
    """bad_multiple_queries: two query parameters → 400."""
    response = client.get("/sparql/?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D")
    assert response.status_code == 400
    assert "one query per request" in response.json()["hint"]


def test_bad_query_wrong_media_type(client: AppClient) -> None:
    """bad_query_wrong_media_type: POST with text/plain → 415."""
    response = client.post("/sparql/", content="ASK {}", headers={"content-type": "text/plain"})
    assert response.status_code == 415


@pytest.mark.parametrize(
    "body",
    ["query=ASK%20%7B%7D", "ASK {}"],
    ids=["bad_query_missing_form_type", "bad_query_missing_direct_type"],
)
def test_bad_query_missing_type(client: AppClient, body: str) -> None:
    """bad_query_missing_form_type and bad_query_missing_direct_type: no Content-Type."""
    response = client.post("/sparql/", content=body.encode())
    assert response.status_code == 415
    assert "(none)" in response.json()["detail"]


def test_bad_query_non_utf8(client: AppClient) -> None:
    """bad_query_non_utf8: a direct POST in UTF-16 → 415."""
    response = client.post(
        "/sparql/",
        content="ASK {}".encode("utf-16"),
        headers={"content-type": "application/sparql-query; charset=UTF-16"},
    )
    assert response.status_code == 415


def test_bad_query_syntax(client: AppClient) -> None:
    """bad_query_syntax: `ASK {` → 400 with the parser's message and position."""
    response = client.get("/sparql/?query=ASK%20%7B")
    assert response.status_code == 400
    problem = response.json()
    assert problem["line"] == 1
    assert problem["column"] == 6
    assert problem["detail"].startswith("query:1:6: expected")
