"""Serve our IRIs under another base: `Settings.base_iri` applied while loading.

The files in ontology/ and data/ mint every IRI under the canonical base
(`namespaces.DEFAULT_BASE_IRI`); validation runs on them as written. A deployment
under another base (a test server, a mirror) rewrites those IRIs as the quads stream
into the store, so what it serves, and what its query page and stored queries use,
agree with the configured base.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

__all__ = ["Rebase"]

_Subject = ox.NamedNode | ox.BlankNode | ox.Triple
_Object = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
_Graph = ox.NamedNode | ox.BlankNode | ox.DefaultGraph


@dataclass(frozen=True)
class Rebase:
    """Rewrite IRIs that start with `old` to start with `new`."""

    old: str
    new: str

    @property
    def is_identity(self) -> bool:
        return self.old == self.new

    def iri(self, node: ox.NamedNode) -> ox.NamedNode:
        value = node.value
        return (
            ox.NamedNode(self.new + value[len(self.old) :]) if value.startswith(self.old) else node
        )

    def _term(self, term: _Object) -> _Object:
        if isinstance(term, ox.NamedNode):
            return self.iri(term)
        if isinstance(term, ox.Literal) and term.datatype.value.startswith(self.old):
            return ox.Literal(term.value, datatype=self.iri(term.datatype))
        if isinstance(term, ox.Triple):
            return ox.Triple(
                self._subject(term.subject), self.iri(term.predicate), self._term(term.object)
            )
        return term

    def _subject(self, term: _Subject) -> _Subject:
        rebased = self._term(term)
        assert not isinstance(rebased, ox.Literal)
        return rebased

    def _graph(self, graph: _Graph) -> _Graph:
        return self.iri(graph) if isinstance(graph, ox.NamedNode) else graph

    def quads(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        for quad in quads:
            yield ox.Quad(
                self._subject(quad.subject),
                self.iri(quad.predicate),
                self._term(quad.object),
                self._graph(quad.graph_name),
            )
