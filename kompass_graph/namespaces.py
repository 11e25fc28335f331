"""Every namespace we mint or use, in one place.

Our own IRIs live under one base (`DEFAULT_BASE_IRI`, configurable through
`Settings.base_iri`): the ontology is a hash namespace, instances and concepts are
slash namespaces, one per collection (see the IRI policy in README.md).
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, VANN, XSD

__all__ = [
    "ADMS",
    "CV",
    "DCAT",
    "DCTERMS",
    "DEFAULT_BASE_IRI",
    "EURIO",
    "FOAF",
    "FRAPO",
    "KG",
    "ORG",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SD",
    "SH",
    "SKOS",
    "TIME",
    "VANN",
    "VCARD",
    "VOID",
    "XSD",
    "OurNamespaces",
    "our_namespaces",
    "prefix_map",
    "shorten_iri",
    "standard_prefixes",
]

DEFAULT_BASE_IRI = "https://w3id.org/kompass-graph/"

ADMS = Namespace("http://www.w3.org/ns/adms#")
CV = Namespace("http://data.europa.eu/m8g/")
EURIO = Namespace("http://data.europa.eu/s66#")
FRAPO = Namespace("http://purl.org/cerif/frapo/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
TIME = Namespace("http://www.w3.org/2006/time#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

KG = Namespace(DEFAULT_BASE_IRI + "ontology#")


class OurNamespaces:
    """The namespaces minted under one base IRI."""

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI) -> None:
        if not base_iri.endswith("/"):
            base_iri += "/"
        self.base = base_iri
        self.ontology = Namespace(base_iri + "ontology#")
        self.id = Namespace(base_iri + "id/")
        self.concept = Namespace(base_iri + "concept/")
        self.graph = Namespace(base_iri + "graph/")

    def prefixes(self) -> dict[str, str]:
        """Prefixes for our collections, as used in data/ and the stored queries."""
        ids = self.base + "id/"
        concepts = self.base + "concept/"
        return {
            "kg": str(self.ontology),
            "actor": ids + "actor/",
            "project": ids + "project/",
            "funding": ids + "funding/",
            "participation": ids + "participation/",
            "membership": ids + "membership/",
            "network": ids + "network/",
            "person": ids + "person/",
            "measure": ids + "measure/",
            "identifier": ids + "identifier/",
            "event": ids + "event/",
            "source": ids + "source/",
            "refsource": ids + "reference-source/",
            "editor": ids + "editor/",
            "srcgraph": self.base + "graph/source/",
            "edgraph": self.base + "graph/editorial/",
            "intgraph": self.base + "graph/interpretation/",
            "refgraph": self.base + "graph/reference/",
            "role": concepts + "role/",
            "goal": concepts + "goal/",
            "partner": concepts + "partner-category/",
            "area": concepts + "support-area/",
            "support": concepts + "support-type/",
            "idscheme": concepts + "identifier-scheme/",
            "graphkind": concepts + "graph-kind/",
            "sourcekind": concepts + "source-kind/",
            "kgc": concepts,
        }


def our_namespaces(base_iri: str = DEFAULT_BASE_IRI) -> OurNamespaces:
    return OurNamespaces(base_iri)


def standard_prefixes() -> dict[str, str]:
    """The standard vocabularies we reuse, with their customary prefixes."""
    return {
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "owl": str(OWL),
        "xsd": str(XSD),
        "skos": str(SKOS),
        "dcterms": str(DCTERMS),
        "dcat": str(DCAT),
        "foaf": str(FOAF),
        "prov": str(PROV),
        "org": str(ORG),
        "schema": str(SCHEMA),
        "cv": str(CV),
        "frapo": str(FRAPO),
        "eurio": str(EURIO),
        "time": str(TIME),
        "vcard": str(VCARD),
        "vann": str(VANN),
        "void": str(VOID),
        "sd": str(SD),
        "sh": str(SH),
        "adms": str(ADMS),
    }


def prefix_map(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, str]:
    """The one merged prefix map: the standard vocabularies plus ours under `base_iri`."""
    return {**standard_prefixes(), **our_namespaces(base_iri).prefixes()}


def shorten_iri(iri: str, prefixes: dict[str, str]) -> str:
    """`iri` as prefix:local where a prefix fits (the longest namespace wins; the local
    part holds no '/' or '#'), else as <iri>."""
    best = ""
    for prefix, namespace in prefixes.items():
        local = iri[len(namespace) :]
        if (
            iri.startswith(namespace)
            and local
            and "/" not in local
            and "#" not in local
            and len(namespace) > len(prefixes.get(best, ""))
        ):
            best = prefix
    return f"{best}:{iri[len(prefixes[best]) :]}" if best else f"<{iri}>"
