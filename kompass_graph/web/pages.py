"""Every IRI under /id/, /concept/ and /graph/ resolves: HTML for people, RDF for machines.

`GET /id/project/x` answers by content negotiation (`kompass_graph.web.representation`:
200, `Content-Location`, `Vary`, a `Link` header naming every alternate); the document
URLs (`/id/project/x.ttl`, `.nt`, `.rdf`, `.jsonld`, `.trig`, `.nq`, `.html`) answer
their format without negotiating. The server path stands for the canonical IRI under
`Settings.base_iri` (`state.paths`). An IRI the graph does not know is a 404 problem.

The HTML page is German unless `?lang=en` (or `?lang=de`) or `Accept-Language` asks
otherwise (`kompass_graph.web.language`, the rule of every page). Incoming links are
paged with `?in_offset=` (`INCOMING_PAGE_SIZE` a page).
What the page shows is built in `kompass_graph.linked_data.resource_view`; this module
only speaks HTTP.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from kompass_graph.errors import InvalidParameterError, SourceNotFoundError
from kompass_graph.linked_data.describe import (
    describe_resource,
    description_statements,
    graph_statement_count,
    resource_exists,
)
from kompass_graph.linked_data.diagram import Diagram, project_diagram
from kompass_graph.linked_data.paths import split_document_path
from kompass_graph.linked_data.resource_view import build_resource_view
from kompass_graph.namespaces import KG, prefix_map
from kompass_graph.store.documents import write_statements
from kompass_graph.web.language import language_links, page_language
from kompass_graph.web.representation import (
    HTML_SUFFIX,
    Representation,
    alternates,
    choose_representation,
    link_header,
)
from kompass_graph.web.state import AppState, app_state
from kompass_graph.web.ui import ENDPOINT_PATH, asset_url, page_templates

__all__ = ["INCOMING_PAGE_SIZE", "resource_page", "router"]

INCOMING_PAGE_SIZE = 50
_MAX_OFFSET = 10**9
_VARY = "Accept, Accept-Language"

router = APIRouter()


def _incoming_offset(request: Request) -> int:
    raw = request.query_params.get("in_offset", "0")
    if not raw.isdigit() or int(raw) > _MAX_OFFSET:
        raise InvalidParameterError(
            f"{raw!r} is not a number of incoming links to skip",
            parameter="in_offset",
            expected=f"a whole number from 0 to {_MAX_OFFSET}",
        )
    return int(raw)


def _requested(request: Request) -> tuple[str, Representation, bool]:
    """(the resource's path, what to answer, whether the URL chose it)."""
    path = request.url.path
    stem, fmt = split_document_path(path)
    if fmt is not None:
        return stem, Representation(fmt), True
    if path.endswith(f".{HTML_SUFFIX}"):
        return path[: -len(HTML_SUFFIX) - 1], Representation(None), True
    return path, choose_representation(request.headers.get("accept")), False


def _query_link(iri: str) -> str:
    """The query page with a query of the resource's statements and their graphs."""
    query = (
        "SELECT ?property ?value ?graph WHERE {\n"
        f"  {{ GRAPH ?graph {{ <{iri}> ?property ?value }} }}\n"
        "  UNION\n"
        f"  {{ <{iri}> ?property ?value\n"
        f"    FILTER NOT EXISTS {{ GRAPH ?g {{ <{iri}> ?property ?value }} }} }}\n"
        "}\nORDER BY ?property ?value\n"
    )
    return f"{ENDPOINT_PATH}#query={quote(query, safe='')}"


def _page_url(path: str, **params: str | int) -> str:
    return f"{path}?{urlencode(params)}"


async def _html(request: Request, state: AppState, stem: str, iri: str, lang: str) -> str:
    offset = _incoming_offset(request)
    view = await build_resource_view(
        state.reader,
        state.paths,
        iri,
        lang=lang,
        incoming_offset=offset,
        incoming_limit=INCOMING_PAGE_SIZE,
    )
    diagram: Diagram | None = None
    if f"{KG}Project" in view.description.types:
        diagram = await project_diagram(state.reader, state.paths, iri, lang=lang, title=view.title)
    graph_size = None
    if stem.startswith("/graph/"):
        graph_size = await graph_statement_count(state.reader, iri)
    page = view.incoming_page
    links = {
        "previous": None
        if page.previous_offset is None
        else _page_url(stem, lang=lang, in_offset=page.previous_offset),
        "next": None
        if page.next_offset is None
        else _page_url(stem, lang=lang, in_offset=page.next_offset),
    }
    return (
        page_templates()
        .get_template("resource.html")
        .render(
            lang=lang,
            title=view.title,
            stylesheet=asset_url("pages.css"),
            alternates=alternates(stem),
            language_links=language_links(request),
            view=view,
            diagram=diagram,
            graph_size=graph_size,
            incoming_links=links,
            query_link=_query_link(iri),
        )
    )


async def resource_page(request: Request) -> Response:
    """A resource under our base, in the representation asked for."""
    state = app_state(request)
    stem, representation, explicit = _requested(request)
    iri = state.paths.iri_for(stem)
    if not await resource_exists(state.reader, iri):
        raise SourceNotFoundError(
            f"{iri} is not in this graph",
            hint="the IRIs this server knows are listed at / and can be found at /sparql",
        )
    headers = {
        "Content-Location": f"{stem}.{representation.suffix}",
        "Link": link_header(alternates(stem)),
    }
    # the resource's URL answers by Accept, and in HTML by Accept-Language; a document
    # URL has one format, and only its HTML depends on the language
    if not explicit:
        headers["Vary"] = _VARY
    elif representation.is_html:
        headers["Vary"] = "Accept-Language"
    if representation.format is not None:
        statements = description_statements(await describe_resource(state.reader, iri))
        body = write_statements(
            statements,
            representation.format.name,
            prefixes=prefix_map(state.paths.base_iri),
        )
        return Response(body, media_type=representation.content_type, headers=headers)
    lang = page_language(request)
    html = await _html(request, state, stem, iri, lang)
    headers["Content-Language"] = lang
    return Response(html, media_type=representation.content_type, headers=headers)


for _prefix in ("id", "concept", "graph"):
    router.add_route(f"/{_prefix}/{{rest:path}}", resource_page, methods=["GET", "HEAD"])
