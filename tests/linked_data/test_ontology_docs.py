"""The ontology's statements and documentation model, read from a real embedded store."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest

from kompass_graph.linked_data.ontology_docs import document_ontology
from kompass_graph.linked_data.ontology_graph import class_counts, ontology_statements
from kompass_graph.linked_data.paths import ServerPaths
from kompass_graph.linked_data.rows import GraphReader
from kompass_graph.namespaces import DEFAULT_BASE_IRI
from kompass_graph.store.embedded import EmbeddedStore
from kompass_graph.store.interface import QueryAnswer, QueryRequest

FIXTURES = Path(__file__).parents[1] / "web" / "fixtures"
ONTOLOGY_FIXTURE = FIXTURES / "ontology_docs.trig"
NO_ONTOLOGY = FIXTURES / "protocol.trig"

KG = DEFAULT_BASE_IRI + "ontology#"
ONTOLOGY = DEFAULT_BASE_IRI + "ontology"
PATHS = ServerPaths(DEFAULT_BASE_IRI)

T = TypeVar("T")


class InProcessStore:
    """The embedded store's own in-process execution (no workers) behind `execute`."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.store = store

    async def execute(self, request: QueryRequest, *, timeout: float) -> QueryAnswer:
        return self.store.run(request)


def reader_for(path: Path) -> GraphReader:
    store = EmbeddedStore(entailment_base=DEFAULT_BASE_IRI)
    store.load([path])
    return GraphReader(InProcessStore(store), timeout=10)  # type: ignore[arg-type]


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


@pytest.fixture(scope="module")
def reader() -> GraphReader:
    return reader_for(ONTOLOGY_FIXTURE)


def test_the_statements_are_the_ontology_its_declared_terms_and_their_blank_nodes(
    reader: GraphReader,
) -> None:
    statements = run(ontology_statements(reader, base_iri=DEFAULT_BASE_IRI))
    subjects = [s.subject for s in statements]
    iris = {s.value for s in subjects if s.kind == "iri"}
    assert iris == {ONTOLOGY, KG + "Thing", KG + "Project", KG + "partOf", KG + "code"}
    # the ontology's statements come first, the blank nodes' last
    assert subjects[0].value == ONTOLOGY
    assert [s.predicate.value for s in statements[:1]] == [
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    ]
    blanks = [s for s in statements if s.subject.kind == "bnode"]
    assert {(s.predicate.value, s.object.value) for s in blanks} == {
        (
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
            "http://www.w3.org/2002/07/owl#Restriction",
        ),
        ("http://www.w3.org/2002/07/owl#onProperty", KG + "partOf"),
        ("http://www.w3.org/2002/07/owl#someValuesFrom", "https://example.org/vocab#Other"),
    }
    assert statements[-len(blanks) :] == blanks
    # 9 about the ontology, 6 + 6 + 7 + 4 about the terms, 3 about the restriction
    assert len(statements) == 9 + 6 + 6 + 7 + 4 + 3
    assert all(s.graph is None for s in statements)


def test_a_store_without_the_ontology_has_no_statements_and_no_documentation() -> None:
    reader = reader_for(NO_ONTOLOGY)
    assert run(ontology_statements(reader, base_iri=DEFAULT_BASE_IRI)) == []
    assert run(document_ontology(reader, paths=PATHS, language="de")) is None
    assert run(class_counts(reader, base_iri=DEFAULT_BASE_IRI, language="de")) == []


def test_the_class_counts_include_entailed_types(reader: GraphReader) -> None:
    counts = run(class_counts(reader, base_iri=DEFAULT_BASE_IRI, language="en"))
    assert [(c.anchor, c.label, c.instances) for c in counts] == [
        ("Thing", "Thing", 3),  # actor:x, and both projects through rdfs:subClassOf
        ("Project", "Project", 2),
        ("SourceDocument", "SourceDocument", 1),  # no label: its local name
    ]


def test_the_documentation_in_german(reader: GraphReader) -> None:
    doc = run(document_ontology(reader, paths=PATHS, language="de"))
    assert doc is not None
    assert doc.title is not None and (doc.title.text, doc.title.language) == ("Testontologie", "de")
    assert doc.description is not None and doc.description.text == "Nur zum Testen."
    assert doc.version_info == "9.9.9"
    assert doc.version is not None and doc.version.href == "/ontology/9.9.9"
    assert [link.iri for link in doc.licences] == ["https://example.org/licence"]
    assert doc.creators == ["Testers"]
    # by German label: Ding, Projekt
    assert [c.anchor for c in doc.classes] == ["Thing", "Project"]
    thing, project = doc.classes
    assert thing.label == "Ding" and thing.curie == "kg:Thing"
    assert [(t.text, t.language) for t in thing.labels] == [("Ding", "de"), ("Thing", "en")]
    assert thing.definition is not None and thing.definition.text == "Ein Ding."
    assert [(s.href, s.text) for s in thing.super_classes] == [
        ("http://xmlns.com/foaf/0.1/Agent", "foaf:Agent")
    ]
    assert [(s.href, s.text) for s in thing.sub_classes] == [("#Project", "Projekt")]
    assert [r.href for r in thing.range_of] == ["#partOf"]
    assert thing.domain_of == []
    assert thing.instance_count == 3
    assert [e.href for e in thing.examples] == [
        "/id/actor/x",
        "/id/project/a",
        "/id/project/b",
    ]
    # the restriction is a blank node: served, but not listed as a super-class
    assert [(s.href, s.text) for s in project.super_classes] == [("#Thing", "Ding")]
    assert [d.href for d in project.domain_of] == ["#partOf"]
    assert project.instance_count == 2
    assert [(e.href, e.text) for e in project.examples] == [
        ("/id/project/a", "</script><script>alert(1)</script> A"),
        ("/id/project/b", "<b>B</b> & Co"),
    ]
    assert [p.anchor for p in doc.properties] == ["code", "partOf"]  # Kennung, Teil von
    code, part_of = doc.properties
    assert code.kinds == ["DatatypeProperty"] and code.characteristics == []
    assert [r.href for r in code.ranges] == ["http://www.w3.org/2001/XMLSchema#string"]
    assert part_of.kinds == ["ObjectProperty"]
    assert part_of.characteristics == ["Functional"]
    assert [(d.href, d.text) for d in part_of.domains] == [("#Project", "Projekt")]
    assert [(r.href, r.text) for r in part_of.ranges] == [("#Thing", "Ding")]
    assert [(s.href, s.curie) for s in part_of.super_properties] == [
        ("http://purl.org/dc/terms/isPartOf", "dcterms:isPartOf")
    ]


def test_the_documentation_in_english_falls_back_where_a_text_is_missing(
    reader: GraphReader,
) -> None:
    doc = run(document_ontology(reader, paths=PATHS, language="en"))
    assert doc is not None
    assert doc.title is not None and doc.title.text == "Test ontology"
    assert [c.label for c in doc.classes] == ["Project", "Thing"]
    project = doc.classes[0]
    # no English comment: the German one, tagged so the page can say so
    assert project.definition is not None
    assert (project.definition.text, project.definition.language) == ("Ein Projekt.", "de")
    assert [e.text for e in project.examples] == ["Project A", "<b>B</b> & Co"]
    assert [p.label for p in doc.properties] == ["code", "part of"]
