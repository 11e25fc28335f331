"""The ontology as the store holds it, read through the one query path.

The ontology is the statements about the ontology IRI (`<base>ontology`) and about
every term of its hash namespace (`<base>ontology#…`) that is declared (typed as a class
or property) or `rdfs:isDefinedBy` the ontology, plus the blank nodes those statements
reach through blank nodes only (OWL lists and restrictions). `/ontology` serves these
statements as its RDF documents and documents them (`ontology_docs`); the landing page
and the documentation count our classes' instances here. Nothing here reads a file:
what is documented is what the store serves.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kompass_graph.linked_data.paths import ServerPaths
from kompass_graph.linked_data.rows import GraphReader
from kompass_graph.namespaces import DCTERMS, OWL, RDF, RDFS, SKOS, prefix_map, shorten_iri
from kompass_graph.store.documents import Statement
from kompass_graph.terms import Term

__all__ = [
    "ClassCount",
    "LangText",
    "TermLink",
    "class_counts",
    "display_name",
    "instances",
    "ontology_iris",
    "ontology_statements",
    "text_in",
    "text_sort_key",
]

_PREFIXES = f"""PREFIX rdf: <{RDF}>
PREFIX rdfs: <{RDFS}>
PREFIX owl: <{OWL}>
PREFIX skos: <{SKOS}>
PREFIX dcterms: <{DCTERMS}>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""

# The engine binds a variable only where the query projects it, subqueries included.
_TERMS = """SELECT DISTINCT ?term ?ontology ?namespace WHERE {
      { ?term a ?kind .
        VALUES ?kind { owl:Class rdfs:Class owl:ObjectProperty owl:DatatypeProperty
                       owl:AnnotationProperty rdf:Property rdfs:Datatype owl:NamedIndividual } }
      UNION { ?term rdfs:isDefinedBy ?ontology }
      FILTER (STRSTARTS(STR(?term), ?namespace))
    }"""

_STATEMENTS = (
    _PREFIXES
    + f"""SELECT DISTINCT ?s ?p ?o ?ontology ?namespace WHERE {{
  {{ ?ontology ?p ?o }}
  UNION {{ {{ {_TERMS} }} BIND (?term AS ?s) ?s ?p ?o }}
  UNION {{
    {{ ?ontology ?link ?root }} UNION {{ {{ {_TERMS} }} ?term ?link ?root }}
    FILTER (isBlank(?root))
    ?root (rdf:type|!rdf:type)* ?s .
    FILTER (isBlank(?s))
    ?s ?p ?o
  }}
}}"""
)

_COUNTS = (
    _PREFIXES
    + """SELECT ?class ?label ?instances ?namespace WHERE {
  { SELECT ?class ?namespace (COUNT(DISTINCT ?instance) AS ?instances) WHERE {
      ?instance a ?class .
      FILTER (STRSTARTS(STR(?class), ?namespace))
    } GROUP BY ?class ?namespace }
  OPTIONAL { ?class rdfs:label ?label }
}"""
)

# LIMIT is one of our own integers, not a value from a request
_INSTANCES = (
    _PREFIXES
    + """SELECT ?instance ?property ?label ?class WHERE {
  { SELECT DISTINCT ?instance ?class WHERE { ?instance a ?class }
    ORDER BY ?instance LIMIT %d }
  OPTIONAL {
    VALUES ?property { skos:prefLabel rdfs:label foaf:name dcterms:title }
    ?instance ?property ?label
    FILTER (isLiteral(?label))
  }
}"""
)

#: label properties of instances, most preferred first (the order of _INSTANCES' VALUES)
_LABEL_PROPERTIES = (
    str(SKOS.prefLabel),
    str(RDFS.label),
    "http://xmlns.com/foaf/0.1/name",
    str(DCTERMS.title),
)


@dataclass(frozen=True)
class LangText:
    """A text and its language tag ("" when it has none)."""

    text: str
    language: str


@dataclass(frozen=True)
class TermLink:
    """A link to a term: our ontology's terms to their section (`#Project`), our other
    IRIs to their page on this server, anything else to the IRI itself."""

    iri: str
    text: str
    href: str
    curie: str


@dataclass(frozen=True)
class ClassCount:
    """How many distinct instances a class of our ontology has (entailed types count)."""

    iri: str
    anchor: str
    label: str
    instances: int


def ontology_iris(base_iri: str) -> tuple[str, str]:
    """(the ontology IRI, its hash namespace) under `base_iri`."""
    return base_iri + "ontology", base_iri + "ontology#"


def _bindings(base_iri: str, *, with_ontology: bool = True) -> dict[str, Term]:
    ontology, namespace = ontology_iris(base_iri)
    found = {"namespace": Term.literal(namespace)}
    if with_ontology:
        found["ontology"] = Term.iri(ontology)
    return found


async def ontology_statements(reader: GraphReader, *, base_iri: str) -> list[Statement]:
    """The ontology's statements (see the module docstring): the ontology IRI's first,
    then each term's by IRI, then the blank nodes'; empty when the store holds none."""
    ontology = Term.iri(ontology_iris(base_iri)[0])
    answer = await reader.select(
        _STATEMENTS, source="ontology statements", bindings=_bindings(base_iri)
    )
    found = [Statement(row.get("s", ontology), row["p"], row["o"]) for row in answer.rows]
    reached = _blank_closure(found)
    kept = [s for s in found if s.subject.kind != "bnode" or s.subject in reached]

    def order(statement: Statement) -> tuple[int, str, bool, str, str]:
        subject = statement.subject
        group = 0 if subject == ontology else 2 if subject.kind == "bnode" else 1
        predicate = statement.predicate.value
        return (group, subject.value, predicate != str(RDF.type), predicate, statement.object.value)

    return sorted(kept, key=order)


def _blank_closure(statements: Sequence[Statement]) -> set[Term]:
    """The blank nodes reached from IRI subjects through blank nodes only."""
    by_subject: dict[Term, list[Term]] = defaultdict(list)
    for s in statements:
        by_subject[s.subject].append(s.object)
    frontier = [s.object for s in statements if s.subject.kind != "bnode"]
    reached: set[Term] = set()
    while frontier:
        node = frontier.pop()
        if node.kind == "bnode" and node not in reached:
            reached.add(node)
            frontier.extend(by_subject.get(node, ()))
    return reached


def text_in(values: Iterable[Term], language: str) -> LangText | None:
    """The literal in `language`, else one without a tag, else any (English first)."""
    literals = [v for v in values if v.kind == "literal"]
    for wanted in (language, None, "en"):
        for value in literals:
            if value.language == wanted:
                return LangText(value.value, value.language or "")
    return LangText(literals[0].value, literals[0].language or "") if literals else None


def text_sort_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


async def class_counts(reader: GraphReader, *, base_iri: str, language: str) -> list[ClassCount]:
    """Our classes that have instances, with their label in `language`, most instances
    first (then by label)."""
    namespace = ontology_iris(base_iri)[1]
    answer = await reader.select(
        _COUNTS, source="class counts", bindings=_bindings(base_iri, with_ontology=False)
    )
    labels: dict[str, list[Term]] = defaultdict(list)
    counts: dict[str, int] = {}
    for row in answer.rows:
        iri = row["class"].value
        counts[iri] = int(row["instances"].value)
        if "label" in row:
            labels[iri].append(row["label"])
    found = []
    for iri, count in counts.items():
        anchor = iri[len(namespace) :]
        label = text_in(labels[iri], language)
        found.append(ClassCount(iri, anchor, label.text if label else anchor, count))
    return sorted(found, key=lambda c: (-c.instances, text_sort_key(c.label), c.iri))


async def instances(
    reader: GraphReader, class_iri: str, *, paths: ServerPaths, language: str, limit: int
) -> list[TermLink]:
    """The first `limit` instances of `class_iri` (by IRI; entailed types count), each
    with its label in `language` (its prefixed name when it has none) and its link."""
    answer = await reader.select(
        _INSTANCES % limit, source="class instances", bindings={"class": Term.iri(class_iri)}
    )
    candidates: dict[str, list[tuple[int, Term]]] = {}
    for row in answer.rows:
        found = candidates.setdefault(row["instance"].value, [])
        if "label" in row:
            found.append((_LABEL_PROPERTIES.index(row["property"].value), row["label"]))
    prefixes = prefix_map(paths.base_iri)
    links = []
    # by IRI here: the sub-select's ORDER BY does not carry through the outer OPTIONAL
    # (SPARQL keeps no order there; Virtuoso 7.2 does not)
    for iri, labelled in sorted(candidates.items()):
        best = min((rank for rank, _ in labelled), default=None)
        label = text_in((t for rank, t in labelled if rank == best), language)
        curie = display_name(iri, prefixes)
        links.append(TermLink(iri, label.text if label else curie, paths.link_for(iri), curie))
    return links


def display_name(iri: str, prefixes: dict[str, str]) -> str:
    short = shorten_iri(iri, prefixes)
    return iri if short.startswith("<") else short
