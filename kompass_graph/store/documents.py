"""RDF documents written from statements read back through the query path.

A resource's page, its `.ttl` and the REST API read statements with SELECT queries
(`kompass_graph.linked_data`), as engine-neutral `Term`s. This module writes such
statements as a document in any graph format of `kompass_graph.formats.FORMATS`: the
named graph of each statement is kept by TriG and N-Quads and dropped (with the
duplicates that leaves) by the triple formats. Only `store/` knows the engine; this is
where its serialisers are used for documents that are not query answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kompass_graph.store.answers import GRAPH_FORMATS
from kompass_graph.terms import Term

__all__ = ["Statement", "write_statements"]

_QUAD_FORMATS = frozenset({"trig", "nquads"})
_PREFIXED_FORMATS = frozenset({"turtle", "trig", "rdfxml"})


@dataclass(frozen=True)
class Statement:
    """One triple and the named graph it stands in (None: the default graph)."""

    subject: Term
    predicate: Term
    object: Term
    graph: Term | None = None


def _node(term: Term) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(term.value) if term.kind == "bnode" else ox.NamedNode(term.value)


def _object(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if term.kind != "literal":
        return _node(term)
    datatype = ox.NamedNode(term.datatype) if term.datatype else None
    return ox.Literal(term.value, language=term.language, datatype=datatype)


def _used_prefixes(statements: Sequence[Statement], prefixes: Mapping[str, str]) -> dict[str, str]:
    iris: set[str] = set()
    for statement in statements:
        for term in (statement.subject, statement.predicate, statement.object, statement.graph):
            if term is not None and term.kind == "iri":
                iris.add(term.value)
            elif term is not None and term.datatype:
                iris.add(term.datatype)
    return {p: ns for p, ns in prefixes.items() if any(iri.startswith(ns) for iri in iris)}


def write_statements(
    statements: Sequence[Statement],
    format_name: str,
    *,
    prefixes: Mapping[str, str] | None = None,
) -> bytes:
    """The statements as a document in `format_name` (a graph format's name), in the
    order given, each triple once; Turtle, TriG and RDF/XML declare those of
    `prefixes` whose namespace an IRI of the statements is in (a document declares what
    it uses, not our whole map), in the map's order."""
    seen: set[ox.Quad] = set()
    quads: list[ox.Quad] = []
    keep_graphs = format_name in _QUAD_FORMATS
    for statement in statements:
        graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph = ox.DefaultGraph()
        if keep_graphs and statement.graph is not None:
            graph = _node(statement.graph)
        quad = ox.Quad(
            _node(statement.subject),
            ox.NamedNode(statement.predicate.value),
            _object(statement.object),
            graph,
        )
        if quad not in seen:
            seen.add(quad)
            quads.append(quad)
    used = (
        _used_prefixes(statements, prefixes)
        if prefixes and format_name in _PREFIXED_FORMATS
        else None
    )
    fmt = GRAPH_FORMATS[format_name]
    if keep_graphs:
        return ox.serialize(quads, format=fmt, prefixes=used) or b""
    return ox.serialize((q.triple for q in quads), format=fmt, prefixes=used) or b""
