"""`/linksets` (and `/linksets.json`): the release's linkset report for dataset linkers.

Per external target (official keys, NUTS, Wikidata, GND, …): how many of our resources
link to it, the kinds of resource that do not yet, and the SPARQL that joins on it,
shown in a <pre> (escaped like every value). The report is linksets.json of the
release (kompass_graph/publish/linksets.py); /linksets.json answers it as it is.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from kompass_graph.namespaces import prefix_map, shorten_iri
from kompass_graph.publish.release_files import read_linksets
from kompass_graph.web.language import language_links, page_language
from kompass_graph.web.negotiation import best_media_type
from kompass_graph.web.published import published_release
from kompass_graph.web.state import app_state
from kompass_graph.web.ui import asset_url, page_templates

__all__ = ["LINKSETS_PATH", "router"]

LINKSETS_PATH = "/linksets"
_JSON = "application/json"
_HTML = "text/html"
#: resources not yet linked listed per kind; past it the page says how many more
_SHOWN_UNLINKED = 50

router = APIRouter()


async def _report(request: Request) -> dict[str, Any]:
    release = published_release(request).require()
    return await asyncio.to_thread(read_linksets, release)


@router.api_route(LINKSETS_PATH, methods=["GET", "HEAD"], include_in_schema=False)
async def _linksets(request: Request) -> Response:
    """The linkset report as a page (or JSON, by Accept)."""
    report = await _report(request)
    if best_media_type(request.headers.get("accept"), (_HTML, _JSON)) == _JSON:
        return _json(report)
    language = page_language(request)
    published = published_release(request)
    state = app_state(request)
    prefixes = prefix_map(state.settings.base_iri)
    html = (
        page_templates()
        .get_template("linksets.html")
        .render(
            title="Linksets",
            lang=language,
            stylesheet=asset_url("pages.css"),
            language_links=language_links(request),
            report=report,
            release=published.identifier,
            link=state.paths.link_for,
            short=lambda iri: shorten_iri(iri, prefixes),
            shown_unlinked=_SHOWN_UNLINKED,
        )
    )
    alternate = f'<{LINKSETS_PATH}.json>; rel="alternate"; type="{_JSON}"'
    return HTMLResponse(html, headers={"Link": alternate})


@router.api_route(LINKSETS_PATH + ".json", methods=["GET", "HEAD"], include_in_schema=False)
async def _linksets_json(request: Request) -> Response:
    return _json(await _report(request))


def _json(report: dict[str, Any]) -> Response:
    return Response(json.dumps(report, ensure_ascii=False, indent=1), 200, None, _JSON)
