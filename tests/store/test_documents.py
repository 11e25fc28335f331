"""Documents written from statements: graphs kept by TriG/N-Quads, duplicates dropped."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kompass_graph.store.documents import Statement, write_statements
from kompass_graph.terms import Term

A, P, G1, G2 = (
    "http://example.org/a",
    "http://example.org/p",
    "http://example.org/g1",
    "http://example.org/g2",
)
SAME_IN_TWO_GRAPHS = [
    Statement(Term.iri(A), Term.iri(P), Term.literal("Öffnung", language="de"), Term.iri(G1)),
    Statement(Term.iri(A), Term.iri(P), Term.literal("Öffnung", language="de"), Term.iri(G2)),
    Statement(Term.iri(A), Term.iri(P), Term.bnode("b1"), Term.iri(G1)),
    Statement(
        Term.bnode("b1"),
        Term.iri(P),
        Term.literal("0.5", datatype="http://www.w3.org/2001/XMLSchema#decimal"),
    ),
]


@pytest.mark.parametrize("name", ["turtle", "ntriples", "rdfxml", "jsonld"])
def test_triple_formats_hold_each_triple_once(name: str) -> None:
    body = write_statements(SAME_IN_TWO_GRAPHS, name, prefixes={"ex": "http://example.org/"})
    fmt = {
        "turtle": ox.RdfFormat.TURTLE,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "rdfxml": ox.RdfFormat.RDF_XML,
        "jsonld": ox.RdfFormat.JSON_LD,
    }[name]
    triples = list(ox.parse(body, format=fmt))
    assert len(triples) == 3
    assert ox.Literal("Öffnung", language="de") in {t.object for t in triples}


@pytest.mark.parametrize(
    ("name", "fmt"), [("trig", ox.RdfFormat.TRIG), ("nquads", ox.RdfFormat.N_QUADS)]
)
def test_quad_formats_keep_every_graph(name: str, fmt: ox.RdfFormat) -> None:
    quads = list(ox.parse(write_statements(SAME_IN_TWO_GRAPHS, name), format=fmt))
    assert len(quads) == 4
    assert {str(q.graph_name) for q in quads} == {f"<{G1}>", f"<{G2}>", "DEFAULT"}


def test_turtle_uses_the_prefixes_given() -> None:
    body = write_statements(
        SAME_IN_TWO_GRAPHS[:1], "turtle", prefixes={"ex": "http://example.org/"}
    )
    assert body.decode().startswith("@prefix ex: <http://example.org/> .")
    assert "ex:a ex:p" in body.decode()
