"""How answers read: Turtle with our known prefixes; a byte-cut answer says so."""

from __future__ import annotations

import pyoxigraph as ox

from tests.web.conftest import AppClient, serve

CONSTRUCT = (
    "CONSTRUCT { ?s a <http://xmlns.com/foaf/0.1/Person> } "
    "WHERE { ?s a <http://xmlns.com/foaf/0.1/Person> }"
)


def test_turtle_answers_use_the_known_prefixes_they_need(client: AppClient) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"accept": "text/turtle"})
    text = response.text
    assert "@prefix foaf: <http://xmlns.com/foaf/0.1/> ." in text
    assert "foaf:Person" in text
    assert "@prefix kg:" not in text  # a prefix the answer does not use is left out
    plain = client.get("/sparql", params={"query": CONSTRUCT, "format": "ntriples"})
    assert set(ox.parse(response.content, format=ox.RdfFormat.TURTLE)) == set(
        ox.parse(plain.content, format=ox.RdfFormat.N_TRIPLES)
    )


def test_an_answer_cut_by_bytes_says_which_limit_cut_it() -> None:
    small = serve(max_result_bytes=300)
    try:
        query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
        response = small.get("/sparql", params={"query": query})
        assert response.headers["kompass-result-truncated"] == "true; max-bytes=300"
        assert len(response.content) <= 300
        document = response.json()
        assert document["kompass"]["truncated"] is True
        assert int(response.headers["kompass-result-rows"]) == len(document["results"]["bindings"])
    finally:
        small.close()
