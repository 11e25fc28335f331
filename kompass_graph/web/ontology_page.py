"""The ontology's IRI: `/ontology` (and its version IRI), by content negotiation.

`<base>ontology` answers like every resource we serve (web/representation.py): 200 with
`Content-Location`, `Vary` and a `Link` header naming every document; Turtle, N-Triples,
RDF/XML, JSON-LD, TriG or N-Quads for machines, documentation for browsers. The
documents are `/ontology.ttl` … `/ontology.html`. The version IRI (`owl:versionIRI`,
`/ontology/0.2.0`) answers the same, from its own document URLs; a version the store
does not name is 404.

Both the RDF and the documentation come from the store (linked_data/ontology_graph.py,
ontology_docs.py): the statements about the ontology and its terms as loaded. Each
term's section has its local name as `id`, so the term IRI `…/ontology#Project`,
followed by a browser to `/ontology#Project`, lands on it. The page is German unless
`?lang=en` or Accept-Language asks for English (web/language.py).
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from kompass_graph.errors import SourceNotFoundError
from kompass_graph.formats import MediaFormat, format_by_suffix
from kompass_graph.linked_data.ontology_docs import document_ontology
from kompass_graph.linked_data.ontology_graph import ontology_iris, ontology_statements
from kompass_graph.linked_data.paths import split_document_path
from kompass_graph.namespaces import OWL, prefix_map
from kompass_graph.store.documents import write_statements
from kompass_graph.web.language import language_links, page_language
from kompass_graph.web.representation import (
    HTML_SUFFIX,
    Alternate,
    Representation,
    alternates,
    choose_representation,
    link_header,
)
from kompass_graph.web.state import AppState, app_state
from kompass_graph.web.ui import asset_url, page_templates

__all__ = ["ontology", "ontology_document", "ontology_version", "router"]

router = APIRouter()

_ONTOLOGY_PATH = "/ontology"
_TEMPLATE = "ontology.html"
# the documentation's language follows Accept-Language; the RDF does not
_VARY_NEGOTIATED = "Accept, Accept-Language"
_VARY_DOCUMENT = "Accept-Language"


@router.api_route(_ONTOLOGY_PATH, methods=["GET", "HEAD"], include_in_schema=False)
async def ontology(request: Request) -> Response:
    """The ontology in the representation the client prefers."""
    chosen = choose_representation(request.headers.get("accept"))
    return await _answer(request, _ONTOLOGY_PATH, chosen, vary=_VARY_NEGOTIATED)


@router.api_route(_ONTOLOGY_PATH + ".{suffix}", methods=["GET", "HEAD"], include_in_schema=False)
async def ontology_document(request: Request, suffix: str) -> Response:
    """One document of the ontology: `/ontology.ttl`, `/ontology.html`, …"""
    return await _answer(request, _ONTOLOGY_PATH, _explicit(request, suffix), vary=_VARY_DOCUMENT)


@router.api_route(
    _ONTOLOGY_PATH + "/{version:path}", methods=["GET", "HEAD"], include_in_schema=False
)
async def ontology_version(request: Request, version: str) -> Response:
    """The version IRI (`/ontology/0.2.0`) and its documents (`/ontology/0.2.0.ttl`)."""
    stem, fmt = split_document_path(request.url.path)
    explicit = fmt is not None or stem.endswith("." + HTML_SUFFIX)
    if stem.endswith("." + HTML_SUFFIX):
        stem = stem.removesuffix("." + HTML_SUFFIX)
    state = app_state(request)
    statements = await ontology_statements(state.reader, base_iri=state.settings.base_iri)
    version_iri = state.paths.iri_for(stem)
    ontology_iri = ontology_iris(state.settings.base_iri)[0]
    if not any(
        s.subject.value == ontology_iri
        and s.predicate.value == str(OWL.versionIRI)
        and s.object.value == version_iri
        for s in statements
    ):
        raise SourceNotFoundError(
            f"this server serves no version {version_iri} of the ontology",
            hint=f"the current version is named in {_ONTOLOGY_PATH}.ttl (owl:versionIRI)",
        )
    if explicit:
        chosen = Representation(fmt)
        vary = _VARY_DOCUMENT
    else:
        chosen = choose_representation(request.headers.get("accept"))
        vary = _VARY_NEGOTIATED
    return await _answer(request, stem, chosen, vary=vary)


def _explicit(request: Request, suffix: str) -> Representation:
    if suffix == HTML_SUFFIX:
        return Representation(None)
    fmt: MediaFormat | None = format_by_suffix(suffix)
    if fmt is None:
        raise SourceNotFoundError(
            f"the ontology has no document {request.url.path}",
            hint="documents: " + ", ".join(a.href for a in alternates(_ONTOLOGY_PATH)),
        )
    return Representation(fmt)


async def _answer(request: Request, stem: str, chosen: Representation, *, vary: str) -> Response:
    state = app_state(request)
    documents = alternates(stem)
    headers = {
        "Content-Location": f"{stem}.{chosen.suffix}",
        "Vary": vary,
        "Link": link_header(documents),
    }
    if chosen.format is None:
        body = await _documentation(request, state, documents)
    else:
        statements = await ontology_statements(state.reader, base_iri=state.settings.base_iri)
        if not statements:
            raise _no_ontology(state)
        prefixes = prefix_map(state.settings.base_iri)
        body = write_statements(statements, chosen.format.name, prefixes=prefixes)
    return Response(body, headers=headers, media_type=chosen.content_type)


async def _documentation(request: Request, state: AppState, documents: list[Alternate]) -> bytes:
    language = page_language(request)
    doc = await document_ontology(state.reader, paths=state.paths, language=language)
    if doc is None:
        raise _no_ontology(state)
    html = (
        page_templates()
        .get_template(_TEMPLATE)
        .render(
            title=doc.title.text if doc.title else doc.iri,
            lang=language,
            stylesheet=asset_url("pages.css"),
            alternates=documents,
            language_links=language_links(request),
            doc=doc,
            object_properties=[p for p in doc.properties if "ObjectProperty" in p.kinds],
            datatype_properties=[p for p in doc.properties if "DatatypeProperty" in p.kinds],
            other_properties=[
                p
                for p in doc.properties
                if "ObjectProperty" not in p.kinds and "DatatypeProperty" not in p.kinds
            ],
            release=state.release,
        )
    )
    return html.encode("utf-8")


def _no_ontology(state: AppState) -> SourceNotFoundError:
    return SourceNotFoundError(
        f"the store holds no ontology {ontology_iris(state.settings.base_iri)[0]}",
        hint="serve the project's ontology (ontology/kompass.ttl) with the data",
    )
