"""The stored queries as API operations: `/api/queries` and `/api/queries/{name}`.

Every `sparql/*.rq` of the registry (`state.queries`) is an operation of its own: its
header's title, description and typed parameters document it (one OpenAPI path per
query, see openapi.py), and its parameters arrive as query-string values, checked by
their declared type (api_values.py) and bound as terms (`QueryRequest.bindings`), never
spliced into the text. A parameter not given takes the header's default. The answer's
format follows `Accept`: plain JSON rows (application/json, the default), CSV, or
SPARQL results as JSON or XML.

Every answer names the release it comes from, to be cited: the `Kompass-Release`
header, a `Link` rel="cite-as" (RFC 8574) to the request pinned to that release, and
in the JSON rows `release` and `cite`. A request may pin a release (`release=…`):
the served one answers as usual; another answers 409 `release-not-served`, naming
both releases and where the served release's files are (this server keeps no older
release; when the pin is the previous release, its changes to the served one are
/download/changes.rdfp). 409 rather than 404: the query exists and the request is
sound; what differs is the data the server holds.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from kompass_graph.errors import InvalidParameterError, NotAcceptableError, ReleaseNotServedError
from kompass_graph.formats import FormatChoice, format_by_name
from kompass_graph.linked_data.collections import plain_value
from kompass_graph.linked_data.rows import read_json_results
from kompass_graph.namespaces import prefix_map
from kompass_graph.queries import StoredQuery, find_stored_query
from kompass_graph.store.interface import QueryRequest
from kompass_graph.terms import Term
from kompass_graph.web.api_values import parameter_term
from kompass_graph.web.negotiation import best_media_type
from kompass_graph.web.sparql import ROWS_HEADER, TRUNCATED_HEADER
from kompass_graph.web.state import AppState, app_state

__all__ = [
    "ANSWER_MEDIA_TYPES",
    "RELEASE_PARAMETER",
    "check_release_pin",
    "citation",
    "describe_query",
    "router",
    "run_stored_query",
]

_JSON = "application/json"
#: what an operation answers in, by media type: our format name (None: plain JSON rows)
ANSWER_MEDIA_TYPES: dict[str, str | None] = {
    _JSON: None,
    "text/csv": "csv",
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
}

#: the query-string parameter that pins an answer to a release
RELEASE_PARAMETER = "release"
_CHANGES = "/download/changes.rdfp"

router = APIRouter(prefix="/api/queries", tags=["stored queries"])


def describe_query(query: StoredQuery) -> dict[str, object]:
    """A stored query as /api/queries lists it."""
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "url": f"/api/queries/{query.name}",
        "parameters": [
            {
                "name": p.name,
                "type": p.type,
                "description": p.description,
                "default": p.default,
            }
            for p in query.parameters
        ],
    }


@router.get(
    "",
    operation_id="listQueries",
    summary="The stored queries",
    response_description="every stored query with its title, description and parameters",
)
async def _list_queries(request: Request) -> Response:
    """Every stored query (sparql/*.rq), in file order; each runs at its `url`."""
    queries = [describe_query(q) for q in app_state(request).queries.values()]
    body = {"total": len(queries), "items": queries}
    return Response(json.dumps(body, ensure_ascii=False), 200, None, _JSON)


def _bindings(state: AppState, query: StoredQuery, given: dict[str, str]) -> dict[str, Term]:
    declared = {p.name: p for p in query.parameters}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise InvalidParameterError(
            f"the query {query.name} takes no such parameter",
            parameter=unknown[0],
            expected=f"one of {', '.join(declared) or '(none)'}",
        )
    prefixes = prefix_map(state.settings.base_iri)
    bindings: dict[str, Term] = {}
    for name, parameter in declared.items():
        value = given.get(name, parameter.default)
        if value is not None:
            bindings[name] = parameter_term(value, parameter, prefixes)
    return bindings


def citation(state: AppState, query: StoredQuery, given: dict[str, str]) -> tuple[str, str]:
    """(the URL of this answer pinned to the served release, the text citing it)."""
    pinned = [(k, v) for k, v in given.items() if k != RELEASE_PARAMETER]
    pinned.append((RELEASE_PARAMETER, state.release))
    url = f"{state.settings.base_iri}api/queries/{query.name}?{urlencode(pinned)}"
    return url, f"Kompass Graph: {query.title} (release {state.release}), {url}"


def check_release_pin(state: AppState, requested: str, *, previous: str | None) -> None:
    """Raise ReleaseNotServedError unless `requested` is the served release;
    `previous` is the release the served one's changes lead from, if known."""
    if requested == state.release:
        return
    where = f"the served release's files are at /download/ ({state.release})"
    if previous is not None and requested == previous:
        where += f"; its changes from {requested} are at {_CHANGES}"
    else:
        where += "; an older release's dumps are in the folder `kompass-graph build` wrote for it"
    raise ReleaseNotServedError(
        f"the release {requested} is not served here: this server answers from {state.release}",
        requested=requested,
        served=state.release,
        hint=f"leave out `{RELEASE_PARAMETER}` (or pin {state.release}) to query the served "
        f"data; {where}",
    )


async def run_stored_query(
    state: AppState, name: str, given: dict[str, str], *, media_type: str
) -> Response:
    """Run the stored query `name` with the parameters `given` and answer in `media_type`
    (one of ANSWER_MEDIA_TYPES)."""
    query = find_stored_query(dict(state.queries), name)
    bindings = _bindings(state, query, given)
    format_name = ANSWER_MEDIA_TYPES[media_type] or "json"
    boolean = format_name if format_name != "csv" else None
    answer = await state.store.execute(
        QueryRequest(
            query=query.text,
            formats=FormatChoice(bindings=format_name, boolean=boolean, graph=None),
            union_default_graph=state.settings.union_default_graph,
            max_rows=state.settings.max_result_rows,
            max_bytes=state.settings.max_result_bytes,
            bindings=tuple(bindings.items()),
            source=str(query.path.name),
        ),
        timeout=state.settings.query_timeout,
    )
    cite_url, cite = citation(state, query, given)
    headers = {
        ROWS_HEADER: str(answer.rows),
        TRUNCATED_HEADER: str(answer.truncated).lower(),
        "Link": f'<{cite_url}>; rel="cite-as"',
    }
    if ANSWER_MEDIA_TYPES[media_type] is not None:
        fmt = format_by_name(format_name)
        return Response(answer.body, 200, headers, fmt.content_type)
    document = json.loads(answer.body)
    columns = document.get("head", {}).get("vars", [])
    rows = [
        {column: plain_value(term) for column, term in row.items()}
        for row in read_json_results(answer.body)
    ]
    body = {
        "query": query.name,
        "columns": columns,
        "total": len(rows),
        "truncated": answer.truncated,
        "release": state.release,
        "cite": cite,
        "rows": rows,
    }
    return Response(json.dumps(body, ensure_ascii=False), 200, headers, _JSON)


@router.get("/{name}", include_in_schema=False)
async def _query_operation(request: Request, name: str) -> Response:
    """One stored query; documented in OpenAPI as a path of its own (openapi.py)."""
    state = app_state(request)
    accept = request.headers.get("accept")
    media_type = best_media_type(accept, tuple(ANSWER_MEDIA_TYPES)) if accept else _JSON
    if media_type is None:
        raise NotAcceptableError(
            f"the stored query cannot answer in {accept}", available=list(ANSWER_MEDIA_TYPES)
        )
    given: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in given:
            raise InvalidParameterError(
                "is given more than once", parameter=key, expected="one value"
            )
        given[key] = value
    pin = given.pop(RELEASE_PARAMETER, None)
    if pin is not None:
        published = getattr(request.app.state, "published", None)
        release = published.release if published is not None else None
        check_release_pin(state, pin, previous=release.previous if release else None)
    return await run_stored_query(state, name, given, media_type=media_type)
