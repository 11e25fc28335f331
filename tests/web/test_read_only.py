"""SPARQL Update is refused, however it is sent: the endpoint is read-only.

Covers the manifest's update_* and bad_update_* tests (w3c/rdf-tests,
sparql/sparql11/protocol/manifest.ttl): a writable endpoint answers the first group
with 2xx; ours must answer every one of them with a 4xx that says "read-only", and
the data must be unchanged afterwards.
"""

from __future__ import annotations

import pytest

from tests.web.conftest import AppClient

FORM = {"content-type": "application/x-www-form-urlencoded"}
UPDATE = {"content-type": "application/sparql-update"}

CASES = [
    pytest.param("POST", "/sparql/", "update=CLEAR+ALL", FORM, id="update_post_form"),
    pytest.param("POST", "/sparql/", "CLEAR ALL", UPDATE, id="update_post_direct"),
    pytest.param(
        "POST",
        "/sparql/?using-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf",
        "CLEAR ALL ; INSERT DATA { GRAPH <http://example.org/g> { <http://a> a <http://b> } }",
        UPDATE,
        id="update_dataset_default_graph",
    ),
    pytest.param(
        "POST",
        "/sparql/",
        "CLEAR GRAPH <http://example.org/protocol-base-test/> ;"
        " INSERT DATA { GRAPH <http://example.org/protocol-base-test/> "
        "{ <http://example.org/s> <http://example.org/p> <test> } }",
        UPDATE,
        id="update_base_uri",
    ),
    pytest.param("GET", "/sparql/?update=CLEAR%20ALL", None, {}, id="bad_update_get"),
    pytest.param(
        "POST",
        "/sparql/",
        "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
        FORM,
        id="bad_multiple_updates",
    ),
    pytest.param(
        "POST",
        "/sparql/",
        "CLEAR NAMED".encode("utf-16"),
        {"content-type": "application/sparql-update; charset=UTF-16"},
        id="bad_update_non_utf8",
    ),
    pytest.param("POST", "/sparql/", "update=CLEAR%20XYZ", FORM, id="bad_update_syntax"),
    pytest.param(
        "POST",
        "/sparql/?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
        "WITH <http://example/addresses> DELETE { ?p <http://x> 'Bill' } WHERE { ?p ?q ?r }",
        UPDATE,
        id="bad_update_dataset_conflict",
    ),
    pytest.param(
        "GET",
        "/sparql?query=PREFIX%20ex%3A%20%3Chttp%3A%2F%2Fex%2F%3E%20INSERT%20DATA%20%7B%7D",
        None,
        {},
        id="update-sent-as-query",
    ),
    pytest.param(
        "GET", "/sparql?query=%23%20a%20comment%0ALOAD%20%3Chttp%3A%2F%2Fx%3E", None, {}, id="load"
    ),
]


@pytest.mark.parametrize(("method", "url", "body", "headers"), CASES)
def test_update_is_refused_as_read_only(
    client: AppClient, method: str, url: str, body: str | bytes | None, headers: dict[str, str]
) -> None:
    response = client.request(method, url, content=body, headers=headers)
    assert response.status_code == 403, response.text
    problem = response.json()
    assert problem["type"].endswith("/problems/read-only")
    assert "read-only" in problem["detail"]
    still_there = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert still_there.json()["boolean"] is True


def test_update_with_wrong_media_type_is_refused(client: AppClient) -> None:
    """bad_update_wrong_media_type: text/plain body → 415 (not a query either)."""
    response = client.post(
        "/sparql/", content="CLEAR NAMED", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 415


def test_update_without_media_type_is_refused(client: AppClient) -> None:
    """bad_update_missing_form_type: url-encoded update without a Content-Type → 415."""
    response = client.post("/sparql/", content=b"update=CLEAR%20NAMED")
    assert response.status_code == 415
