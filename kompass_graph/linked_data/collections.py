"""The REST API's collections read from the graph: listings with filters, one resource.

A collection (projects, actors, fundings, concepts) is a SPARQL pattern that selects
its members (`?this`) and one pattern per filter; a filter's value is bound to the
variable named like the filter (`?funder`), never spliced into the text. Listing runs
one SELECT for the members and their labels; the label search (`q`), the order (by
German label) and the page cut happen here, since SPARQL has no accent folding. Each
member of the page is then read as an object by `read_resource`: one SELECT for its
statements, those of the objects it embeds (participations, fundings, amounts) and the
labels of what it names; the keys and values follow the shapes' `ResourceSchema`.
"""

from __future__ import annotations

import asyncio
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from kompass_graph.linked_data.paths import ServerPaths
from kompass_graph.linked_data.rows import GraphReader, Row
from kompass_graph.linked_data.shape_schemas import PropertySpec, ResourceSchema
from kompass_graph.namespaces import XSD, shorten_iri, standard_prefixes
from kompass_graph.terms import Term

__all__ = [
    "COLLECTIONS",
    "CollectionQuery",
    "Page",
    "fold_text",
    "list_resources",
    "plain_value",
    "read_resource",
    "resource_exists",
]

_PREFIXES = """PREFIX kg: <%sontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = str(XSD)
# a funding's year: kg:year, or the year its start (or its period's start) falls in
_FUNDING_YEAR = """{ ?_funding kg:year ?_date } UNION { ?_funding kg:startDate ?_date }
  UNION { ?_funding kg:period/kg:startDate ?_date }
  FILTER(SUBSTR(STR(?_date), 1, 4) = STR(?year))"""
#: at most this many resources of one page are read at once (the store queues the rest)
_CONCURRENT_READS = 4


@dataclass(frozen=True)
class CollectionQuery:
    """One collection: the pattern of its members and of each filter it takes."""

    name: str
    schema: str
    member: str
    filters: Mapping[str, str] = field(default_factory=dict)


COLLECTIONS: dict[str, CollectionQuery] = {
    "projects": CollectionQuery(
        "projects",
        "Project",
        "?this a kg:Project .",
        {
            "funder": "?this kg:isFundedBy/kg:funder ?funder .",
            # one participation when both are given: the participant in that role
            "participant": "?this kg:hasParticipation ?_p . ?_p kg:participant ?participant .",
            "role": "?this kg:hasParticipation ?_p . ?_p kg:role ?role .",
            "year": "?this kg:isFundedBy ?_funding .\n  " + _FUNDING_YEAR,
        },
    ),
    "actors": CollectionQuery(
        "actors",
        "Actor",
        # the store need not entail: follow the class hierarchy explicitly. A UNION, not
        # `a/rdfs:subClassOf*`: joined with other patterns, Virtuoso 7.2 finds members
        # through the zero-length path only for some of them
        "{ ?this a kg:Actor } UNION { ?this a ?_class . ?_class rdfs:subClassOf+ kg:Actor }",
        {
            # inside FILTER EXISTS: beside the UNION above, a second one in the same
            # group crashes Virtuoso 7.2.5 (general protection fault, measured)
            "type": "FILTER EXISTS { { ?this a ?type } UNION "
            "{ ?this a ?_typed . ?_typed rdfs:subClassOf+ ?type } }",
            "project": "{ ?project kg:hasParticipation/kg:participant ?this }"
            " UNION { ?project kg:isFundedBy/kg:funder ?this }"
            " UNION { ?_measure kg:supportsProject ?project ; kg:providedBy ?this }",
            "role": "?_p kg:participant ?this ; kg:role ?role .",
        },
    ),
    "fundings": CollectionQuery(
        "fundings",
        "Funding",
        "?this a kg:Funding .",
        {
            "funder": "?this kg:funder ?funder .",
            "project": "?this kg:fundedProject ?project .",
            "year": "BIND(?this AS ?_funding)\n  " + _FUNDING_YEAR,
        },
    ),
    "concepts": CollectionQuery(
        "concepts",
        "Concept",
        "?this a skos:Concept .",
        {"scheme": "?this skos:inScheme ?scheme ."},
    ),
}


@dataclass(frozen=True)
class Page:
    """One page of a listing: its objects and how many members match in all."""

    items: list[dict[str, object]]
    total: int


def fold_text(text: str) -> tuple[str, ...]:
    """The forms a label search compares: case folded with diacritics dropped
    ("öffnung" -> "offnung"), and with German umlauts spelt out ("oeffnung")."""
    lowered = text.casefold()
    spelt = lowered.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return tuple(
        dict.fromkeys(
            "".join(c for c in unicodedata.normalize("NFKD", form) if not unicodedata.combining(c))
            for form in (lowered, spelt)
        )
    )


def _matches(search: str, labels: list[str]) -> bool:
    wanted = fold_text(search)[0]
    return any(wanted in form for label in labels for form in fold_text(label))


def _prefixes(paths: ServerPaths) -> str:
    """Our ontology under the served base (the loaded data is moved to it)."""
    return _PREFIXES % paths.base_iri


def _listing_query(
    collection: CollectionQuery, filters: Mapping[str, Term], paths: ServerPaths
) -> str:
    patterns = [collection.member, *(collection.filters[name] for name in sorted(filters))]
    body = "\n  ".join(patterns)
    # the engine binds only variables the SELECT projects
    bound = "".join(f" ?{name}" for name in sorted(filters))
    return (
        f"{_prefixes(paths)}SELECT DISTINCT ?this ?label{bound} WHERE {{\n  {body}\n"
        "  OPTIONAL { ?this skos:prefLabel ?label }\n}"
    )


async def list_resources(
    reader: GraphReader,
    collection: CollectionQuery,
    schema: ResourceSchema,
    paths: ServerPaths,
    *,
    filters: Mapping[str, Term],
    search: str | None,
    limit: int,
    offset: int,
) -> Page:
    """The page of `collection` at `offset` (at most `limit` objects), members matching
    every filter (name -> bound value) and, when given, the label `search`."""
    unknown = set(filters) - set(collection.filters)
    if unknown:
        raise ValueError(f"{collection.name} takes no filter {sorted(unknown)}")
    answer = await reader.select(
        _listing_query(collection, filters, paths),
        source=f"api:{collection.name}",
        bindings=filters,
    )
    labels: dict[str, list[Term]] = {}
    for row in answer.rows:
        member = row["this"]
        if member.kind != "iri":
            continue
        found = labels.setdefault(member.value, [])
        if "label" in row:
            found.append(row["label"])
    members = [
        iri
        for iri, found in labels.items()
        if not search or _matches(search, [label.value for label in found])
    ]
    members.sort(key=lambda iri: (_sort_label(labels[iri]), iri))
    chosen = members[offset : offset + limit]
    gate = asyncio.Semaphore(_CONCURRENT_READS)

    async def read(iri: str) -> dict[str, object]:
        async with gate:
            return await read_resource(reader, schema, paths, iri)

    items = list(await asyncio.gather(*(read(iri) for iri in chosen)))
    return Page(items=items, total=len(members))


def _sort_label(labels: list[Term]) -> str:
    ordered = sorted(labels, key=lambda t: (t.language != "de", t.language or "", t.value))
    return fold_text(ordered[0].value)[0] if ordered else "\uffff"


async def resource_exists(
    reader: GraphReader, collection: CollectionQuery, paths: ServerPaths, iri: str
) -> bool:
    """True when `iri` is a member of `collection`."""
    query = f"{_prefixes(paths)}ASK {{ {collection.member} }}"
    return await reader.ask(
        query, source=f"api:{collection.name}", bindings={"this": Term.iri(iri)}
    )


def _detail_query(schema: ResourceSchema, paths: ServerPaths) -> str:
    # ?node is ?this or a node it embeds. Each branch reaches ?node from ?this by a
    # triple pattern: Oxigraph's substitution of ?this does not reach a group holding
    # only `BIND(?this AS ?node)`, which then joined every statement of the store.
    # The embedded nodes by the schema's chains of predicates, not a transitive path:
    # Virtuoso 7.2 refuses `?this (…)+ ?node` with ?this bound by inline data
    # ("transitive start not given"), and a chain reaches only what the schema embeds.
    reached = "{ ?this ?_first ?_value . BIND(?this AS ?node) }"
    for chain in schema.embedding_chains():
        path = "/".join(f"<{predicate}>" for predicate in chain)
        reached += f" UNION {{ ?this {path} ?node }}"
    nodes = f"{{ SELECT DISTINCT ?this ?node WHERE {{ {reached} }} }}"
    # every type: `_object` keeps the most specific ones (the schema's super_classes)
    return f"""{_prefixes(paths)}SELECT ?this ?node ?p ?o ?label WHERE {{
  {nodes}
  ?node ?p ?o .
  OPTIONAL {{ ?o skos:prefLabel ?label . FILTER(isIRI(?o)) }}
}}"""


@dataclass
class _Statements:
    """What one detail query found: each node's values by predicate, each IRI's labels."""

    values: dict[str, dict[str, list[Term]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    labels: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, row: Row) -> None:
        node, predicate, value = row["node"].value, row["p"].value, row["o"]
        found = self.values[node][predicate]
        if value not in found:  # a triple in several graphs is several rows
            found.append(value)
        label = row.get("label")
        if label is not None and label.language:
            self.labels[value.value].setdefault(label.language, label.value)


async def read_resource(
    reader: GraphReader, schema: ResourceSchema, paths: ServerPaths, iri: str
) -> dict[str, object]:
    """The object for `iri`, keyed as `schema` says (see the module docstring)."""
    answer = await reader.select(
        _detail_query(schema, paths), source=f"api:{schema.name}", bindings={"this": Term.iri(iri)}
    )
    statements = _Statements()
    for row in answer.rows:
        statements.add(row)
    return _object(iri, schema, statements, paths, depth=0)


def _object(
    iri: str, schema: ResourceSchema, found: _Statements, paths: ServerPaths, *, depth: int
) -> dict[str, object]:
    values = found.values.get(iri, {})
    classes = [t.value for t in values.get(_RDF_TYPE, [])]
    broader = {c for t in classes for c in schema.super_classes.get(t, ())}
    types = sorted(_compact_type(t, paths) for t in classes if t not in broader)
    result: dict[str, object] = {"@id": iri, "@type": types[0] if len(types) == 1 else types}
    path = paths.path_for(iri)
    if path is not None:
        result["url"] = path
    for spec in schema.properties:
        terms = values.get(spec.path, [])
        value = _value(spec, terms, found, paths, depth=depth)
        if value is not None:
            result[spec.key] = value
    return result


def _value(
    spec: PropertySpec, terms: list[Term], found: _Statements, paths: ServerPaths, *, depth: int
) -> object:
    if not terms:
        return None
    if spec.kind == "language":
        by_language: dict[str, list[str]] = defaultdict(list)
        for term in sorted(terms, key=lambda t: t.value):
            if term.kind == "literal" and term.language:
                by_language[term.language].append(term.value)
        return {k: v[0] if len(v) == 1 else v for k, v in sorted(by_language.items())} or None
    converted = [_item(spec, term, found, paths, depth=depth) for term in terms]
    converted.sort(key=lambda v: str(v.get("@id")) if isinstance(v, dict) else str(v))
    return converted if spec.many else converted[0]


def _item(
    spec: PropertySpec, term: Term, found: _Statements, paths: ServerPaths, *, depth: int
) -> object:
    if term.kind == "literal":
        return _literal(term)
    identifier = term.value if term.kind == "iri" else f"_:{term.value}"
    if spec.embedded is not None and term.value in found.values and depth < 4:
        return _object(identifier, spec.embedded, found, paths, depth=depth + 1)
    reference: dict[str, object] = {"@id": identifier}
    path = paths.path_for(term.value) if term.kind == "iri" else None
    if path is not None:
        reference["url"] = path
    labels = found.labels.get(term.value)
    if labels:
        reference["prefLabel"] = dict(sorted(labels.items()))
    return reference


def plain_value(term: Term) -> object:
    """A term as plain JSON: an IRI as its text, a literal as a number, boolean or text."""
    return _literal(term) if term.kind == "literal" else term.value


def _literal(term: Term) -> object:
    local = (term.datatype or "")[len(_XSD) :] if (term.datatype or "").startswith(_XSD) else ""
    try:
        if local in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"):
            return int(term.value)
        if local in ("decimal", "double", "float"):
            return float(term.value)
    except ValueError:
        return term.value
    if local == "boolean":
        return term.value in ("true", "1")
    return term.value


def _compact_type(iri: str, paths: ServerPaths) -> str:
    """`Project` for kg:Project (the context's @vocab), `schema:MonetaryAmount` for a
    standard vocabulary's class, else the IRI."""
    ontology = paths.base_iri + "ontology#"
    if iri.startswith(ontology):
        return iri[len(ontology) :]
    short = shorten_iri(iri, standard_prefixes())
    return iri if short.startswith("<") else short
