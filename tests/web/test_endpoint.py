"""The /sparql endpoint beyond the W3C suite: negotiation, limits, errors, headers."""

from __future__ import annotations

import json
import logging
import re

import pytest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from kompass_graph.store import content_hash
from tests.web.conftest import PROTOCOL_DATA, AppClient, serve
from tests.web.exposition import read_samples

EX = "http://example.org/"
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


def test_every_response_names_the_release(client: AppClient) -> None:
    expected = f"0.1.0+{content_hash([PROTOCOL_DATA])[:12]}"
    for path in ("/sparql?query=ASK%7B%7D", "/healthz", "/nowhere", "/sparql?query=nonsense"):
        assert client.get(path).headers["kompass-release"] == expected


def test_406_lists_the_available_formats(client: AppClient) -> None:
    response = client.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"accept": "text/csv"}
    )
    assert response.status_code == 406
    problem = response.json()
    assert "text/turtle" in problem["available"]
    assert "application/ld+json" in problem["available"]


def test_format_parameter_for_links(client: AppClient) -> None:
    response = client.get("/sparql", params={"query": ALL, "format": "csv"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    response = client.get("/sparql", params={"query": "DESCRIBE <http://x>", "format": "json"})
    assert response.headers["content-type"] == "application/ld+json"


def test_browser_asking_a_query_gets_json(client: AppClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", params={"query": ALL}, headers={"accept": accept})
    assert response.headers["content-type"] == "application/sparql-results+json"


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "text/turtle"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
    ],
)
def test_service_description(client: AppClient, accept: str | None, media_type: str) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    text = response.text
    assert "http://www.w3.org/ns/sparql-service-description#" in text
    assert "http://testserver/sparql" in text
    assert "SPARQL_Results_TSV" in text


def test_service_description_counts_the_triples(client: AppClient) -> None:
    text = client.get("/sparql", headers={"accept": "text/turtle"}).text
    count = int(re.search(r"void:triples (\d+)", text).group(1))  # type: ignore[union-attr]
    asked = client.get(
        "/sparql",
        params={
            # the default graph is the union of all graphs (no triple here is in two)
            "query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
        },
    )
    assert count == int(asked.json()["results"]["bindings"][0]["n"]["value"]) == 17


def test_browser_gets_the_query_page(client: AppClient) -> None:
    response = client.get("/sparql", headers={"accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text.lower()


def test_result_rows_are_capped_and_said_so() -> None:
    capped = serve(max_result_rows=3)
    try:
        response = capped.get("/sparql", params={"query": ALL})
        assert response.headers["kompass-result-truncated"] == "true; max-rows=3"
        assert response.headers["kompass-result-rows"] == "3"
        document = response.json()
        assert len(document["results"]["bindings"]) == 3
        assert document["kompass"]["truncated"] is True
        assert document["kompass"]["maxRows"] == 3
        small = capped.get("/sparql", params={"query": f"{ALL} LIMIT 3"})
        assert "kompass-result-truncated" not in small.headers
        assert "kompass" not in small.json()
        graph = capped.get(
            "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"}
        )
        assert graph.headers["kompass-result-truncated"] == "true; max-rows=3"
        assert graph.text.count(" .\n") == 3
    finally:
        capped.close()


def test_long_query_is_413() -> None:
    short = serve(max_query_length=60)
    try:
        query = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 100
        for response in (
            short.get("/sparql", params={"query": query}),
            short.post(
                "/sparql", content=query, headers={"content-type": "application/sparql-query"}
            ),
            short.post("/sparql", data={"query": query}),
        ):
            assert response.status_code == 413
            assert "60 bytes" in response.json()["detail"]
    finally:
        short.close()


def test_problem_shape_is_rfc_9457(client: AppClient) -> None:
    """The one error shape, pinned: type, title, status, detail, instance (+ extensions)."""
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem == {
        "type": "https://w3id.org/kompass-graph/problems/query-syntax-error",
        "title": "SPARQL syntax error",
        "status": 400,
        "detail": problem["detail"],
        "instance": "/sparql",
        "line": 1,
        "column": 25,  # where the parser stopped, passed through as Oxigraph says
    }
    assert problem["detail"].startswith("query:1:25: expected")


def test_problem_as_plain_text_when_asked(client: AppClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {"}, headers={"accept": "text/plain"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.startswith("400 SPARQL syntax error: query:1:6:")


def test_unknown_path_is_a_problem_not_a_trace(client: AppClient) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.json()["type"].endswith("/problems/not-found")


def test_missing_and_empty_query(client: AppClient) -> None:
    assert client.get("/sparql?default-graph-uri=http://x").status_code == 400
    assert client.get("/sparql?query=").status_code == 400
    response = client.post("/sparql", data={"default-graph-uri": "http://x"})
    assert response.json()["detail"] == "no query was sent"


def test_bad_graph_iri_names_the_parameter(client: AppClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert response.status_code == 400
    assert "default-graph-uri='not an iri'" in response.json()["detail"]


def test_service_is_refused_before_the_engine(client: AppClient) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"].endswith("/problems/query-rejected")
    assert "SERVICE <http://127.0.0.1:9/sparql> is refused" in problem["detail"]
    assert "no outbound request was made" in problem["detail"]


def test_cors(client: AppClient) -> None:
    preflight = client.request(
        "OPTIONS",
        "/sparql",
        headers={
            "origin": "https://example.net",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in preflight.headers
    simple = client.get(
        "/sparql", params={"query": "ASK {}"}, headers={"origin": "https://example.net"}
    )
    assert simple.headers["access-control-allow-origin"] == "*"
    assert "kompass-release" in simple.headers["access-control-expose-headers"].lower()


def test_gzip_for_large_results(client: AppClient) -> None:
    query = "SELECT ?i WHERE { VALUES ?i { " + " ".join(str(i) for i in range(400)) + " } }"
    response = client.get("/sparql", params={"query": query}, headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert len(response.json()["results"]["bindings"]) == 400  # httpx decompresses
    small = client.get("/sparql", params={"query": "ASK {}"}, headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in small.headers


def test_gzip_answer_decodes_to_the_plain_answer(client: AppClient) -> None:
    """Compressed and uncompressed answers carry the same bytes once decoded."""
    query = "SELECT ?i WHERE { VALUES ?i { " + " ".join(str(i) for i in range(400)) + " } }"
    plain = client.get("/sparql", params={"query": query}, headers={"accept-encoding": "identity"})
    packed = client.get("/sparql", params={"query": query}, headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert int(packed.headers["content-length"]) < len(plain.content) / 3
    assert packed.content == plain.content  # httpx has decoded the gzip stream


def test_health_readiness_and_metrics(client: AppClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready"
    assert ready["triples"] == 17
    before = read_samples(client.get("/metrics").text)
    client.get("/sparql", params={"query": "ASK {}"})
    client.get("/sparql", params={"query": "INSERT DATA {}"})
    client.get("/nowhere/at/all")
    response = client.get("/metrics")
    assert response.headers["content-type"] == CONTENT_TYPE_PLAIN_0_0_4
    after = read_samples(response.text)

    def added(name: str, **labels: str) -> float:
        return after.value(name, **labels) - before.value(name, **labels)

    ok = {"method": "GET", "route": "/sparql", "status": "200"}
    assert added("kompass_http_requests_total", **ok) == 1
    assert added("kompass_http_request_duration_seconds_count", **ok) == 1
    assert added("kompass_http_request_duration_seconds_bucket", **ok, le="+Inf") == 1
    assert added("kompass_http_request_duration_seconds_sum", **ok) > 0
    refused = {"method": "GET", "route": "/sparql", "status": "403"}
    assert added("kompass_http_requests_total", **refused) == 1
    assert added("kompass_queries_rejected_total", reason="update") == 1
    assert added("kompass_queries_rejected_total", reason="overloaded") == 0
    unmatched = {"method": "GET", "route": "unmatched", "status": "404"}
    assert added("kompass_http_requests_total", **unmatched) == 1
    assert not any("/nowhere" in value for _, labels in after for _, value in labels)
    assert ("kompass_query_timeouts_total", frozenset()) in after
    assert added("kompass_query_timeouts_total") == 0
    assert after.value("kompass_store_triples") == 17
    assert after.value("kompass_store_ready") == 1


def test_access_log_is_structured(client: AppClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="kompass_graph.access"):
        client.get("/sparql", params={"query": ALL})
    entry = json.loads(caplog.records[-1].getMessage())
    assert entry["method"] == "GET"
    assert entry["path"] == "/sparql"
    assert entry["status"] == 200
    assert entry["bytes"] > 100
    assert entry["duration_ms"] > 0


def test_union_default_graph_setting() -> None:
    union = serve(union_default_graph=True)
    try:
        query = "ASK { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?t }"
        assert union.get("/sparql", params={"query": query}).json()["boolean"] is True
    finally:
        union.close()


def test_from_names_a_graph_and_reads_no_file(client: AppClient) -> None:
    """FROM <file:…> names a graph of the store (none here); nothing is read from disk."""
    for clause in ("FROM <file:///etc/passwd>", "FROM NAMED <file:///etc/hostname>"):
        query = f"SELECT * {clause} WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"
        response = client.get("/sparql", params={"query": query})
        assert response.status_code == 200
        assert response.json()["results"]["bindings"] == []


def test_a_format_value_we_do_not_know_lets_accept_decide(client: AppClient) -> None:
    response = client.get(
        "/sparql",
        params=[("query", "ASK {}"), ("format", "yaml"), ("format", "")],
        headers={"accept": "application/sparql-results+xml"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+xml")


def test_the_first_format_value_we_know_wins(client: AppClient) -> None:
    response = client.get(
        "/sparql",
        params=[("query", "ASK {}"), ("format", "yaml"), ("format", "xml"), ("format", "csv")],
    )
    assert response.headers["content-type"].startswith("application/sparql-results+xml")
