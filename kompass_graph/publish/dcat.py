"""The DCAT-AP.de 3.0 description of a release: catalog, dataset, dumps, SPARQL service.

What it states, and where each value comes from:

- Facts of the release (`ReleaseFacts`): the identifier (`dcterms:identifier`), the
  version (`dcat:version`; not `owl:versionInfo`, which
  DCAT-AP.de 3.0 deprecates), the date (`dcterms:modified`: the
  ontology's own `dcterms:modified`, never the clock), and one `dcat:Distribution` per
  dump (`kompass-graph.<ext>` and `<ext>.gz`) with its size, SHA-256, media type, EU
  file type, gzip compression and download URL; the SPARQL endpoint as a
  `dcat:DataService`.
- Facts of the data, read through the runner: the temporal coverage (the earliest and
  the latest year the fundings name: `kg:year`, `kg:startDate`, `kg:endDate`; the span
  of dates the data names, not a claim that the projects ended then); the spatial
  coverage Hessen, as the data's own IRIs for the state (`stateKey/06` of the
  DCAT-AP.de political geocoding, NUTS `DE7`), stated only when the data uses them.
- **Decisions of ours**, not facts of the source (the Integrationskompass page names no
  publisher and no licence):
  - licence: the one the repository states, the ontology's `dcterms:license` (CC BY
    4.0), mapped to the DCAT-AP.de licence list (`…/def/licenses/cc-by/4.0`); the data
    files state no licence of their own;
  - publisher and contact point: "Kompass Graph developers" (the ontology's
    `dcterms:creator`), reachable through the dataset's landing page (`vcard:hasURL` =
    the base IRI): the repository names no e-mail address, so none is invented;
  - themes: EU data themes SOCI (population and society) and GOVE (government and
    public sector);
  - access rights PUBLIC; political geocoding level "state" (the data is about Hessen);
  - no `dcatde:contributorID`: we are not on GovData's contributor list, and the ID is
    needed only when delivering to GovData directly (an indirect delivery goes through
    the Land's portal, which adds its own);
  - no deprecated `dcatde:politicalGeocodingURI` (DCAT-AP.de 3.0 puts the same IRI into
    `dcterms:spatial`; the deprecated-terms shapes warn on it).

The official shapes are run without following `owl:imports` (GovData's validator does
the same), so every controlled-vocabulary term used is typed here (`skos:Concept`,
`skos:inScheme`, and the class DCAT-AP expects). No blank nodes: every node is an IRI
under `<base>id/release/`, so the build can write the graph deterministically.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from kompass_graph.namespaces import VCARD, our_namespaces
from kompass_graph.publish.facts import Distribution, ReleaseFacts, SelectRunner
from kompass_graph.terms import Term

__all__ = ["DCATDE", "DUMP_FILE_TYPES", "SPDX", "describe_catalog", "release_iri"]

DCATDE = rdflib.Namespace("http://dcat-ap.de/def/dcatde/")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")

_AUTHORITY = "http://publications.europa.eu/resource/authority/"
#: DCAT 3's dcat:version (rdflib's DCAT namespace object predates it and warns)
_DCAT_VERSION = URIRef(str(DCAT) + "version")
_IANA = "https://www.iana.org/assignments/media-types/"
_GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"
_LICENCES = "http://dcat-ap.de/def/licenses"

#: EU file-type authority table entry of each dump's (uncompressed) media type
DUMP_FILE_TYPES = {
    "application/n-quads": "RDF_N_QUADS",
    "application/trig": "RDF_TRIG",
    "text/turtle": "RDF_TURTLE",
    "application/n-triples": "RDF_N_TRIPLES",
    "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
}
_FORMAT_NAMES = {
    "RDF_N_QUADS": "N-Quads",
    "RDF_TRIG": "TriG",
    "RDF_TURTLE": "Turtle",
    "RDF_N_TRIPLES": "N-Triples",
    "JSON_LD": "JSON-LD",
    "RDF_XML": "RDF/XML",
}
#: licences the ontology may state, as entries of the DCAT-AP.de licence list
_LICENCE_LIST = {
    "https://creativecommons.org/licenses/by/4.0/": _LICENCES + "/cc-by/4.0",
    "http://creativecommons.org/licenses/by/4.0/": _LICENCES + "/cc-by/4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": _LICENCES + "/cc-zero",
}
#: decisions of ours (see the module docstring)
_THEMES = ("SOCI", "GOVE")
_LANGUAGES = ("DEU", "ENG")
_PUBLISHER_FALLBACK = "Kompass Graph developers"
_DUMP_NAME = re.compile(r"kompass-graph\.[a-z]+(\.gz)?")

_TITLE = {"de": "Kompass Graph", "en": "Kompass Graph"}
_CATALOG_TITLE = {"de": "Kompass-Graph-Katalog", "en": "Kompass Graph catalogue"}
_DESCRIPTION = {
    "de": "Die Projekte des hessischen Integrationskompass als Wissensgraph: Akteure, "
    "Projekte, Förderungen, Beteiligungen mit Rollen, Netzwerke und Ziele, jede Aussage "
    "mit ihrer Quelle (ein benannter Graph je Quelle), als Linked Open Data mit "
    "SPARQL-Endpunkt.",
    "en": "The projects of the Hessian Integrationskompass as a knowledge graph: actors, "
    "projects, fundings, participation with roles, networks and goals, every statement "
    "with its source (a named graph per source), as linked open data with a SPARQL "
    "endpoint.",
}
_CATALOG_DESCRIPTION = {
    "de": "Die Veröffentlichungen des Kompass Graph: Datenabzüge und SPARQL-Endpunkt.",
    "en": "The releases of Kompass Graph: data dumps and the SPARQL endpoint.",
}
_PROVENANCE = {
    "de": "Gelesen aus der Seite „Modellprojekt BAMF - Kommunen“ des Integrationskompass; "
    "amtliche Schlüssel und Hintergrund aus Referenzquellen, jede Aussage im benannten "
    "Graphen ihrer Quelle.",
    "en": 'Read from the Integrationskompass page "Modellprojekt BAMF - Kommunen"; '
    "official keys and background from reference sources, every statement in the named "
    "graph of its source.",
}
_KEYWORDS = ("Integration", "Hessen", "Integrationskompass", "Kommunen", "Förderung")


def release_iri(facts: ReleaseFacts, slug: str) -> URIRef:
    """An IRI of the release's metadata, `<base>id/release/<slug>`."""
    return URIRef(f"{facts.base_iri}id/release/{slug}")


def describe_catalog(facts: ReleaseFacts, run: SelectRunner) -> rdflib.Graph:
    """The DCAT-AP.de description of the release `facts` names, with the data's own
    licence, creator, spatial and temporal coverage read through `run`."""
    graph = rdflib.Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dcatde", DCATDE)
    graph.bind("spdx", SPDX)
    graph.bind("vcard", VCARD)
    catalog, dataset = release_iri(facts, "catalog"), release_iri(facts, "dataset")
    service = release_iri(facts, "sparql-service")
    publisher, publisher_name = _publisher(graph, facts, run)
    licence = _licence(graph, facts, run)
    # without our ontology (--only-data) the data may name no date: then none is stated
    modified = Literal(facts.modified, datatype=XSD.date) if facts.modified else None
    homepage = URIRef(facts.base_iri)

    graph.add((catalog, RDF.type, DCAT.Catalog))
    _texts(graph, catalog, DCTERMS.title, _CATALOG_TITLE)
    _texts(graph, catalog, DCTERMS.description, _CATALOG_DESCRIPTION)
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((catalog, FOAF.homepage, homepage))
    if modified is not None:
        graph.add((catalog, DCTERMS.modified, modified))
    graph.add((catalog, DCAT.dataset, dataset))
    graph.add((catalog, DCAT.service, service))
    graph.add((catalog, DCAT.themeTaxonomy, _concept_scheme(graph, "data-theme")))
    for language in _languages(graph):
        graph.add((catalog, DCTERMS.language, language))
    if licence is not None:
        graph.add((catalog, DCTERMS.license, licence))

    graph.add((dataset, RDF.type, DCAT.Dataset))
    _texts(graph, dataset, DCTERMS.title, _TITLE)
    _texts(graph, dataset, DCTERMS.description, _DESCRIPTION)
    graph.add((dataset, DCTERMS.publisher, publisher))
    graph.add((dataset, DCTERMS.creator, publisher))
    graph.add((dataset, DCAT.contactPoint, _contact_point(graph, facts, publisher_name)))
    graph.add((dataset, DCTERMS.identifier, Literal(facts.identifier)))
    graph.add((dataset, _DCAT_VERSION, Literal(facts.version)))
    if modified is not None:
        graph.add((dataset, DCTERMS.modified, modified))
    graph.add((dataset, DCAT.landingPage, _document(graph, homepage)))
    graph.add((dataset, FOAF.page, _document(graph, URIRef(facts.base_iri + "ontology"))))
    graph.add((dataset, DCTERMS.conformsTo, _standard(graph, facts.base_iri + "ontology")))
    graph.add((dataset, DCTERMS.accessRights, _access_rights(graph)))
    graph.add((dataset, DCTERMS.provenance, _provenance(graph, facts)))
    for keyword in _KEYWORDS:
        graph.add((dataset, DCAT.keyword, Literal(keyword, lang="de")))
    for theme in _THEMES:
        graph.add((dataset, DCAT.theme, _concept(graph, "data-theme", theme)))
    for language in _languages(graph):
        graph.add((dataset, DCTERMS.language, language))
    if licence is not None:
        graph.add((dataset, DCTERMS.license, licence))
    for place in _spatial(graph, facts, run):
        graph.add((dataset, DCTERMS.spatial, place))
    level = URIRef(_GEOCODING + "Level/state")
    graph.add((level, RDF.type, SKOS.Concept))
    graph.add((level, SKOS.inScheme, URIRef(_GEOCODING + "Level")))
    graph.add((dataset, DCATDE.politicalGeocodingLevelURI, level))
    period = _temporal(graph, facts, run)
    if period is not None:
        graph.add((dataset, DCTERMS.temporal, period))
    for distribution in _dumps(facts.distributions):
        node = _distribution(graph, facts, distribution, licence, modified)
        graph.add((dataset, DCAT.distribution, node))

    graph.add((service, RDF.type, DCAT.DataService))
    _texts(graph, service, DCTERMS.title, {"de": "SPARQL-Endpunkt", "en": "SPARQL endpoint"})
    graph.add((service, DCTERMS.publisher, publisher))
    graph.add((service, DCAT.endpointURL, URIRef(facts.endpoint_url)))
    graph.add((service, DCAT.endpointDescription, URIRef(facts.base_iri + ".well-known/void")))
    graph.add((service, DCAT.servesDataset, dataset))
    protocol = "https://www.w3.org/TR/sparql11-protocol/"
    graph.add((service, DCTERMS.conformsTo, _standard(graph, protocol)))
    graph.add((service, DCTERMS.accessRights, _access_rights(graph)))
    if licence is not None:
        graph.add((service, DCTERMS.license, licence))
    return graph


def _texts(graph: rdflib.Graph, node: URIRef, prop: URIRef, texts: dict[str, str]) -> None:
    for language, text in texts.items():
        graph.add((node, prop, Literal(text, lang=language)))


def _concept_scheme(graph: rdflib.Graph, table: str) -> URIRef:
    scheme = URIRef(_AUTHORITY + table)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    return scheme


def _concept(graph: rdflib.Graph, table: str, code: str) -> URIRef:
    """An entry of an EU authority table, typed as the shapes need (imports not read)."""
    concept = URIRef(f"{_AUTHORITY}{table}/{code}")
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, SKOS.inScheme, URIRef(_AUTHORITY + table)))
    return concept


def _languages(graph: rdflib.Graph) -> list[URIRef]:
    languages = [_concept(graph, "language", code) for code in _LANGUAGES]
    for language in languages:
        graph.add((language, RDF.type, DCTERMS.LinguisticSystem))
    return languages


def _access_rights(graph: rdflib.Graph) -> URIRef:
    public = _concept(graph, "access-right", "PUBLIC")
    graph.add((public, RDF.type, DCTERMS.RightsStatement))
    return public


def _document(graph: rdflib.Graph, page: URIRef) -> URIRef:
    graph.add((page, RDF.type, FOAF.Document))
    return page


def _standard(graph: rdflib.Graph, iri: str) -> URIRef:
    standard = URIRef(iri)
    graph.add((standard, RDF.type, DCTERMS.Standard))
    return standard


def _provenance(graph: rdflib.Graph, facts: ReleaseFacts) -> URIRef:
    statement = release_iri(facts, "provenance")
    graph.add((statement, RDF.type, DCTERMS.ProvenanceStatement))
    _texts(graph, statement, RDFS.label, _PROVENANCE)
    return statement


def _ontology_values(facts: ReleaseFacts, run: SelectRunner, prop: URIRef) -> list[Term]:
    ontology = Term.iri(facts.base_iri + "ontology").sparql()
    rows = run(f"SELECT DISTINCT ?value WHERE {{ {ontology} <{prop}> ?value }} ORDER BY ?value")
    return [row["value"] for row in rows]


def _publisher(graph: rdflib.Graph, facts: ReleaseFacts, run: SelectRunner) -> tuple[URIRef, str]:
    """Our decision: the ontology's creator publishes the dataset (the source names no
    publisher)."""
    names = [t.value for t in _ontology_values(facts, run, DCTERMS.creator) if t.kind == "literal"]
    name = names[0] if names else _PUBLISHER_FALLBACK
    publisher = release_iri(facts, "publisher")
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(name)))
    return publisher, name


def _contact_point(graph: rdflib.Graph, facts: ReleaseFacts, name: str) -> URIRef:
    """The publisher, reachable through the landing page: the repository names no
    e-mail address or telephone number, so the contact point gives none."""
    contact = release_iri(facts, "contact-point")
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(name)))
    graph.add((contact, VCARD.hasURL, URIRef(facts.base_iri)))
    return contact


def _licence(graph: rdflib.Graph, facts: ReleaseFacts, run: SelectRunner) -> URIRef | None:
    """The licence the ontology states, as an entry of the DCAT-AP.de licence list
    where there is one; None when the ontology states none (the shapes then fail)."""
    stated = [t.value for t in _ontology_values(facts, run, DCTERMS.license) if t.kind == "iri"]
    if not stated:
        return None
    licence = URIRef(_LICENCE_LIST.get(stated[0], stated[0]))
    graph.add((licence, RDF.type, DCTERMS.LicenseDocument))
    if str(licence).startswith(_LICENCES + "/"):
        graph.add((licence, RDF.type, SKOS.Concept))
        graph.add((licence, SKOS.inScheme, URIRef(_LICENCES)))
    return licence


def _spatial(graph: rdflib.Graph, facts: ReleaseFacts, run: SelectRunner) -> list[URIRef]:
    """Hessen, as the IRIs our data itself uses for it (geocoding key 06, NUTS DE7)."""
    hessen = (_GEOCODING + "stateKey/06", "http://data.europa.eu/nuts/code/DE7")
    values = " ".join(Term.iri(iri).sparql() for iri in hessen)
    rows = run(
        f"SELECT DISTINCT ?place WHERE {{ VALUES ?place {{ {values} }} "
        f"?s <{DCTERMS.spatial}> ?place }} ORDER BY ?place"
    )
    places = [URIRef(row["place"].value) for row in rows]
    for place in places:
        graph.add((place, RDF.type, DCTERMS.Location))
    return places


def _temporal(graph: rdflib.Graph, facts: ReleaseFacts, run: SelectRunner) -> URIRef | None:
    """The earliest and the latest year a funding names, as a dcterms:PeriodOfTime."""
    kg = our_namespaces(facts.base_iri).ontology
    rows = run(
        "SELECT (MIN(?year) AS ?first) (MAX(?year) AS ?last) WHERE { "
        f"?funding a <{kg.Funding}> ; ?when ?date . "
        f"VALUES ?when {{ <{kg.year}> <{kg.startDate}> <{kg.endDate}> }} "
        "BIND(SUBSTR(STR(?date), 1, 4) AS ?year) }"
    )
    if not rows or "first" not in rows[0]:
        return None
    period = release_iri(facts, "temporal-coverage")
    graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
    graph.add((period, DCAT.startDate, Literal(rows[0]["first"].value, datatype=XSD.gYear)))
    graph.add((period, DCAT.endDate, Literal(rows[0]["last"].value, datatype=XSD.gYear)))
    return period


def _dumps(distributions: Iterable[Distribution]) -> list[Distribution]:
    """The data dumps among the release's files, in name order."""
    return sorted(
        (
            d
            for d in distributions
            if _DUMP_NAME.fullmatch(d.name) and d.media_type in DUMP_FILE_TYPES
        ),
        key=lambda d: d.name,
    )


def _distribution(
    graph: rdflib.Graph,
    facts: ReleaseFacts,
    dump: Distribution,
    licence: URIRef | None,
    modified: Literal | None,
) -> URIRef:
    slug = re.sub(r"[^a-z0-9]+", "-", dump.name.lower())
    node = release_iri(facts, f"distribution/{slug}")
    code = DUMP_FILE_TYPES[dump.media_type]
    url = URIRef(facts.download_url(dump.name))
    graph.add((node, RDF.type, DCAT.Distribution))
    packed = " (gzip)" if dump.compression == "gzip" else ""
    name = _FORMAT_NAMES[code]
    _texts(
        graph,
        node,
        DCTERMS.title,
        {"de": f"Kompass Graph als {name}{packed}", "en": f"Kompass Graph as {name}{packed}"},
    )
    graph.add((node, DCAT.accessURL, url))
    graph.add((node, DCAT.downloadURL, url))
    file_type = _concept(graph, "file-type", code)
    graph.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
    graph.add((node, DCTERMS.format, file_type))
    media_type = URIRef(_IANA + dump.media_type)
    graph.add((media_type, RDF.type, DCTERMS.MediaType))
    graph.add((node, DCAT.mediaType, media_type))
    if dump.compression == "gzip":
        gzip = URIRef(_IANA + "application/gzip")
        graph.add((gzip, RDF.type, DCTERMS.MediaType))
        graph.add((node, DCAT.compressFormat, gzip))
    graph.add((node, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
    if modified is not None:
        graph.add((node, DCTERMS.modified, modified))
    if licence is not None:
        graph.add((node, DCTERMS.license, licence))
    checksum = release_iri(facts, f"checksum/{slug}")
    graph.add((node, SPDX.checksum, checksum))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    sha256 = SPDX.checksumAlgorithm_sha256
    graph.add((sha256, RDF.type, SPDX.ChecksumAlgorithm))
    graph.add((checksum, SPDX.algorithm, sha256))
    graph.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))
    if dump.format_iri:
        graph.add((node, DCTERMS.conformsTo, _standard(graph, dump.format_iri)))
    return node
