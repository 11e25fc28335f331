"""The SPARQL 1.1 Protocol endpoint at /sparql (and /sparql/, as the W3C tests use).

A plain Starlette route, not a FastAPI one: this is the hot path, and it needs no
validation or dependency injection beyond reading the request itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from kompass_graph.errors import OverloadedError, UsageError
from kompass_graph.formats import format_by_name
from kompass_graph.store import NoFormatForAnswerError, QueryRequest
from kompass_graph.web import ui
from kompass_graph.web.negotiation import best_media_type, negotiate, not_acceptable
from kompass_graph.web.protocol import read_protocol_request
from kompass_graph.web.service_description import describe_service, endpoint_iri, write_description
from kompass_graph.web.state import AppState, ClientShare, app_state

__all__ = ["ROWS_HEADER", "TRUNCATED_HEADER", "router", "sparql_endpoint"]

logger = logging.getLogger(__name__)

ROWS_HEADER = "Kompass-Result-Rows"
TRUNCATED_HEADER = "Kompass-Result-Truncated"
_DESCRIPTION_TYPES = ("text/turtle", "application/ld+json", "application/n-triples", "text/html")
_VARY = {"Vary": "Accept"}
_DESCRIPTION_FORMATS = {
    "text/turtle": "turtle",
    "application/ld+json": "jsonld",
    "application/n-triples": "ntriples",
}


def _endpoint_url(request: Request) -> str:
    """This endpoint's URL as the client addressed it (also the base IRI of queries)."""
    return endpoint_iri(request.scope, request.headers.get("host"))


def _query_page(state: AppState) -> str:
    """The browser query page, rendered once per server process."""
    if state.query_page is None:
        state.query_page = _render_query_page(state)
    return state.query_page


def _render_query_page(state: AppState) -> str:
    """The browser query page (kompass_graph.web.ui) with the app's stored queries."""
    return ui.build_query_page(state.settings, queries=state.queries)


def _describe(request: Request, state: AppState) -> Response:
    accept = request.headers.get("accept")
    chosen = best_media_type(accept, _DESCRIPTION_TYPES)
    if chosen == "text/html":
        return HTMLResponse(_query_page(state), headers=_VARY)
    if chosen is None:
        raise not_acceptable("graph", accept)
    description = describe_service(
        endpoint=_endpoint_url(request),
        release=state.release,
        report=state.store.load_report,
        union_default_graph=state.settings.union_default_graph,
    )
    body = write_description(description, _DESCRIPTION_FORMATS[chosen])
    media_type = format_by_name(_DESCRIPTION_FORMATS[chosen]).content_type
    return Response(body, headers=_VARY, media_type=media_type)


@asynccontextmanager
async def _client_slot(state: AppState, request: Request) -> AsyncIterator[None]:
    """Hold one of this client's `max_queries_per_client` slots while its query runs:
    past its share a client's next query waits (within its time limit) for one of its
    own to finish, so one client cannot take every slot; a client with as many queries
    waiting as the queue holds gets 503 at once."""
    client = request.client.host if request.client else "unknown"
    settings = state.settings
    share = state.client_shares.get(client)
    if share is None:
        share = state.client_shares[client] = ClientShare(settings.max_queries_per_client)
    if not share.slots.locked():  # the common case: a free slot, no waiting, no timer
        await share.slots.acquire()
    elif share.waiting >= max(settings.max_queued_queries, 1):
        raise OverloadedError(
            f"this client already has {share.waiting} queries waiting for one of its "
            f"{settings.max_queries_per_client} slots",
            hint="wait for an answer before sending the next query",
        )
    else:
        await _wait_for_a_slot(share, settings.max_queries_per_client, settings.query_timeout)
    share.running += 1
    try:
        yield
    finally:
        share.running -= 1
        share.slots.release()
        if share.idle:
            state.client_shares.pop(client, None)


async def _wait_for_a_slot(share: ClientShare, size: int, timeout: float) -> None:
    share.waiting += 1
    try:
        async with asyncio.timeout(timeout):
            await share.slots.acquire()
    except TimeoutError:
        raise OverloadedError(
            f"this client's {size} query slots stayed busy for the query's whole time "
            f"limit ({timeout:g} s)",
        ) from None
    finally:
        share.waiting -= 1


async def sparql_endpoint(request: Request) -> Response:
    state = app_state(request)
    settings = state.settings
    protocol = await read_protocol_request(request, max_query_length=settings.max_query_length)
    if protocol.query is None:
        if request.method in ("GET", "HEAD") and not request.query_params:
            return _describe(request, state)
        raise UsageError(
            "no query was sent", hint="pass the query in the query parameter or as the body"
        )
    if not protocol.query.strip():
        raise UsageError("the query is empty", hint="send a SELECT, ASK, CONSTRUCT or DESCRIBE")
    accept = request.headers.get("accept")
    query_request = QueryRequest(
        query=protocol.query,
        formats=negotiate(accept, protocol.format),
        default_graphs=protocol.default_graphs,
        named_graphs=protocol.named_graphs,
        union_default_graph=settings.union_default_graph,
        max_rows=settings.max_result_rows,
        max_bytes=settings.max_result_bytes,
        base_iri=_endpoint_url(request),
    )
    try:
        async with _client_slot(state, request):
            answer = await state.store.execute(query_request, timeout=settings.query_timeout)
    except NoFormatForAnswerError as error:
        raise not_acceptable(error.kind, protocol.format or accept) from None
    headers = {"Vary": "Accept", ROWS_HEADER: str(answer.rows)}
    if answer.truncated:
        limit = (
            f"max-bytes={settings.max_result_bytes}"
            if answer.cut_by == "bytes"
            else f"max-rows={settings.max_result_rows}"
        )
        headers[TRUNCATED_HEADER] = f"true; {limit}"
    media = format_by_name(answer.format_name).content_type
    return Response(answer.body, headers=headers, media_type=media)


router = APIRouter()
router.add_route("/sparql", sparql_endpoint, methods=["GET", "HEAD", "POST"])
router.add_route("/sparql/", sparql_endpoint, methods=["GET", "HEAD", "POST"])
