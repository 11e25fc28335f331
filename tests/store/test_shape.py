"""The shape test that decides which queries may run on a thread (store/shape.py).

Each rule has a query it lets through and one it refuses, so every rule can fail."""

from __future__ import annotations

import pytest

from kompass_graph.store.shape import MAX_PATTERNS, QueryShape

P = "PREFIX ex: <http://example.org/> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?name WHERE { <http://example.org/alice> <http://example.org/name> ?name }",
        P + "SELECT ?p ?o WHERE { ex:alice ?p ?o }",
        # a constant object (not a class) anchors too
        P + "SELECT ?s WHERE { ?s ex:knows ex:alice }",
        P + 'SELECT ?s WHERE { ?s ex:name "Alice"@en }',
        # joined through shared variables, OPTIONAL and UNION branches included
        P + "SELECT ?n WHERE { ex:p ex:member ?m . ?m ex:name ?n OPTIONAL { ?m ex:mail ?x } }",
        P + "SELECT ?n WHERE { { ex:a ex:b ?m } UNION { ?m ex:c ex:d } ?m ex:name ?n }",
        # rdf:type on an anchored variable is fine
        P + "SELECT ?t WHERE { ex:alice a ?t . ?s a ex:Person . ex:alice ex:knows ?s }",
        # short, non-transitive paths, blank-node property lists, ';' and ','
        P + "SELECT ?x WHERE { ex:alice ex:knows/ex:name|^ex:likes ?x }",
        P + "SELECT ?x WHERE { ex:alice ex:knows [ ex:name ?x ; ex:age ?y ] , ?z }",
        # aggregates, FILTER, BIND and ORDER BY work on anchored rows only
        P + "SELECT (COUNT(?o) AS ?n) WHERE { ex:alice ?p ?o FILTER(isIRI(?o)) } GROUP BY ?p",
        P + "SELECT ?y WHERE { ex:alice ex:age ?a BIND(?a + 1 AS ?y) } ORDER BY ?y",
        # VALUES binds the variable it names
        P + "SELECT ?n WHERE { VALUES ?s { ex:a ex:b } ?s ex:name ?n }",
        P + "SELECT ?n WHERE { VALUES (?s ?t) { (ex:a 1) } ?s ex:name ?n }",
        P + "ASK { ex:alice ex:knows ex:bob }",
        P + "DESCRIBE ex:alice",
        P + "CONSTRUCT { ?s ?p ?o . ?x ?y ?z } WHERE { ex:alice ?p ?o BIND(ex:alice AS ?s) }",
        P + "SELECT ?o WHERE { GRAPH ?g { ex:alice ?p ?o } }",
    ],
)
def test_anchored_queries_predict_light(query: str) -> None:
    assert QueryShape(query).light


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "no constant"),
        (P + "SELECT ?s WHERE { ?s a ex:Person }", "a class has as many members as the data"),
        (P + "SELECT ?s WHERE { ?s rdf:type ex:Person }", "rdf:type spelt out"),
        (P + "SELECT * WHERE { ex:alice ex:knows ?a . ?b ex:name ?c }", "a second component"),
        (P + "SELECT * WHERE { ex:alice ex:knows+ ?x }", "transitive path"),
        (P + "SELECT * WHERE { ex:alice (ex:knows/ex:likes)* ?x }", "transitive group"),
        (P + "SELECT * WHERE { ex:a ex:b ?x { SELECT ?x WHERE { ?x ?p ?o } } }", "sub-select"),
        (P + "SELECT * WHERE { ex:a ex:b ?x MINUS { ?x ex:c ?y } }", "MINUS"),
        (P + "SELECT * WHERE { ex:a ex:b ?x FILTER NOT EXISTS { ?x ex:c ?y } }", "EXISTS"),
        (P + "SELECT * WHERE { SERVICE <http://x/> { ex:a ex:b ?x } }", "SERVICE"),
        (P + "SELECT * WHERE { ex:a ex:list (1 2 3) }", "a collection"),
        (P + "DESCRIBE ?s WHERE { ?s a ex:Person }", "described by a class"),
        (P + "SELECT * WHERE { ex:a ex:b ?x .", "an unclosed group"),
        (
            P
            + "SELECT * WHERE { "
            + " ".join(f"ex:a ex:p ?v{i} ." for i in range(MAX_PATTERNS + 1))
            + " }",
            "too many patterns",
        ),
    ],
)
def test_other_queries_predict_heavy(query: str, why: str) -> None:
    assert not QueryShape(query).light, why


def test_a_bound_variable_anchors_its_patterns() -> None:
    query = "SELECT ?name WHERE { ?project <http://example.org/name> ?name }"
    assert not QueryShape(query).light
    assert QueryShape(query, bound=["project"]).light
    assert QueryShape(query, bound=["?project"]).light


def test_an_escaped_keyword_is_seen() -> None:
    # \u0053ERVICE is SERVICE once the escapes are read, as the engine reads them
    assert not QueryShape(r"SELECT * WHERE { \u0053ERVICE <http://x/> { <a:b> <c:d> ?x } }").light


def test_the_shape_key_blanks_constants_but_not_the_class_test() -> None:
    one = QueryShape("SELECT * WHERE { <http://e/a> <http://e/p> ?x FILTER(?x > 3) } LIMIT 10").key
    other = QueryShape(
        "SELECT * WHERE { <http://e/b> <http://e/q> ?x FILTER(?x > 7) } LIMIT 20"
    ).key
    assert one == other
    typed = "SELECT * WHERE { ?s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e/C> }"
    untyped = "SELECT * WHERE { ?s <http://e/p> <http://e/C> }"
    assert QueryShape(typed).key != QueryShape(untyped).key
    assert (
        QueryShape("SELECT * WHERE { ?s ?p 'x' }").key
        == QueryShape('SELECT * WHERE { ?s ?p "yz" }').key
    )
    assert QueryShape(untyped, ["s"]).key != QueryShape(untyped).key
