"""Counting and cutting results written by Oxigraph, with literals built to confuse."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from kompass_graph.store.answers import BINDINGS_WRITERS, count_rows, write_bindings_natively

NASTY = [
    'a,{"b":[{}]}',
    "ends with ,{",
    "line\nbreak\r\nand\ttab",
    "<result><binding/></result>",
    '",{"x":{"type":"uri"}}',
    "\\",
    "[{",
    "",
]
QUERY = "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o } ORDER BY ?o"
EX_S, EX_P = "http://example.org/s", "http://example.org/p"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for index, text in enumerate(NASTY):
        subject = ox.NamedNode(f"http://example.org/{index}")
        store.add(ox.Quad(subject, ox.NamedNode("http://example.org/p"), ox.Literal(text)))
    store.add(
        ox.Quad(
            ox.BlankNode("b"), ox.NamedNode("http://example.org/p"), ox.Literal("x", language="de")
        )
    )
    return store


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_count_rows_is_exact_whatever_the_literals_hold(store: ox.Store, fmt: str) -> None:
    """The count is checked against the solutions themselves, counted by iterating the
    query again: literals that look like result syntax must not change it."""
    solutions = len(list(store.query(QUERY)))
    assert solutions == len(NASTY) + 1
    native = write_bindings_natively(store.query(QUERY), fmt, max_rows=100)
    assert native is not None
    body, rows = native
    assert rows == solutions
    assert count_rows(body, fmt) == solutions


def test_count_rows_counts_empty_solutions_exactly() -> None:
    """`{}` (a solution that binds nothing) is told from text holding '{}' by parsing."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(EX_S), ox.NamedNode(EX_P), ox.Literal("[{}] and ,{}")))
    query = "SELECT ?x WHERE { { BIND(1 AS ?y) } UNION { ?s ?p ?x } }"
    body = store.query(query).serialize(format=ox.QueryResultsFormat.JSON)
    assert body is not None
    assert count_rows(body, "json") == 2 == len(list(store.query(query)))


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_empty_and_single_empty_solution(store: ox.Store, fmt: str) -> None:
    empty = write_bindings_natively(store.query("SELECT ?x WHERE { FILTER(false) }"), fmt, 10)
    assert empty is not None and empty[1] == 0
    if fmt in ("json", "xml"):  # CSV/TSV cannot tell one empty row from none
        one = write_bindings_natively(store.query("SELECT * WHERE {}"), fmt, 10)
        assert one is not None and one[1] == 1


def test_more_rows_than_allowed_must_be_cut(store: ox.Store) -> None:
    assert write_bindings_natively(store.query(QUERY), "json", max_rows=3) is None


def test_more_bytes_than_the_cap_must_be_cut(store: ox.Store) -> None:
    assert write_bindings_natively(store.query(QUERY), "json", 100, byte_cap=50) is None


XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    ("lexical", "datatype", "written"),
    [
        ("1.5", "float", f'"1.5"^^<{XSD}float>'),
        ("42", "integer", "42"),
        ("2.5", "decimal", "2.5"),
        ("1000", "double", f'"1000"^^<{XSD}double>'),  # bare 1000 reads back as integer
        ("1.0E3", "double", f'"1000"^^<{XSD}double>'),  # Oxigraph keeps the canonical form
        ("true", "boolean", "true"),
        ("2013", "gYear", f'"2013"^^<{XSD}gYear>'),
    ],
)
def test_tsv_keeps_every_datatype_on_both_paths(lexical: str, datatype: str, written: str) -> None:
    """SPARQL 1.1 TSV writes bare only the integer, decimal, double and boolean tokens
    that read back as the same datatype: Oxigraph's writer and ours (the row-by-row path
    of a cut answer) agree. (Oxigraph stores derived integer types, such as
    xsd:negativeInteger, as xsd:integer already, in every format.)"""
    store = ox.Store()
    value = ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))
    store.add(ox.Quad(ox.NamedNode(EX_S), ox.NamedNode(EX_P), value))
    query = "SELECT ?v WHERE { ?s ?p ?v }"
    native = write_bindings_natively(store.query(query), "tsv", max_rows=10)
    assert native is not None
    ours = BINDINGS_WRITERS["tsv"](["v"], [tuple(s) for s in store.query(query)], None)
    assert native[0].decode().splitlines() == ours.decode().splitlines() == ["?v", written]


@pytest.mark.parametrize(
    ("fmt", "kind"), [("json", "bindings"), ("csv", "bindings"), ("turtle", "graph")]
)
def test_answers_are_cut_to_the_byte_limit_in_whole_rows(fmt: str, kind: str) -> None:
    from kompass_graph.store.execution import execute_query
    from kompass_graph.store.interface import FormatChoice, QueryRequest

    store = ox.Store()
    for i in range(2000):
        store.add(ox.Quad(ox.NamedNode(f"{EX_S}{i}"), ox.NamedNode(EX_P), ox.Literal("x" * 50)))
    query = (
        "SELECT ?s ?o WHERE { ?s ?p ?o }" if kind == "bindings" else "CONSTRUCT WHERE { ?s ?p ?o }"
    )
    formats = FormatChoice(
        fmt if kind == "bindings" else None, None, fmt if kind == "graph" else None
    )
    whole = execute_query(store, QueryRequest(query, formats, max_bytes=10 << 20)).answer
    cut = execute_query(store, QueryRequest(query, formats, max_bytes=20_000)).answer
    assert whole is not None and cut is not None
    assert not whole.truncated and whole.rows == 2000
    assert cut.truncated and cut.cut_by == "bytes"
    assert 0 < cut.rows < 2000 and len(cut.body) <= 20_000
    if fmt == "json":
        document = json.loads(cut.body)
        assert len(document["results"]["bindings"]) == cut.rows
        assert document["kompass"]["truncated"] is True
    if fmt == "turtle":
        assert len(list(ox.parse(cut.body, format=ox.RdfFormat.TURTLE))) == cut.rows
