"""The landing page at `/`: what the dataset is, what it holds, and the ways in.

For people: what Kompass Graph is, how many instances each of our classes has, the
projects (each linking to its page, `/id/project/…`), the ways in (the query UI
/sparql, the API docs /docs, the ontology /ontology), the downloads of the release
(its dumps, /download/, /.well-known/void, /linksets), the licence and the sources.
For dataset search engines: a schema.org `Dataset` description embedded as JSON-LD,
written with Jinja's `tojson` (which escapes `<`, `>`, `&` and `'`), so no label from
the data can close the script element.

Everything the page says about the data comes from the store through the one query
path: the counts, the projects, the source pages (`foaf:page` of each
`kg:SourceDocument`) and the licence the ontology states (`dcterms:license`); the
repository states no licence for the data itself, and the page says so. German by
default, English with `?lang=en` or Accept-Language (web/language.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse

from kompass_graph.linked_data.ontology_graph import (
    TermLink,
    class_counts,
    instances,
    ontology_iris,
    text_in,
    text_sort_key,
)
from kompass_graph.namespaces import DCTERMS, FOAF
from kompass_graph.terms import Term
from kompass_graph.web.language import LANGUAGES, language_links, page_language
from kompass_graph.web.published import PublishedRelease
from kompass_graph.web.state import AppState, app_state
from kompass_graph.web.ui import ENDPOINT_PATH, asset_url, page_templates

__all__ = ["SourcePage", "landing_page", "router"]

router = APIRouter()

_TEMPLATE = "landing.html"
_NAME = "Kompass Graph"
#: most projects listed; past it the page says how many more there are
_MAX_PROJECTS = 1000

_DESCRIPTION = {
    "de": "Die Projekte des hessischen Integrationskompass als Wissensgraph: Akteure, "
    "Projekte, Förderungen, Beteiligungen mit Rollen, Netzwerke und Ziele, jede Aussage "
    "mit ihrer Quelle (ein benannter Graph je Quelle), als Linked Open Data mit "
    "SPARQL-Endpunkt und einer an W3C ORG, schema.org, PROV-O, SKOS, FRAPO und EURIO "
    "ausgerichteten Ontologie.",
    "en": "The projects of the Hessian Integrationskompass as a knowledge graph: actors, "
    "projects, fundings, participation with roles, networks and goals, every statement "
    "with its source (a named graph per source), published as linked open data with a "
    "SPARQL endpoint and an ontology aligned to W3C ORG, schema.org, PROV-O, SKOS, FRAPO "
    "and EURIO.",
}

_SOURCES = f"""PREFIX dcterms: <{DCTERMS}>
PREFIX foaf: <{FOAF}>
SELECT ?document ?page ?title ?portal ?portalTitle ?class WHERE {{
  ?document a ?class ; foaf:page ?page .
  OPTIONAL {{ ?document dcterms:title ?title }}
  OPTIONAL {{
    ?document dcterms:isPartOf ?portal .
    OPTIONAL {{ ?portal dcterms:title ?portalTitle }}
  }}
}} ORDER BY ?document ?page"""

_ONTOLOGY_FACTS = f"""PREFIX dcterms: <{DCTERMS}>
SELECT ?ontology ?property ?value WHERE {{
  VALUES ?property {{ dcterms:license dcterms:creator }}
  ?ontology ?property ?value
}}"""


@dataclass(frozen=True)
class SourcePage:
    """A source document the data comes from: its page on the web and its record here."""

    title: str
    page: str
    record: TermLink
    portal: str | None


@router.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
async def landing_page(request: Request) -> HTMLResponse:
    state = app_state(request)
    language = page_language(request)
    base = state.settings.base_iri
    namespace = ontology_iris(base)[1]
    counts = await class_counts(state.reader, base_iri=base, language=language)
    projects = await instances(
        state.reader,
        namespace + "Project",
        paths=state.paths,
        language=language,
        limit=_MAX_PROJECTS + 1,
    )
    projects.sort(key=lambda p: (text_sort_key(p.text), p.iri))
    sources = await _source_pages(state, language)
    licences, creators = await _ontology_facts(state)
    project_count = next((c.instances for c in counts if c.iri == namespace + "Project"), 0)
    report = state.store.load_report
    html = (
        page_templates()
        .get_template(_TEMPLATE)
        .render(
            title=_NAME,
            lang=language,
            stylesheet=asset_url("pages.css"),
            language_links=language_links(request),
            description=_DESCRIPTION[language],
            counts=counts,
            projects=projects[:_MAX_PROJECTS],
            project_count=project_count,
            sources=sources,
            licences=licences,
            code_licence=_code_licence(),
            triples=report.triples if report else None,
            release=state.release,
            endpoint=ENDPOINT_PATH,
            dumps=_dumps(getattr(request.app.state, "published", None)),
            dataset=_dataset(state, language, licences, creators, sources, projects),
        )
    )
    return HTMLResponse(html)


def _dumps(published: PublishedRelease | None) -> list[tuple[str, str, int]]:
    """(name, media type, bytes) of each dump of the release (kompass-graph.*), for the
    Downloads section; none while there is no release."""
    if published is None or published.release is None:
        return []
    return [
        (d.name, "application/gzip" if d.compression == "gzip" else d.media_type, d.size)
        for d in published.release.facts.distributions
        if d.name.startswith("kompass-graph.") and published.file(d.name) is not None
    ]


async def _source_pages(state: AppState, language: str) -> list[SourcePage]:
    answer = await state.reader.select(
        _SOURCES,
        source="landing page sources",
        bindings={"class": Term.iri(ontology_iris(state.settings.base_iri)[1] + "SourceDocument")},
    )
    titles: dict[tuple[str, str], list[Term]] = {}
    portals: dict[tuple[str, str], list[Term]] = {}
    for row in answer.rows:
        key = (row["document"].value, row["page"].value)
        titles.setdefault(key, []).extend([row["title"]] if "title" in row else [])
        portals.setdefault(key, []).extend([row["portalTitle"]] if "portalTitle" in row else [])
    found = []
    for (document, page), labels in titles.items():
        title = text_in(labels, language)
        portal = text_in(portals[(document, page)], language)
        record = TermLink(document, document, state.paths.link_for(document), document)
        found.append(
            SourcePage(title.text if title else page, page, record, portal.text if portal else None)
        )
    return found


async def _ontology_facts(state: AppState) -> tuple[list[str], list[str]]:
    """The licences and creators the ontology states."""
    answer = await state.reader.select(
        _ONTOLOGY_FACTS,
        source="landing page licence",
        bindings={"ontology": Term.iri(ontology_iris(state.settings.base_iri)[0])},
    )
    values: dict[str, list[str]] = {str(DCTERMS.license): [], str(DCTERMS.creator): []}
    for row in answer.rows:
        values[row["property"].value].append(row["value"].value)
    return sorted(values[str(DCTERMS.license)]), sorted(values[str(DCTERMS.creator)])


def _code_licence() -> str | None:
    """The licence of the software, as the installed package states it (pyproject.toml)."""
    try:
        stated = metadata.metadata("kompass-graph")["License-Expression"]
    except (metadata.PackageNotFoundError, KeyError):
        return None
    return str(stated) if stated else None


def _dataset(
    state: AppState,
    language: str,
    licences: list[str],
    creators: list[str],
    sources: list[SourcePage],
    projects: list[TermLink],
) -> dict[str, Any]:
    """The schema.org Dataset description (https://schema.org/Dataset) of what we serve."""
    base = state.settings.base_iri
    dataset: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": base,
        "name": _NAME,
        "description": _DESCRIPTION[language],
        "url": base,
        "inLanguage": list(LANGUAGES),
        "isAccessibleForFree": True,
        "version": state.release,
        "keywords": ["Integrationskompass", "Hessen", "Integration", "Linked Open Data"],
    }
    if licences:
        dataset["license"] = licences[0] if len(licences) == 1 else licences
    if creators:
        dataset["creator"] = [{"@type": "Organization", "name": c} for c in creators]
    if sources:
        dataset["isBasedOn"] = [
            {"@type": "WebPage", "name": s.title, "url": s.page} for s in sources
        ]
    if projects:
        dataset["about"] = [{"@id": p.iri, "name": p.text} for p in projects[:_MAX_PROJECTS]]
    return dataset
