"""The external datasets we link to, and how our links to each are counted.

One table (`LINK_TARGETS`) says, for every external dataset: the IRI prefix of its
resources, the kinds (classes) of ours that should link to it, and the keys a
researcher can join on (our identifier property and theirs). The VoID description
(`void.py`, one `void:Linkset` per target and link predicate) and the linkset report
(`linksets.py`) both count from here, so their numbers cannot disagree.

A link is a triple of the release whose object is an IRI under the target's prefix;
a target is counted whatever predicate links to it (today `dcterms:spatial`;
`skos:exactMatch` for Wikidata and GND once links.trig holds verified ones).

The runner takes query text only, so the IRI prefixes of this table (constants) and
our ontology namespace under the configured base IRI are written into the queries, as
SPARQL terms by `Term.sparql`; nothing a user sends reaches these queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from kompass_graph.publish.facts import SelectRunner
from kompass_graph.terms import Term

__all__ = ["LINK_TARGETS", "JoinKey", "LinkCount", "LinkTarget", "count_links", "kg_prefix"]

_GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"
_WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
_EU_SPARQL = "https://publications.europa.eu/webapi/rdf/sparql"
_PREFIXES = (
    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX wdt: <http://www.wikidata.org/prop/direct/>\n"
)


@dataclass(frozen=True)
class JoinKey:
    """One way to join our data with the target's: `query` is the whole join (with
    SERVICE where the other side is a remote endpoint), `local_query` the part that
    runs on our data alone; both select ?resource, one row per joinable resource. Both
    lack the `PREFIX kg:` line, which depends on the base IRI (`kg_prefix`)."""

    name: str
    #: our property holding the key (local name in our ontology, e.g. "ags")
    our_property: str
    #: theirs (an IRI), or "" when the join is on the link IRI itself
    their_property: str
    #: where the other side can be queried ("" when it is a file to load)
    endpoint: str
    query: str
    local_query: str


@dataclass(frozen=True)
class LinkTarget:
    """An external dataset: its VoID IRI, the prefix of its IRIs, the kinds of ours
    expected to link to it (local names in our ontology), and the join keys."""

    slug: str
    title: str
    dataset: str
    namespace: str
    kinds: tuple[str, ...]
    joins: tuple[JoinKey, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class LinkCount:
    """Links to one target by one predicate: triples, and distinct linking resources."""

    predicate: str
    links: int
    resources: int


def kg_prefix(base_iri: str) -> str:
    """The `PREFIX kg:` line of our ontology namespace under `base_iri`."""
    return f"PREFIX kg: {Term.iri(base_iri + 'ontology#').sparql()}\n"


def _wikidata_join(name: str, ours: str, theirs: str) -> JoinKey:
    local = f"SELECT ?resource ?key WHERE {{\n  ?resource kg:{ours} ?key .\n}}\nORDER BY ?resource"
    query = (
        f"SELECT ?resource ?key ?item WHERE {{\n  ?resource kg:{ours} ?key .\n"
        f"  SERVICE <{_WIKIDATA_SPARQL}> {{ ?item wdt:{theirs} ?key . }}\n}}\nORDER BY ?resource"
    )
    return JoinKey(
        name,
        ours,
        f"http://www.wikidata.org/prop/direct/{theirs}",
        _WIKIDATA_SPARQL,
        _PREFIXES + query,
        _PREFIXES + local,
    )


def _iri_join(name: str, ours: str, namespace: str, endpoint: str = "") -> JoinKey:
    """A join on an IRI built from our key: the target's IRI for the key, with its label
    from the target's endpoint (or from its vocabulary file loaded next to our dump)."""
    build = (
        f"  ?resource kg:{ours} ?key .\n"
        f"  BIND(IRI(CONCAT({Term.literal(namespace).sparql()}, ?key)) AS ?target)\n"
    )
    local = f"SELECT ?resource ?key ?target WHERE {{\n{build}}}\nORDER BY ?resource"
    label = "?target skos:prefLabel ?label ."
    remote = (
        f"  SERVICE <{endpoint}> {{ {label} }}\n" if endpoint else f"  OPTIONAL {{ {label} }}\n"
    )
    query = f"SELECT ?resource ?key ?target ?label WHERE {{\n{build}{remote}}}\nORDER BY ?resource"
    return JoinKey(name, ours, "", endpoint, _PREFIXES + query, _PREFIXES + local)


def _geocoding(slug: str, level: str, title: str, kind: str, key: str) -> LinkTarget:
    namespace = f"{_GEOCODING}{level}/"
    return LinkTarget(
        slug,
        title,
        _GEOCODING + level,
        namespace,
        (kind,),
        (_iri_join(f"kg:{key} as a {level} IRI", key, namespace),),
        note="a vocabulary file, not an endpoint: load it next to our dump to get the labels",
    )


#: the external datasets, in report order
LINK_TARGETS: tuple[LinkTarget, ...] = (
    _geocoding(
        "geocoding-municipality",
        "municipalityKey",
        "DCAT-AP.de political geocoding: municipality keys (AGS)",
        "Municipality",
        "ags",
    ),
    _geocoding(
        "geocoding-regional",
        "regionalKey",
        "DCAT-AP.de political geocoding: regional keys (ARS)",
        "Municipality",
        "ars",
    ),
    _geocoding(
        "geocoding-district",
        "districtKey",
        "DCAT-AP.de political geocoding: district keys",
        "District",
        "districtKey",
    ),
    _geocoding(
        "geocoding-state",
        "stateKey",
        "DCAT-AP.de political geocoding: state keys",
        "FederalState",
        "stateKey",
    ),
    LinkTarget(
        "nuts",
        "NUTS (Eurostat, EU Publications Office)",
        "http://data.europa.eu/nuts",
        "http://data.europa.eu/nuts/code/",
        ("District", "FederalState"),
        (
            _iri_join(
                "kg:nutsCode as a NUTS IRI",
                "nutsCode",
                "http://data.europa.eu/nuts/code/",
                _EU_SPARQL,
            ),
        ),
    ),
    LinkTarget(
        "wikidata",
        "Wikidata",
        "https://www.wikidata.org/",
        "http://www.wikidata.org/entity/",
        ("Municipality", "District", "FederalState", "Ministry", "FederalAuthority", "Fund"),
        (
            _wikidata_join("kg:ags = wdt:P439 (AGS)", "ags", "P439"),
            _wikidata_join("kg:ars = wdt:P1388 (ARS)", "ars", "P1388"),
            _wikidata_join("kg:districtKey = wdt:P440 (district key)", "districtKey", "P440"),
            _wikidata_join("kg:nutsCode = wdt:P605 (NUTS code)", "nutsCode", "P605"),
        ),
        note="links go into data/links.trig only with a source that confirms them",
    ),
    LinkTarget(
        "gnd",
        "GND (Gemeinsame Normdatei, Deutsche Nationalbibliothek)",
        "https://d-nb.info/gnd/",
        "https://d-nb.info/gnd/",
        ("Municipality", "District", "FederalState", "Ministry", "FederalAuthority"),
        (
            JoinKey(
                "kg:ags = wdt:P439, then Wikidata's GND ID wdt:P227",
                "ags",
                "http://www.wikidata.org/prop/direct/P227",
                _WIKIDATA_SPARQL,
                _PREFIXES + "SELECT ?resource ?key ?gnd WHERE {\n  ?resource kg:ags ?key .\n"
                f"  SERVICE <{_WIKIDATA_SPARQL}> {{ ?item wdt:P439 ?key ; wdt:P227 ?id . }}\n"
                '  BIND(IRI(CONCAT("https://d-nb.info/gnd/", ?id)) AS ?gnd)\n}\nORDER BY ?resource',
                _PREFIXES + "SELECT ?resource ?key WHERE {\n  ?resource kg:ags ?key .\n}\n"
                "ORDER BY ?resource",
            ),
        ),
        note="no GND key in our data: the join goes through Wikidata",
    ),
    LinkTarget(
        "eu-language",
        "EU authority table: languages",
        "http://publications.europa.eu/resource/authority/language",
        "http://publications.europa.eu/resource/authority/language/",
        ("SourceDocument",),
    ),
)


def count_links(target: LinkTarget, run: SelectRunner) -> list[LinkCount]:
    """Our links to `target`, by predicate (sorted by predicate IRI)."""
    rows = run(
        "SELECT ?predicate (COUNT(*) AS ?links) (COUNT(DISTINCT ?s) AS ?resources) WHERE { "
        "?s ?predicate ?o "
        f"FILTER(isIRI(?o) && STRSTARTS(STR(?o), {Term.literal(target.namespace).sparql()})) }} "
        "GROUP BY ?predicate ORDER BY ?predicate"
    )
    return [
        LinkCount(row["predicate"].value, int(row["links"].value), int(row["resources"].value))
        for row in rows
    ]
