"""The documentation of the ontology, as data for a page, in one language.

Built from exactly the statements `/ontology` serves (`ontology_graph.ontology_statements`),
plus each class's instance count and a few example instances: for every class its
labels, definition, super-classes (our own and the standard vocabularies it is aligned
to), sub-classes and the properties whose domain or range it is; for every property
its kinds, characteristics (Functional, …), domains, ranges, super-properties and
inverses. Our terms link to their section (`#Project`), our other IRIs to their page
on this server, anything else to the IRI itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kompass_graph.linked_data.ontology_graph import (
    LangText,
    TermLink,
    class_counts,
    display_name,
    instances,
    ontology_iris,
    ontology_statements,
    text_in,
    text_sort_key,
)
from kompass_graph.linked_data.paths import ServerPaths
from kompass_graph.linked_data.rows import GraphReader
from kompass_graph.namespaces import DCTERMS, OWL, RDF, RDFS, SKOS, VANN, prefix_map
from kompass_graph.store.documents import Statement
from kompass_graph.terms import Term

__all__ = ["EXAMPLES_PER_CLASS", "ClassDoc", "OntologyDoc", "PropertyDoc", "document_ontology"]

#: example instances shown per class
EXAMPLES_PER_CLASS = 5

_CLASS_TYPES = frozenset({str(OWL.Class), str(RDFS.Class)})
_PROPERTY_TYPES = {
    str(OWL.ObjectProperty): "ObjectProperty",
    str(OWL.DatatypeProperty): "DatatypeProperty",
    str(OWL.AnnotationProperty): "AnnotationProperty",
    str(RDF.Property): "Property",
}
_CHARACTERISTICS = {
    str(OWL[name + "Property"]): name
    for name in (
        "Functional",
        "InverseFunctional",
        "Transitive",
        "Symmetric",
        "Asymmetric",
        "Reflexive",
        "Irreflexive",
    )
}


@dataclass(frozen=True)
class ClassDoc:
    anchor: str
    iri: str
    curie: str
    label: str
    labels: list[LangText]
    definition: LangText | None
    super_classes: list[TermLink]
    equivalent_classes: list[TermLink]
    sub_classes: list[TermLink]
    domain_of: list[TermLink]
    range_of: list[TermLink]
    instance_count: int
    examples: list[TermLink]


@dataclass(frozen=True)
class PropertyDoc:
    anchor: str
    iri: str
    curie: str
    label: str
    labels: list[LangText]
    definition: LangText | None
    kinds: list[str]
    characteristics: list[str]
    domains: list[TermLink]
    ranges: list[TermLink]
    super_properties: list[TermLink]
    sub_properties: list[TermLink]
    inverses: list[TermLink]


@dataclass(frozen=True)
class OntologyDoc:
    """The documentation of the ontology in one language (`language`)."""

    iri: str
    namespace: str
    language: str
    title: LangText | None
    description: LangText | None
    version_info: str | None
    #: the version IRI (owl:versionIRI), linked to where this server serves it
    version: TermLink | None
    prior_versions: list[TermLink]
    licences: list[TermLink]
    creators: list[str]
    created: str | None
    modified: str | None
    preferred_prefix: str | None
    see_also: list[TermLink]
    classes: list[ClassDoc]
    properties: list[PropertyDoc]


class _Index:
    """The ontology's statements by subject and predicate, and links to its terms."""

    def __init__(self, statements: Sequence[Statement], paths: ServerPaths, language: str):
        self.language = language
        self.paths = paths
        self.namespace = ontology_iris(paths.base_iri)[1]
        self.prefixes = prefix_map(paths.base_iri)
        self.values: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for s in statements:
            if s.subject.kind == "iri":
                self.values[s.subject.value][s.predicate.value].append(s.object)

    def get(self, subject: str, predicate: object) -> list[Term]:
        return self.values.get(subject, {}).get(str(predicate), [])

    def iris(self, subject: str, predicate: object) -> list[str]:
        return [t.value for t in self.get(subject, predicate) if t.kind == "iri"]

    def is_term(self, iri: str) -> bool:
        return iri.startswith(self.namespace) and iri in self.values

    def label(self, iri: str) -> str:
        picked = text_in(self.get(iri, RDFS.label) or self.get(iri, SKOS.prefLabel), self.language)
        return picked.text if picked else display_name(iri, self.prefixes)

    def link(self, iri: str) -> TermLink:
        curie = display_name(iri, self.prefixes)
        if iri.startswith(self.namespace):
            return TermLink(iri, self.label(iri), "#" + iri[len(self.namespace) :], curie)
        return TermLink(iri, curie, self.paths.link_for(iri), curie)

    def links(self, iris: Iterable[str]) -> list[TermLink]:
        return sorted((self.link(i) for i in set(iris)), key=lambda k: text_sort_key(k.text))

    def referring(self, predicate: object, target: str) -> list[str]:
        """Our terms that state `predicate target`."""
        return [t for t in self.values if self.is_term(t) and target in self.iris(t, predicate)]

    def labels(self, iri: str) -> list[LangText]:
        found = [LangText(t.value, t.language or "") for t in self.get(iri, RDFS.label)]
        return sorted(found, key=lambda t: t.language)

    def definition(self, iri: str) -> LangText | None:
        return text_in(self.get(iri, SKOS.definition), self.language) or text_in(
            self.get(iri, RDFS.comment), self.language
        )


async def document_ontology(
    reader: GraphReader, *, paths: ServerPaths, language: str
) -> OntologyDoc | None:
    """The ontology's documentation in `language`; None when the store holds no
    statement about the ontology IRI."""
    ontology, namespace = ontology_iris(paths.base_iri)
    statements = await ontology_statements(reader, base_iri=paths.base_iri)
    index = _Index(statements, paths, language)
    if ontology not in index.values:
        return None
    counts = {
        c.iri: c.instances
        for c in await class_counts(reader, base_iri=paths.base_iri, language=language)
    }
    terms = sorted(
        (t for t in index.values if index.is_term(t)), key=lambda t: text_sort_key(index.label(t))
    )
    classes = []
    properties = []
    for term in terms:
        types = set(index.iris(term, RDF.type))
        if types & _CLASS_TYPES:
            examples = []
            if counts.get(term):
                examples = await instances(
                    reader, term, paths=paths, language=language, limit=EXAMPLES_PER_CLASS
                )
            classes.append(_class_doc(index, term, counts.get(term, 0), examples))
        if types & _PROPERTY_TYPES.keys():
            properties.append(_property_doc(index, term, types))
    single = index.get(ontology, OWL.versionInfo)
    return OntologyDoc(
        iri=ontology,
        namespace=namespace,
        language=language,
        title=text_in(
            index.get(ontology, DCTERMS.title) or index.get(ontology, RDFS.label), language
        ),
        description=text_in(
            index.get(ontology, DCTERMS.description) or index.get(ontology, RDFS.comment), language
        ),
        version_info=single[0].value if single else None,
        version=next(iter(index.links(index.iris(ontology, OWL.versionIRI))), None),
        prior_versions=index.links(index.iris(ontology, OWL.priorVersion)),
        licences=index.links(index.iris(ontology, DCTERMS.license)),
        creators=sorted(t.value for t in index.get(ontology, DCTERMS.creator)),
        created=_first_value(index.get(ontology, DCTERMS.created)),
        modified=_first_value(index.get(ontology, DCTERMS.modified)),
        preferred_prefix=_first_value(index.get(ontology, VANN.preferredNamespacePrefix)),
        see_also=index.links(index.iris(ontology, RDFS.seeAlso)),
        classes=classes,
        properties=properties,
    )


def _first_value(values: Sequence[Term]) -> str | None:
    return min((v.value for v in values), default=None)


def _class_doc(index: _Index, term: str, instances: int, examples: list[TermLink]) -> ClassDoc:
    return ClassDoc(
        anchor=term[len(index.namespace) :],
        iri=term,
        curie=display_name(term, index.prefixes),
        label=index.label(term),
        labels=index.labels(term),
        definition=index.definition(term),
        super_classes=index.links(index.iris(term, RDFS.subClassOf)),
        equivalent_classes=index.links(index.iris(term, OWL.equivalentClass)),
        sub_classes=index.links(index.referring(RDFS.subClassOf, term)),
        domain_of=index.links(index.referring(RDFS.domain, term)),
        range_of=index.links(index.referring(RDFS.range, term)),
        instance_count=instances,
        examples=examples,
    )


def _property_doc(index: _Index, term: str, types: set[str]) -> PropertyDoc:
    inverses = index.iris(term, OWL.inverseOf) + index.referring(OWL.inverseOf, term)
    return PropertyDoc(
        anchor=term[len(index.namespace) :],
        iri=term,
        curie=display_name(term, index.prefixes),
        label=index.label(term),
        labels=index.labels(term),
        definition=index.definition(term),
        kinds=[name for iri, name in _PROPERTY_TYPES.items() if iri in types],
        characteristics=[name for iri, name in _CHARACTERISTICS.items() if iri in types],
        domains=index.links(index.iris(term, RDFS.domain)),
        ranges=index.links(index.iris(term, RDFS.range)),
        super_properties=index.links(
            index.iris(term, RDFS.subPropertyOf) + index.iris(term, OWL.equivalentProperty)
        ),
        sub_properties=index.links(index.referring(RDFS.subPropertyOf, term)),
        inverses=index.links(inverses),
    )
