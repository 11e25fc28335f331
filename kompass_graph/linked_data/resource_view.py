"""A resource as a page shows it: labelled, grouped, each fact with its source.

`build_resource_view` asks the store (through `describe`, `labels`, `registries`) and
returns plain data for the template: no HTML here, and every text is data the
template escapes. Properties are grouped by what they say (names and description,
relations, participation and funding, identifiers, provenance, other); the statements
the ontology entails (graph `<base>graph/entailed`) are kept apart, since no source
states them. Every IRI is shown by its label in the page language, else by its
prefixed name (`shorten_iri`), and links to this server for our IRIs.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from kompass_graph.linked_data.describe import (
    Description,
    Fact,
    IncomingPage,
    describe_resource,
    incoming_links,
)
from kompass_graph.linked_data.labels import labels_for
from kompass_graph.linked_data.paths import ServerPaths
from kompass_graph.linked_data.property_groups import GROUP_ORDER, GROUP_TITLES, group_of
from kompass_graph.linked_data.registries import (
    KEY_PROPERTIES,
    IdentifierLink,
    identifier_links,
    registry_url,
)
from kompass_graph.linked_data.rows import GraphReader
from kompass_graph.namespaces import KG, RDF, SKOS, XSD, prefix_map, shorten_iri
from kompass_graph.store.materialise import entailed_graph_iri
from kompass_graph.terms import Term

__all__ = [
    "Entry",
    "Group",
    "IncomingRow",
    "PropertyRow",
    "ResourceView",
    "Source",
    "Value",
    "build_resource_view",
]


@dataclass(frozen=True)
class Value:
    """A term as shown: its text, where it links (None: nowhere), the full IRI (for a
    title), a literal's language tag and shortened datatype, and a registry link."""

    text: str
    href: str | None = None
    iri: str | None = None
    language: str | None = None
    datatype: str | None = None
    registry: str | None = None


@dataclass(frozen=True)
class Source:
    """The graph a statement stands in: its label, page and kind (None: default graph)."""

    text: str
    href: str | None
    kind: str | None


@dataclass(frozen=True)
class Entry:
    value: Value
    source: Source


@dataclass(frozen=True)
class PropertyRow:
    property: Value
    entries: list[Entry]


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    rows: list[PropertyRow]


@dataclass(frozen=True)
class IncomingRow:
    subject: Value
    property: Value
    source: Source


@dataclass(frozen=True)
class ResourceView:
    """Everything a resource page shows."""

    iri: str
    title: str
    types: list[Value]
    entailed_types: list[Value]
    groups: list[Group]
    identifiers: list[tuple[Value, Value]]
    incoming: list[IncomingRow]
    incoming_page: IncomingPage
    description: Description
    labels: dict[str, str] = field(default_factory=dict)


_PLAIN_DATATYPES = frozenset({str(XSD.string), str(RDF.langString)})
_DEFAULT_GRAPH = {
    "de": "Standardgraph (Ontologie, Codelisten, Herkunftsangaben)",
    "en": "Default graph (ontology, code lists, provenance records)",
}


@dataclass
class _Labeller:
    """Turns terms into `Value`s and graphs into `Source`s with the labels found."""

    paths: ServerPaths
    labels: dict[str, str]
    lang: str
    prefixes: dict[str, str]

    def name(self, iri: str) -> str:
        if iri in self.labels:
            return self.labels[iri]
        short = shorten_iri(iri, self.prefixes)
        return iri if short.startswith("<") else short

    def iri(self, iri: str) -> Value:
        return Value(self.name(iri), href=self.paths.link_for(iri), iri=iri)

    def term(self, term: Term, *, registry: str | None = None) -> Value:
        if term.kind == "iri":
            return self.iri(term.value)
        if term.kind == "bnode":
            return Value(f"_:{term.value}")
        datatype = None
        if term.datatype and term.datatype not in _PLAIN_DATATYPES:
            datatype = shorten_iri(term.datatype, self.prefixes)
        return Value(term.value, language=term.language, datatype=datatype, registry=registry)

    def source(self, graph: Term | None, kind: Term | None) -> Source:
        if graph is None:
            return Source(_DEFAULT_GRAPH[self.lang], None, None)
        kind_text = self.name(kind.value) if kind is not None else None
        return Source(self.name(graph.value), self.paths.link_for(graph.value), kind_text)


def _iris_to_label(description: Description, page: IncomingPage) -> set[str]:
    wanted = {description.iri}
    for fact in description.facts:
        wanted.add(fact.predicate.value)
        for term in (fact.object, fact.graph, fact.graph_kind):
            if term is not None and term.kind == "iri":
                wanted.add(term.value)
    for link in page.links:
        wanted.update(t.value for t in (link.subject, link.predicate, link.graph) if t)
    return wanted


def _registry_link(fact: Fact, facts: list[Fact], base_iri: str) -> str | None:
    """The registry URL of a key literal (`kg:ags "06436004"`), or of an identifier
    node's own notation."""
    if fact.object.kind != "literal":
        return None
    scheme = KEY_PROPERTIES.get(fact.predicate.value)
    if scheme is not None:
        scheme_iri = f"{base_iri}concept/identifier-scheme/{scheme}"
        return registry_url(scheme_iri, fact.object.value, base_iri=base_iri)
    if fact.predicate.value == str(SKOS.notation):
        schemes = [f.object.value for f in facts if f.predicate.value == str(KG.identifierScheme)]
        if schemes:
            return registry_url(schemes[0], fact.object.value, base_iri=base_iri)
    return None


def _groups(facts: list[Fact], labeller: _Labeller, entailed: str, base_iri: str) -> list[Group]:
    rows: dict[str, dict[str, list[Entry]]] = {}
    for fact in facts:
        if fact.predicate.value == str(RDF.type):
            continue
        if fact.graph is not None and fact.graph.value == entailed:
            key = "entailed"
        else:
            key = group_of(fact.predicate.value, object_is_iri=fact.object.kind == "iri")
        value = labeller.term(fact.object, registry=_registry_link(fact, facts, base_iri))
        entry = Entry(value, labeller.source(fact.graph, fact.graph_kind))
        rows.setdefault(key, {}).setdefault(fact.predicate.value, []).append(entry)
    groups = []
    for key in (*GROUP_ORDER, "entailed"):
        if key not in rows:
            continue
        by_property = sorted(rows[key].items(), key=lambda item: labeller.name(item[0]).lower())
        property_rows = [
            PropertyRow(labeller.iri(prop), sorted(entries, key=lambda e: e.value.text.lower()))
            for prop, entries in by_property
        ]
        groups.append(Group(key, GROUP_TITLES[key][labeller.lang], property_rows))
    return groups


def _identifier_values(
    links: list[IdentifierLink], labeller: _Labeller
) -> list[tuple[Value, Value]]:
    """(scheme, notation linked to its registry) for each identifier."""
    return [
        (labeller.iri(link.scheme), Value(link.notation, href=link.href, iri=link.identifier))
        for link in links
    ]


async def build_resource_view(
    reader: GraphReader,
    paths: ServerPaths,
    iri: str,
    *,
    lang: str,
    incoming_offset: int,
    incoming_limit: int,
) -> ResourceView:
    """The view of `iri` in `lang`, with one page of its incoming links."""
    description, page, identifiers = await asyncio.gather(
        describe_resource(reader, iri),
        incoming_links(reader, iri, offset=incoming_offset, limit=incoming_limit),
        identifier_links(reader, iri, base_iri=paths.base_iri),
    )
    wanted = _iris_to_label(description, page)
    wanted.update(link.scheme for link in identifiers)
    labels = await labels_for(reader, wanted, lang)
    labeller = _Labeller(paths, labels, lang, prefix_map(paths.base_iri))
    entailed = entailed_graph_iri(paths.base_iri)
    stated_types: list[Value] = []
    entailed_types: list[Value] = []
    for fact in description.facts:
        if fact.predicate.value == str(RDF.type) and fact.object.kind == "iri":
            is_entailed = fact.graph is not None and fact.graph.value == entailed
            (entailed_types if is_entailed else stated_types).append(
                labeller.iri(fact.object.value)
            )
    incoming = [
        IncomingRow(
            labeller.term(link.subject),
            labeller.iri(link.predicate.value),
            labeller.source(link.graph, None),
        )
        for link in page.links
    ]
    # by label, then by IRI: two properties may share a label (eurio:funds, frapo:funds)
    incoming.sort(
        key=lambda row: (
            row.property.text.lower(),
            row.subject.text.lower(),
            row.property.iri or "",
            row.subject.iri or row.subject.text,
        )
    )
    return ResourceView(
        iri=iri,
        title=labeller.name(iri),
        types=_unique(stated_types),
        entailed_types=_unique(entailed_types),
        groups=_groups(description.facts, labeller, entailed, paths.base_iri),
        identifiers=_identifier_values(identifiers, labeller),
        incoming=incoming,
        incoming_page=page,
        description=description,
        labels=labels,
    )


def _unique(values: list[Value]) -> list[Value]:
    seen: dict[str | None, Value] = {}
    for value in values:
        seen.setdefault(value.iri, value)
    return sorted(seen.values(), key=lambda v: v.text.lower())
