"""The types a node has, asserted or entailed, and why: a small RDFS closure.

`Schema` reads the class and property axioms of our ontology and of the standard
vocabularies (`kompass_graph/axioms/standard-axioms.ttl`): rdfs:subClassOf and
rdfs:subPropertyOf (owl:equivalentClass / owl:equivalentProperty count as both
directions), rdfs:domain and rdfs:range of named classes, and owl:disjointWith /
owl:AllDisjointClasses. `entailed_types` then gives every node its classes, each with a
`Reason`: an asserted rdf:type, or the domain or range of a property used (through its
rdfs:subPropertyOf chain), followed up the rdfs:subClassOf chain. These are the RDFS
entailment rules rdfs2, rdfs3, rdfs7, rdfs9 and rdfs11 (RDF 1.1 Semantics, section 9.2.1),
computed in plain Python: one pass over the triples plus a lookup per class.

Literals get no types (ranges such as xsd:string or rdfs:Literal say nothing about a node).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from kompass_graph.namespaces import shorten_iri

__all__ = ["Reason", "Schema", "compact", "entailed_types", "load_standard_axioms"]

Triple = tuple[Node, Node, Node]

_AXIOMS = ("axioms", "standard-axioms.ttl")  # inside the package, so it ships in the wheel


def load_standard_axioms() -> Graph:
    """The bundled axioms of PROV-O, FOAF, ORG and SKOS (see the file's comments)."""
    graph = Graph()
    text = resources.files("kompass_graph").joinpath(*_AXIOMS).read_text(encoding="utf-8")
    graph.parse(data=text, format="turtle")
    return graph


def compact(term: Node | str, prefixes: dict[str, str]) -> str:
    """An IRI as prefix:local where a prefix fits (the longest namespace wins), else <IRI>."""
    text = str(term)
    if isinstance(term, BNode):
        return f"_:{text}"
    if isinstance(term, Literal):
        return term.n3()
    return shorten_iri(text, prefixes)


@dataclass(frozen=True)
class Reason:
    """Why a node has a class: how the first class was obtained, then the subclass chain.

    `kind` is "asserted" (rdf:type `chain[0]`), "domain" or "range" (of `via[-1]`, the
    property used being `via[0]`, `via` its rdfs:subPropertyOf chain); `triple` is the
    data triple it comes from.
    """

    kind: str
    chain: tuple[URIRef, ...]
    triple: Triple
    via: tuple[URIRef, ...] = ()

    @property
    def target(self) -> URIRef:
        return self.chain[-1]

    def extended(self, chain: tuple[URIRef, ...]) -> Reason:
        return Reason(self.kind, self.chain + chain[1:], self.triple, self.via)

    def text(self, prefixes: dict[str, str], *, language: str = "en") -> str:
        """e.g. "kg:Project ⊑ prov:Activity (asserted type kg:Project)"."""
        chain = " ⊑ ".join(compact(c, prefixes) for c in self.chain)
        if self.kind == "asserted":
            first = compact(self.chain[0], prefixes)
            return (
                f"{chain} (angegebener Typ {first})"
                if language == "de"
                else (f"{chain} (asserted type {first})")
            )
        prop = compact(self.via[-1], prefixes)
        where = {
            ("domain", "en"): f"from the domain of {prop}",
            ("range", "en"): f"from the range of {prop}",
            ("domain", "de"): f"aus der Domäne (rdfs:domain) von {prop}",
            ("range", "de"): f"aus dem Wertebereich (rdfs:range) von {prop}",
        }[(self.kind, "de" if language == "de" else "en")]
        s, p, o = self.triple
        used = " ".join(compact(t, prefixes) for t in (s, p, o))
        if len(self.via) > 1:
            chain_of = " ⊑ ".join(compact(q, prefixes) for q in self.via)
            used = f"{chain_of}; {used}"
        return f"{chain} {where} ({used})"


@dataclass
class Schema:
    """Class and property axioms, indexed for entailment. Build it with `Schema.of`."""

    superclasses: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    superproperties: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    domains: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    ranges: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    disjoint: set[frozenset[URIRef]] = field(default_factory=set)

    @classmethod
    def of(cls, *graphs: Graph) -> Schema:
        schema = cls()
        for graph in graphs:
            schema._read(graph)
        return schema

    def _read(self, graph: Graph) -> None:
        for edge, target, mutual in (
            (RDFS.subClassOf, self.superclasses, False),
            (OWL.equivalentClass, self.superclasses, True),
            (RDFS.subPropertyOf, self.superproperties, False),
            (OWL.equivalentProperty, self.superproperties, True),
        ):
            for a, b in _named_pairs(graph, edge):
                target.setdefault(a, set()).add(b)
                if mutual:
                    target.setdefault(b, set()).add(a)
        for edge, target in ((RDFS.domain, self.domains), (RDFS.range, self.ranges)):
            for prop, cls in _named_pairs(graph, edge):
                target.setdefault(prop, set()).add(cls)
        for a, b in _named_pairs(graph, OWL.disjointWith):
            if a != b:
                self.disjoint.add(frozenset((a, b)))
        for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
            members = graph.value(axiom, OWL.members)
            if members is None:
                continue
            named = [m for m in Collection(graph, members) if isinstance(m, URIRef)]
            for i, a in enumerate(named):
                self.disjoint.update(frozenset((a, b)) for b in named[i + 1 :] if a != b)

    @cached_property
    def disjoint_classes(self) -> frozenset[URIRef]:
        return frozenset(c for pair in self.disjoint for c in pair)

    def ancestors(self, cls: URIRef) -> dict[URIRef, tuple[URIRef, ...]]:
        """cls and every superclass of it, each with a shortest chain cls ⊑ … ⊑ it."""
        return self._closure(cls, self.superclasses)

    def property_chains(self, prop: URIRef) -> dict[URIRef, tuple[URIRef, ...]]:
        """prop and every superproperty of it, each with a shortest chain prop ⊑ … ⊑ it."""
        return self._closure(prop, self.superproperties)

    @staticmethod
    def _closure(
        start: URIRef, edges: dict[URIRef, set[URIRef]]
    ) -> dict[URIRef, tuple[URIRef, ...]]:
        found: dict[URIRef, tuple[URIRef, ...]] = {start: (start,)}
        queue = deque([start])
        while queue:
            current = queue.popleft()
            for parent in sorted(edges.get(current, ())):
                if parent not in found:
                    found[parent] = (*found[current], parent)
                    queue.append(parent)
        return found


def _named_pairs(graph: Graph, predicate: URIRef) -> Iterator[tuple[URIRef, URIRef]]:
    for s, o in graph.subject_objects(predicate):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            yield s, o


class _Typing:
    """Per-property and per-class lookups, computed once each."""

    def __init__(self, schema: Schema, classes: frozenset[URIRef] | None) -> None:
        self._schema = schema
        self._classes = classes
        self._by_property: dict[URIRef, list[tuple[str, URIRef, tuple[URIRef, ...]]]] = {}
        self._by_class: dict[URIRef, dict[URIRef, tuple[URIRef, ...]]] = {}

    def from_property(self, prop: URIRef) -> list[tuple[str, URIRef, tuple[URIRef, ...]]]:
        """(\"domain\"|\"range\", class, property chain) for every class `prop` entails."""
        if prop not in self._by_property:
            found = []
            for ancestor, chain in self._schema.property_chains(prop).items():
                found += [
                    ("domain", c, chain) for c in sorted(self._schema.domains.get(ancestor, ()))
                ]
                found += [
                    ("range", c, chain) for c in sorted(self._schema.ranges.get(ancestor, ()))
                ]
            self._by_property[prop] = found
        return self._by_property[prop]

    def up(self, cls: URIRef) -> dict[URIRef, tuple[URIRef, ...]]:
        """The superclasses of `cls` (itself included) that are asked for, with chains."""
        if cls not in self._by_class:
            ancestors = self._schema.ancestors(cls)
            if self._classes is not None:
                ancestors = {c: p for c, p in ancestors.items() if c in self._classes}
            self._by_class[cls] = ancestors
        return self._by_class[cls]


def entailed_types(
    triples: Iterable[Triple], schema: Schema, *, only: frozenset[URIRef] | None = None
) -> dict[Node, dict[URIRef, Reason]]:
    """Every node's classes (only those in `only`, when given), each with the first
    reason found for it. Asserted types come before domains and ranges, so the simplest
    reason is the one kept when several hold."""
    typing = _Typing(schema, only)
    direct: dict[Node, dict[URIRef, Reason]] = {}
    later: list[tuple[Node, Reason]] = []
    for s, p, o in triples:
        if not isinstance(p, URIRef):
            continue
        if p == RDF.type:
            if isinstance(o, URIRef):
                direct.setdefault(s, {}).setdefault(o, Reason("asserted", (o,), (s, p, o)))
            continue
        for kind, cls, chain in typing.from_property(p):
            node = s if kind == "domain" else o
            if not isinstance(node, Literal):
                later.append((node, Reason(kind, (cls,), (s, p, o), chain)))
    for node, reason in later:
        direct.setdefault(node, {}).setdefault(reason.target, reason)
    types: dict[Node, dict[URIRef, Reason]] = {}
    for node, reasons in direct.items():
        found: dict[URIRef, Reason] = {}
        for cls, reason in reasons.items():
            for ancestor, chain in typing.up(cls).items():
                if ancestor not in found:
                    found[ancestor] = reason.extended(chain)
        if found:
            types[node] = found
    return types
