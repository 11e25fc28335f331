"""A bounded fuzz of the endpoint: 10,000 mutated requests, no 500, no traceback, no
outbound connection.

Requests are generated from a seed (so a failure can be replayed): queries valid and
broken, cut off, with bytes changed, SERVICE calls in many spellings aimed at a socket
listening on loopback, deep nesting, odd parameters, duplicate and unknown format
values, junk Accept and Content-Type headers, every method. They run in-process
against the app over the protocol fixture data, with real worker processes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from tests.loopback import Listener, listening
from tests.web.conftest import AppClient, serve

REQUESTS = 10_000
SEED = 20261201

SEEDS = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 5",
    "ASK { ?s a <http://xmlns.com/foaf/0.1/Person> }",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "DESCRIBE <http://example.org/alice>",
    "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }",
    "PREFIX ex: <http://example.org/> SELECT ?n "
    "{ ex:alice <http://xmlns.com/foaf/0.1/name> ?n FILTER(LANG(?n) = 'es') }",
    "SELECT * FROM <http://kasei.us/2009/09/sparql/data/data1.rdf> { ?s ?p ?o }",
    "SELECT ?x { VALUES ?x { 1 2 3 } } ORDER BY DESC(?x)",
    "SELECT (STRLEN(REPLACE('aaaa', 'a', 'bb')) AS ?l) {}",
]
SERVICE_SPELLINGS = ["SERVICE", "service", r"\u0053ERVICE", "SeRvIcE SILENT"]
FRAGMENTS = ["{", "}", "(", ")", "\\", "'", '"', "#", "<", ">", "\x00", "ä", "\ud7ff", "?",
             ".", ";", "%", "FILTER(", "UNION", "OPTIONAL {", "1e999", "<<", ">>"]  # fmt: skip
ACCEPTS = [None, "*/*", "text/html", "application/json", "text/csv;q=0.5, */*;q=0.1",
           "garbage", "text/turtle, application/rdf+xml", ";;;", "a/b, " * 50, "q=1"]  # fmt: skip
FORMATS = [None, "json", "xml", "csv", "tsv", "turtle", "nt", "n3", "yaml", "", "text/csv"]


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    with listening() as witness:
        yield witness


def mutate(rng: random.Random, port: int) -> str:
    query = rng.choice(SEEDS)
    roll = rng.random()
    if roll < 0.25:
        spelled = rng.choice(SERVICE_SPELLINGS)
        call = f" {spelled} <http://127.0.0.1:{port}/sparql> {{ ?a ?b ?c }} "
        at = query.rfind("}")
        query = query[:at] + rng.choice(["", ". ", "ex:o\\# . "]) + call + query[at:]
    elif roll < 0.35:
        depth = rng.choice([10, 65, 500, 3000])
        query = "SELECT * WHERE " + rng.choice("{([") * depth + rng.choice("})]") * depth
    for _ in range(rng.randrange(3)):
        at = rng.randrange(len(query) + 1)
        query = query[:at] + rng.choice(FRAGMENTS) + query[at + rng.randrange(2) :]
    if rng.random() < 0.1:
        query = query[: rng.randrange(len(query) + 1)]
    return query


def test_ten_thousand_mutated_requests(listener: Listener) -> None:
    port = listener.port
    rng = random.Random(SEED)
    client: AppClient = serve(query_timeout=2, max_result_rows=50, query_workers=2)
    statuses: dict[int, int] = {}
    try:
        for number in range(REQUESTS):
            query = mutate(rng, port)
            fmt = rng.choice(FORMATS)
            params = [("query", query)] + ([("format", fmt)] if fmt is not None else [])
            if rng.random() < 0.05:
                params.append(("query", "ASK {}"))
            if rng.random() < 0.05:
                params.append(("default-graph-uri", rng.choice(["not an iri", "urn:x", ""])))
            accept = rng.choice(ACCEPTS)
            headers = {"accept": accept} if accept is not None else {}
            method = rng.choice(["GET", "GET", "POST-form", "POST-direct", "HEAD"])
            if method == "POST-form":
                response = client.post("/sparql", data=dict(params), headers=headers)
            elif method == "POST-direct":
                content_type = rng.choice(
                    ["application/sparql-query", "application/sparql-query; charset=latin1",
                     "text/plain", "application/sparql-update"]
                )  # fmt: skip
                response = client.post(
                    "/sparql",
                    content=query.encode("utf-8", "surrogatepass"),
                    headers={**headers, "content-type": content_type},
                )
            else:
                response = client.request(method, "/sparql", params=params, headers=headers)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            assert response.status_code != 500, (number, method, query, response.text)
            assert "Traceback" not in response.text, (number, query)
    finally:
        client.close()
    assert listener.connections == 0, "a request made the server connect to the loopback listener"
    assert sum(statuses.values()) == REQUESTS
    assert statuses.get(200, 0) > 1000 and statuses.get(400, 0) > 1000, statuses
