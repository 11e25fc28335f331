"""VoID counts equal the dump's, computed independently from `EmbeddedStore.dump`."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from kompass_graph.namespaces import VOID
from kompass_graph.publish.facts import ReleaseFacts, SelectRunner
from kompass_graph.publish.void import describe_void
from kompass_graph.store.embedded import EmbeddedStore
from tests.publish.metadata_fixture import facts, project_store, run

__all__ = ["facts", "project_store", "run"]  # the fixtures this module uses

BASE = "https://w3id.org/kompass-graph/"
DATASET = URIRef(BASE + "id/release/dataset")
RDF_TYPE = ox.NamedNode(str(RDF.type))


@pytest.fixture(scope="module")
def void(facts: ReleaseFacts, run: SelectRunner) -> rdflib.Graph:
    return describe_void(facts, run)


@pytest.fixture(scope="module")
def triples(project_store: EmbeddedStore) -> set[tuple[ox.Term, ox.Term, ox.Term]]:
    """The distinct triples of the N-Quads dump (graph names dropped)."""
    dump = project_store.dump("nquads")
    quads = list(ox.parse(dump, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len([line for line in dump.splitlines() if line.strip()])
    return {(q.subject, q.predicate, q.object) for q in quads}


def _int(graph: rdflib.Graph, node: URIRef, prop: URIRef) -> int:
    value = graph.value(node, prop)
    assert isinstance(value, Literal) and value.datatype == XSD.integer
    return int(value)


def test_void_triples_equal_the_distinct_triples_of_the_dump(
    void: rdflib.Graph, triples: set[tuple[ox.Term, ox.Term, ox.Term]], project_store: EmbeddedStore
) -> None:
    assert _int(void, DATASET, VOID.triples) == len(triples)
    # our data puts no triple into two graphs: the N-Quads dump has as many lines
    lines = [line for line in project_store.dump("nquads").splitlines() if line.strip()]
    assert _int(void, DATASET, VOID.triples) == len(lines) == 2412


def test_totals_equal_the_dump(
    void: rdflib.Graph, triples: set[tuple[ox.Term, ox.Term, ox.Term]]
) -> None:
    assert _int(void, DATASET, VOID.properties) == len({p for _, p, _ in triples})
    assert _int(void, DATASET, VOID.classes) == len({o for _, p, o in triples if p == RDF_TYPE})
    assert _int(void, DATASET, VOID.distinctSubjects) == len({s for s, _, _ in triples})
    assert _int(void, DATASET, VOID.distinctObjects) == len({o for _, _, o in triples})
    ours = {s for s, _, _ in triples if isinstance(s, ox.NamedNode) and s.value.startswith(BASE)}
    assert _int(void, DATASET, VOID.entities) == len(ours)
    assert void.value(DATASET, VOID.uriSpace) == Literal(BASE)


def test_every_class_and_property_partition_counts_as_the_dump(
    void: rdflib.Graph, triples: set[tuple[ox.Term, ox.Term, ox.Term]]
) -> None:
    instances: dict[str, set[ox.Term]] = {}
    for s, p, o in triples:
        if p == RDF_TYPE and isinstance(o, ox.NamedNode):
            instances.setdefault(o.value, set()).add(s)
    by_class = {
        str(void.value(part, VOID["class"])): _int(void, part, VOID.entities)
        for part in void.objects(DATASET, VOID.classPartition)
    }
    assert by_class == {kind: len(members) for kind, members in instances.items()}
    by_property = {
        str(void.value(part, VOID.property)): _int(void, part, VOID.triples)
        for part in void.objects(DATASET, VOID.propertyPartition)
    }
    assert by_property == dict(Counter(p.value for _, p, _ in triples))
    assert by_class[BASE + "ontology#Municipality"] == 7


def test_linksets_count_the_links_of_the_dump(
    void: rdflib.Graph, triples: set[tuple[ox.Term, ox.Term, ox.Term]]
) -> None:
    found = {}
    for linkset in void.subjects(RDF.type, VOID.Linkset):
        external = void.value(linkset, VOID.objectsTarget)
        space = str(void.value(external, VOID.uriSpace))
        predicate = str(void.value(linkset, VOID.linkPredicate))
        assert void.value(linkset, VOID.subjectsTarget) == DATASET
        assert set(void.objects(linkset, VOID.target)) == {DATASET, external}
        found[(space, predicate)] = _int(void, linkset, VOID.triples)
    spatial = "http://purl.org/dc/terms/spatial"
    language = "http://purl.org/dc/terms/language"
    geocoding = "http://dcat-ap.de/def/politicalGeocoding/"
    expected = {
        (geocoding + "municipalityKey/", spatial): 7,
        (geocoding + "districtKey/", spatial): 7,
        (geocoding + "stateKey/", spatial): 1,
        ("http://data.europa.eu/nuts/code/", spatial): 8,
        ("http://publications.europa.eu/resource/authority/language/", language): 4,
    }
    assert found == expected
    for (space, predicate), count in expected.items():
        direct = [
            1
            for _, p, o in triples
            if p.value == predicate and isinstance(o, ox.NamedNode) and o.value.startswith(space)
        ]
        assert len(direct) == count


def test_endpoint_dumps_and_examples(void: rdflib.Graph, facts: ReleaseFacts) -> None:
    assert void.value(DATASET, RDF.type) == VOID.Dataset
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef(BASE + "sparql")
    dumps = {str(d) for d in void.objects(DATASET, VOID.dataDump)}
    assert len(dumps) == 12
    assert dumps == {
        BASE + "download/" + d.name
        for d in facts.distributions
        if d.name.startswith("kompass-graph.")
    }
    examples = {str(e) for e in void.objects(DATASET, VOID.exampleResource)}
    assert examples == {
        BASE + "id/project/auslaenderbehoerden-willkommensbehoerden",
        BASE + "id/project/interkulturelle-oeffnung-der-verwaltung-als-chance",
        BASE + "id/actor/dietzenbach",
        BASE + "id/actor/floersheim-am-main",
        BASE + "id/actor/giessen",
    }
    assert not any(isinstance(n, rdflib.BNode) for triple in void for n in triple)
