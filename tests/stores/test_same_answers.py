"""The same SPARQL, page and REST behaviour on every store kind, with the same bytes.

Every stored query is asked through the REST API (`/api/queries/<name>`, its parameters
at their defaults, bound as values) and through `/sparql` (its text as written), in
every results format; the answers must be byte for byte those of the embedded store.
Pages and REST answers must be the same documents too.
"""

from __future__ import annotations

import json

import pytest

from kompass_graph.queries import project_queries
from kompass_graph.settings import Settings
from tests.stores.conftest import REMOTE_KINDS
from tests.web.conftest import AppClient

QUERIES = {query.name: query for query in project_queries(Settings()).values()}
PROJECT = "/id/project/interkulturelle-oeffnung-der-verwaltung-als-chance"
SURFACES = [
    "/",
    PROJECT,
    PROJECT + ".ttl",
    PROJECT + ".jsonld",
    PROJECT + ".nt",
    "/id/actor/hessische-landesregierung",
    "/ontology",
    "/api/projects?limit=3",
    "/api/projects?funder=bamf&limit=2",
    "/api/actors?type=Municipality&limit=2",
    "/api/fundings?year=2013&limit=2",
    "/api/concepts?scheme=goal&q=offnung&limit=2",
    "/api/queries",
]
_RESULTS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


def _cases(names: list[str]) -> list[object]:
    """(remote kind, name) for each name and kind."""
    return [
        pytest.param(kind, name, id=f"{kind}-{name}") for name in names for kind in REMOTE_KINDS
    ]


def _remote(request: pytest.FixtureRequest, kind: str) -> AppClient:
    """The app client on the remote store `kind`, compared with `embedded_client`."""
    client: AppClient = request.getfixturevalue(f"{kind}_client")
    return client


def test_there_are_stored_queries_to_compare() -> None:
    assert len(QUERIES) >= 13  # a comparison over nothing would pass


@pytest.mark.parametrize(("kind", "name"), _cases(sorted(QUERIES)))
def test_stored_query_api_answers_are_identical(
    kind: str, name: str, embedded_client: AppClient, request: pytest.FixtureRequest
) -> None:
    remote_client = _remote(request, kind)
    url = f"/api/queries/{name}"
    embedded = embedded_client.get(url)
    remote = remote_client.get(url)
    assert embedded.status_code == 200, embedded.text
    assert remote.status_code == 200, remote.text
    assert remote.content == embedded.content
    assert remote.headers["Kompass-Release"] == embedded.headers["Kompass-Release"]
    assert json.loads(embedded.content)  # not an empty body on both sides


@pytest.mark.parametrize("format_name", sorted(_RESULTS))
@pytest.mark.parametrize(("kind", "name"), _cases(sorted(QUERIES)))
def test_stored_query_sparql_answers_are_identical(
    kind: str,
    name: str,
    format_name: str,
    embedded_client: AppClient,
    request: pytest.FixtureRequest,
) -> None:
    remote_client = _remote(request, kind)
    params = {"query": QUERIES[name].text}
    headers = {"Accept": _RESULTS[format_name]}
    embedded = embedded_client.get("/sparql", params=params, headers=headers)
    remote = remote_client.get("/sparql", params=params, headers=headers)
    assert embedded.status_code == 200, embedded.text
    assert (remote.status_code, remote.headers["content-type"]) == (
        200,
        embedded.headers["content-type"],
    )
    assert remote.content == embedded.content
    assert remote.headers.get("Kompass-Rows") == embedded.headers.get("Kompass-Rows")


@pytest.mark.parametrize(("kind", "url"), _cases(SURFACES))
def test_pages_and_rest_answers_are_identical(
    kind: str, url: str, embedded_client: AppClient, request: pytest.FixtureRequest
) -> None:
    remote_client = _remote(request, kind)
    embedded = embedded_client.get(url)
    remote = remote_client.get(url)
    assert embedded.status_code == 200, embedded.text[:500]
    assert remote.status_code == 200, remote.text[:500]
    assert remote.headers["content-type"] == embedded.headers["content-type"]
    assert remote.content == embedded.content


@pytest.mark.parametrize("kind", REMOTE_KINDS)
def test_construct_and_ask_are_identical(
    kind: str, embedded_client: AppClient, request: pytest.FixtureRequest
) -> None:
    remote_client = _remote(request, kind)
    for query, accept in [
        (
            # an order SPARQL defines (ORDER BY ?o alone leaves literals of different
            # datatypes or language tags unordered, 15.1), so the same 40 triples
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s a ?t ; ?p ?o } "
            "ORDER BY ?s ?p STR(?o) STR(DATATYPE(?o)) LANG(?o) ?t LIMIT 40",
            "application/n-triples",
        ),
        ("ASK { ?s a ?t }", "application/sparql-results+json"),
        ("ASK { ?s a <urn:nothing> }", "application/sparql-results+xml"),
    ]:
        embedded = embedded_client.get(
            "/sparql", params={"query": query}, headers={"Accept": accept}
        )
        remote = remote_client.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert embedded.status_code == 200, embedded.text
        if accept == "application/n-triples":
            # a graph is a set: the same triples, in each engine's own order
            assert sorted(remote.text.splitlines()) == sorted(embedded.text.splitlines())
            assert len(embedded.text.splitlines()) == 40, query
        else:
            assert remote.content == embedded.content, query


@pytest.mark.parametrize("kind", REMOTE_KINDS)
def test_describe_is_the_stores_own_and_holds_what_the_embedded_store_says(
    kind: str, embedded_client: AppClient, request: pytest.FixtureRequest
) -> None:
    """SPARQL 1.1 leaves DESCRIBE's answer to the service (16.4), and over a remote
    store the store describes: Virtuoso adds the statements that point at the
    resource. Every description holds the resource's own statements, and only
    statements about it."""
    remote_client = _remote(request, kind)
    iri = "<https://w3id.org/kompass-graph/id/actor/hessische-landesregierung>"
    query = {"query": f"DESCRIBE {iri}"}
    answers = [
        client.get("/sparql", params=query, headers={"Accept": "application/n-triples"})
        for client in (embedded_client, remote_client)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    embedded, remote = (set(a.text.splitlines()) for a in answers)
    assert len(embedded) >= 10
    assert embedded <= remote
    assert all(line.startswith(iri) or line.endswith(f"{iri} .") for line in remote)


@pytest.mark.parametrize("kind", REMOTE_KINDS)
def test_row_limit_truncates_the_same_way(
    kind: str, embedded_client: AppClient, request: pytest.FixtureRequest
) -> None:
    remote_client = _remote(request, kind)
    # the remote store also holds the release record that `publish` writes
    query = (
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o "
        "FILTER(?s != <https://w3id.org/kompass-graph/graph/release>) } "
        # an order SPARQL defines for every pair of rows (see the CONSTRUCT above)
        "ORDER BY ?s ?p STR(?o) STR(DATATYPE(?o)) LANG(?o)"
    )
    answers = [
        client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
        for client in (embedded_client, remote_client)
    ]
    assert answers[0].status_code == 200
    assert answers[1].content == answers[0].content
    for header in ("Kompass-Rows", "Kompass-Truncated"):
        assert answers[1].headers.get(header) == answers[0].headers.get(header)


def test_the_parametrised_suite_runs_on_each_store(store_kind: AppClient) -> None:
    """The same behaviour on each kind: status, media type and shape."""
    ready = store_kind.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    page = store_kind.get(PROJECT, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "<html" in page.text
    answer = store_kind.get("/api/queries/01-participating-municipalities")
    assert answer.status_code == 200
    refused = store_kind.get(
        "/sparql", params={"query": "SELECT * { SERVICE <http://example.org/s> { ?s ?p ?o } }"}
    )
    assert refused.status_code == 400
    assert store_kind.get("/sparql", params={"query": "SELEC *"}).status_code == 400
