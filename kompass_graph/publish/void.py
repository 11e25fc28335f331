"""The VoID description of a release (https://www.w3.org/TR/void/).

The dataset is the same resource the DCAT description names (`<base>id/release/dataset`).
What the counts count, so anyone can check them against the dumps:

- `void:triples`: the distinct triples over all graphs, i.e. what a query on the union
  default graph sees and what the triple dumps (`.ttl`, `.nt`, `.jsonld`, `.rdf`) hold.
  The N-Quads dump has one line per quad; as long as no triple stands in two graphs
  (our data's rule), the two numbers are equal.
- `void:entities`: distinct subject IRIs under `void:uriSpace` (the base IRI);
  `void:distinctSubjects` / `void:distinctObjects` count every subject / object term.
- `void:classes`, `void:properties`: distinct classes (objects of `rdf:type`) and
  distinct predicates; a `void:classPartition` per class (its instances as
  `void:entities`) and a `void:propertyPartition` per predicate (its `void:triples`).
- `void:Linkset`s: one per external dataset and link predicate (`link_targets.py`), with
  the link triples as `void:triples`, `void:linkPredicate`, `void:target` (ours and
  theirs), `void:subjectsTarget` and `void:objectsTarget`; only where links exist.

No blank nodes: partitions and linksets are IRIs under `<base>id/release/void/`.
"""

from __future__ import annotations

import hashlib
import re

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from kompass_graph.namespaces import VOID, our_namespaces, prefix_map, shorten_iri
from kompass_graph.publish.dcat import release_iri
from kompass_graph.publish.facts import ReleaseFacts, SelectRunner
from kompass_graph.publish.link_targets import LINK_TARGETS, count_links
from kompass_graph.terms import Term

__all__ = ["describe_void"]

_DUMP_NAME = re.compile(r"kompass-graph\.[a-z]+(\.gz)?")
#: example resources: every project, and the first actors by IRI
_EXAMPLE_ACTORS = 3


def describe_void(facts: ReleaseFacts, run: SelectRunner) -> rdflib.Graph:
    """The VoID description of the release, with counts read through `run`."""
    graph = rdflib.Graph()
    graph.bind("void", VOID)
    dataset = release_iri(facts, "dataset")
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("Kompass Graph", lang="de")))
    graph.add((dataset, DCTERMS.title, Literal("Kompass Graph", lang="en")))
    graph.add((dataset, DCTERMS.identifier, Literal(facts.identifier)))
    if facts.modified:  # without our ontology the data may name no date
        graph.add((dataset, DCTERMS.modified, Literal(facts.modified, datatype=XSD.date)))
    graph.add((dataset, VOID.uriSpace, Literal(facts.base_iri)))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(facts.endpoint_url)))
    for dump in sorted(d.name for d in facts.distributions if _DUMP_NAME.fullmatch(d.name)):
        graph.add((dataset, VOID.dataDump, URIRef(facts.download_url(dump))))
    for name, value in _totals(facts, run).items():
        graph.add((dataset, VOID[name], _count(value)))
    for example in _examples(facts, run):
        graph.add((dataset, VOID.exampleResource, URIRef(example)))
    prefixes = prefix_map(facts.base_iri)
    for kind, entities in _pairs(run, "SELECT ?x (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?x }"):
        partition = release_iri(facts, "void/class/" + _slug(kind, prefixes))
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(kind)))
        graph.add((partition, VOID.entities, _count(entities)))
    for prop, triples in _pairs(run, "SELECT ?x (COUNT(*) AS ?n) WHERE { ?s ?x ?o }"):
        partition = release_iri(facts, "void/property/" + _slug(prop, prefixes))
        graph.add((dataset, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, URIRef(prop)))
        graph.add((partition, VOID.triples, _count(triples)))
    for target in LINK_TARGETS:
        for link in count_links(target, run):
            if not link.links:
                continue
            linkset = release_iri(
                facts, f"void/linkset/{target.slug}-{_slug(link.predicate, prefixes)}"
            )
            external = URIRef(target.dataset)
            graph.add((external, RDF.type, VOID.Dataset))
            graph.add((external, DCTERMS.title, Literal(target.title, lang="en")))
            graph.add((external, VOID.uriSpace, Literal(target.namespace)))
            graph.add((dataset, VOID.subset, linkset))
            graph.add((linkset, RDF.type, VOID.Linkset))
            graph.add((linkset, VOID.linkPredicate, URIRef(link.predicate)))
            graph.add((linkset, VOID.triples, _count(link.links)))
            graph.add((linkset, VOID.target, dataset))
            graph.add((linkset, VOID.target, external))
            graph.add((linkset, VOID.subjectsTarget, dataset))
            graph.add((linkset, VOID.objectsTarget, external))
    return graph


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _number(rows: list[dict[str, Term]], name: str = "n") -> int:
    return int(rows[0][name].value) if rows else 0


def _totals(facts: ReleaseFacts, run: SelectRunner) -> dict[str, int]:
    space = Term.literal(facts.base_iri).sparql()
    totals = run(
        "SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?p) AS ?properties) "
        "(COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects) "
        "WHERE { ?s ?p ?o }"
    )
    classes = run("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }")
    entities = run(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o "
        f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {space})) }}"
    )
    return {
        "triples": _number(totals, "triples"),
        "entities": _number(entities),
        "classes": _number(classes),
        "properties": _number(totals, "properties"),
        "distinctSubjects": _number(totals, "subjects"),
        "distinctObjects": _number(totals, "objects"),
    }


def _pairs(run: SelectRunner, query: str) -> list[tuple[str, int]]:
    """(IRI, count) rows of a `SELECT ?x ?n … GROUP BY ?x`, IRIs only, sorted."""
    rows = run(query + " GROUP BY ?x ORDER BY ?x")
    return [(row["x"].value, int(row["n"].value)) for row in rows if row["x"].kind == "iri"]


def _examples(facts: ReleaseFacts, run: SelectRunner) -> list[str]:
    kg = our_namespaces(facts.base_iri).ontology
    projects = run(f"SELECT DISTINCT ?s WHERE {{ ?s a <{kg.Project}> }} ORDER BY ?s")
    actors = run(
        f"SELECT DISTINCT ?s WHERE {{ ?s a <{kg.Municipality}> }} "
        f"ORDER BY ?s LIMIT {_EXAMPLE_ACTORS}"
    )
    return [row["s"].value for row in (*projects, *actors)]


def _slug(iri: str, prefixes: dict[str, str]) -> str:
    """A stable path segment for a class or property: `kg-Project`, `dcterms-spatial`;
    a short hash of the IRI where no prefix fits."""
    short = shorten_iri(iri, prefixes)
    if short.startswith("<"):
        return "iri-" + hashlib.sha256(iri.encode("utf-8")).hexdigest()[:12]
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", short.replace(":", "-"))
