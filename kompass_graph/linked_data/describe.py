"""What the graph says about one resource: its statements with their graphs, and the
statements pointing at it, counted and one page at a time.

A resource's description is every statement with the resource as subject, each in the
graph it stands in (a named graph per source; None for the default graph, where the
ontology, the code lists and the provenance records stand), plus the statements of the
blank nodes it points to. That is what its RDF documents hold: every statement in them
is about the resource, and the graph of each is its source. Labels of the resources it
links to are left out on purpose: they are statements about other resources, each of
which resolves to its own document (and one SPARQL query fetches them all).

Incoming links ("referenced by") can be many (a code-list concept is the object of
every statement that uses it): they are counted, and read one page at a time with
LIMIT/OFFSET in the store's own order, without ORDER BY, which would sort every link
to show fifty. The store is read-only while the server runs, so the order is stable.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from kompass_graph.linked_data.rows import GraphReader, Row
from kompass_graph.namespaces import KG
from kompass_graph.store.documents import Statement
from kompass_graph.terms import Term

__all__ = [
    "Description",
    "Fact",
    "IncomingLink",
    "IncomingPage",
    "describe_resource",
    "description_statements",
    "graph_statement_count",
    "incoming_links",
    "resource_exists",
]

# Each statement once per graph it stands in: the named graphs, then the default graph's
# statements (in the union default graph, but in no named graph).
_OUTGOING = f"""
SELECT ?s ?p ?o ?g ?kind WHERE {{
  {{ GRAPH ?g {{ ?s ?p ?o }} OPTIONAL {{ ?g <{KG.graphKind}> ?kind }} }}
  UNION
  {{ ?s ?p ?o FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} }} }}
}}
"""

_BLANK = """
SELECT ?s ?b ?p ?o ?g WHERE {
  ?s ?link ?b . FILTER (isBlank(?b))
  { GRAPH ?g { ?b ?p ?o } } UNION { ?b ?p ?o FILTER NOT EXISTS { GRAPH ?h { ?b ?p ?o } } }
}
"""

_INCOMING = """
SELECT ?o ?x ?p ?g WHERE {
  { GRAPH ?g { ?x ?p ?o } } UNION { ?x ?p ?o FILTER NOT EXISTS { GRAPH ?h { ?x ?p ?o } } }
}
"""
_INCOMING_COUNT = """
SELECT ?o (COUNT(*) AS ?n) WHERE {
  { GRAPH ?g { ?x ?p ?o } } UNION { ?x ?p ?o FILTER NOT EXISTS { GRAPH ?h { ?x ?p ?o } } }
} GROUP BY ?o
"""

_EXISTS = """
ASK { { ?s ?p ?o } UNION { ?x ?q ?s } UNION { GRAPH ?s { ?a ?b ?c } } }
"""

_GRAPH_SIZE = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@dataclass(frozen=True)
class Fact:
    """One statement about the resource: predicate, object, the graph it stands in
    (None: the default graph) and that graph's kind (`kg:graphKind`), if stated."""

    predicate: Term
    object: Term
    graph: Term | None
    graph_kind: Term | None = None


@dataclass(frozen=True)
class Description:
    """A resource's own statements, and those of the blank nodes it points to."""

    iri: str
    facts: list[Fact]
    blank_node_statements: list[Statement]

    @property
    def types(self) -> list[str]:
        """The IRIs of the resource's `rdf:type`s, each once, in statement order."""
        seen: dict[str, None] = {}
        for fact in self.facts:
            if fact.predicate.value == _RDF_TYPE and fact.object.kind == "iri":
                seen.setdefault(fact.object.value)
        return list(seen)


@dataclass(frozen=True)
class IncomingLink:
    """A statement `subject predicate <resource>` in `graph` (None: the default graph)."""

    subject: Term
    predicate: Term
    graph: Term | None


@dataclass(frozen=True)
class IncomingPage:
    """One page of the links pointing at a resource, and how many there are in all."""

    total: int
    offset: int
    limit: int
    links: list[IncomingLink]

    @property
    def next_offset(self) -> int | None:
        following = self.offset + self.limit
        return following if following < self.total else None

    @property
    def previous_offset(self) -> int | None:
        return max(self.offset - self.limit, 0) if self.offset > 0 else None


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _fact(row: Row) -> Fact:
    return Fact(row["p"], row["o"], row.get("g"), row.get("kind"))


async def resource_exists(reader: GraphReader, iri: str) -> bool:
    """True when `iri` is the subject or object of a statement, or names a graph."""
    return await reader.ask(_EXISTS, source="resource exists", bindings={"s": Term.iri(iri)})


async def describe_resource(reader: GraphReader, iri: str) -> Description:
    """The statements about `iri` (see the module docstring), in the store's order."""
    bound = {"s": Term.iri(iri)}
    outgoing, blank = await asyncio.gather(
        reader.select(_OUTGOING, source="resource statements", bindings=bound),
        reader.select(_BLANK, source="resource blank nodes", bindings=bound),
    )
    blank_statements = [Statement(row["b"], row["p"], row["o"], row.get("g")) for row in blank.rows]
    blank_statements.sort(
        key=lambda s: (*_order(s.subject), *_order(s.predicate), *_order(s.object))
    )
    # in one order whatever the store's: every store answers the same documents and pages
    facts = sorted(
        (_fact(row) for row in outgoing.rows),
        key=lambda f: (*_order(f.predicate), *_order(f.object), *_order(f.graph)),
    )
    return Description(iri, facts, blank_statements)


def _order(term: Term | None) -> tuple[str, str, str, str]:
    if term is None:
        return ("", "", "", "")
    return (term.kind, term.value, term.language or "", term.datatype or "")


def description_statements(description: Description) -> list[Statement]:
    """The description as statements, for `kompass_graph.store.documents.write_statements`."""
    subject = Term.iri(description.iri)
    own = [Statement(subject, f.predicate, f.object, f.graph) for f in description.facts]
    return own + description.blank_node_statements


async def incoming_links(reader: GraphReader, iri: str, *, offset: int, limit: int) -> IncomingPage:
    """The links to `iri` from `offset` on, at most `limit`, and their total count."""
    bound = {"o": Term.iri(iri)}
    page_query = f"{_INCOMING} LIMIT {int(limit)} OFFSET {int(offset)}"
    counted, page = await asyncio.gather(
        reader.select(_INCOMING_COUNT, source="incoming link count", bindings=bound),
        reader.select(page_query, source="incoming links", bindings=bound),
    )
    total = int(counted.rows[0]["n"].value) if counted.rows else 0
    links = [IncomingLink(row["x"], row["p"], row.get("g")) for row in page.rows]
    return IncomingPage(total=total, offset=offset, limit=limit, links=links)


async def graph_statement_count(reader: GraphReader, graph_iri: str) -> int:
    """How many statements stand in the named graph `graph_iri` (0 when it is none)."""
    answer = await reader.select(
        _GRAPH_SIZE, source="graph size", bindings={"g": Term.iri(graph_iri)}
    )
    return int(answer.rows[0]["n"].value) if answer.rows else 0
