"""Where an external identifier is looked up: one table, from scheme to registry URL.

Our identifier nodes (`kg:ExternalIdentifier`) carry a notation and a scheme from the
code list `concept/identifier-scheme/`. A page links each notation to its registry:
to the page the data states for the identifier (`foaf:page`) where there is one, else
to the URL this table builds. The table follows the URLs the data itself uses
(`dcterms:spatial` in data/reference.trig): the German official keys to the DCAT-AP.de
political-geocoding vocabularies (one per key kind, the ones DCAT-AP.de imports),
NUTS codes to the EU's NUTS pages, Wikidata and the GND to their entity URLs.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from kompass_graph.linked_data.rows import GraphReader
from kompass_graph.namespaces import ADMS, FOAF, KG, SKOS
from kompass_graph.terms import Term

__all__ = [
    "KEY_PROPERTIES",
    "REGISTRY_URLS",
    "IdentifierLink",
    "identifier_links",
    "registry_url",
]

_GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"

#: scheme (local name under `<base>concept/identifier-scheme/`) -> URL with `{}` for
#: the notation
REGISTRY_URLS: dict[str, str] = {
    "ags": _GEOCODING + "municipalityKey/{}",
    "ars": _GEOCODING + "regionalKey/{}",
    "district-key": _GEOCODING + "districtKey/{}",
    "state-key": _GEOCODING + "stateKey/{}",
    "nuts": "http://data.europa.eu/nuts/code/{}",
    "wikidata": "http://www.wikidata.org/entity/{}",
    "gnd": "https://d-nb.info/gnd/{}",
}

#: the literal-valued key properties of an actor, and the scheme each holds
KEY_PROPERTIES: dict[str, str] = {
    str(KG.ags): "ags",
    str(KG.ars): "ars",
    str(KG.districtKey): "district-key",
    str(KG.stateKey): "state-key",
    str(KG.nutsCode): "nuts",
}

_SCHEME_PATH = "concept/identifier-scheme/"

_IDENTIFIERS = f"""
SELECT ?s ?id ?notation ?scheme ?page WHERE {{
  ?s <{ADMS.identifier}> ?id .
  ?id <{SKOS.notation}> ?notation ; <{KG.identifierScheme}> ?scheme .
  OPTIONAL {{ ?id <{FOAF.page}> ?page }}
}}
"""


@dataclass(frozen=True)
class IdentifierLink:
    """One identifier of a resource: its node, notation, scheme and registry URL."""

    identifier: str
    notation: str
    scheme: str
    href: str | None


def registry_url(scheme_iri: str, notation: str, *, base_iri: str) -> str | None:
    """The registry URL of `notation` in the scheme `scheme_iri`; None for a scheme
    that is not ours or has no registry in the table."""
    prefix = base_iri + _SCHEME_PATH
    if not scheme_iri.startswith(prefix):
        return None
    template = REGISTRY_URLS.get(scheme_iri[len(prefix) :])
    return None if template is None else template.format(quote(notation, safe=""))


async def identifier_links(reader: GraphReader, iri: str, *, base_iri: str) -> list[IdentifierLink]:
    """The identifiers `iri` has (`adms:identifier`), sorted by scheme and notation."""
    answer = await reader.select(
        _IDENTIFIERS, source="resource identifiers", bindings={"s": Term.iri(iri)}
    )
    found: dict[str, IdentifierLink] = {}
    for row in answer.rows:
        scheme, notation = row["scheme"].value, row["notation"].value
        page = row.get("page")
        href = page.value if page is not None else registry_url(scheme, notation, base_iri=base_iri)
        found.setdefault(row["id"].value, IdentifierLink(row["id"].value, notation, scheme, href))
    return sorted(found.values(), key=lambda link: (link.scheme, link.notation))
