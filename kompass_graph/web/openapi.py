"""The OpenAPI 3.1 document of the REST API, at /openapi.json.

Only our API is in it (the `/api/…` routes; /sparql follows the SPARQL protocol and
has its own service description). FastAPI writes the operations and their typed
parameters from the routes; to them this module adds what it cannot know:

- the response schemas, generated from the SHACL shapes (`state.schemas`, see
  kompass_graph/linked_data/shape_schemas.py), and the problem shape of every error;
- one path per stored query (`/api/queries/<name>`), its parameters typed by its header;
- an example request that works against the served data, and its real response, per
  operation (`x-example-url`, and the response's `example`), computed once on the first
  request from the data (the first project of a listing is the detail's example).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter
from fastapi.openapi.utils import get_openapi
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import Response

from kompass_graph import __version__
from kompass_graph.errors import KompassError
from kompass_graph.queries import StoredQuery
from kompass_graph.web.api_collections import CONTEXT_PATH, detail_body, listing_body
from kompass_graph.web.api_queries import (
    ANSWER_MEDIA_TYPES,
    RELEASE_PARAMETER,
    describe_query,
    run_stored_query,
)
from kompass_graph.web.problems import PROBLEM_MEDIA_TYPE
from kompass_graph.web.state import AppState, app_state

__all__ = ["OPENAPI_PATH", "api_document", "router"]

OPENAPI_PATH = "/openapi.json"
_JSON = "application/json"
_REF = "#/components/schemas/"

#: each listing's example: URL, collection, filters, label search
_LISTING_EXAMPLES: dict[str, tuple[str, str, dict[str, str | int | None], str | None]] = {
    "listProjects": ("/api/projects?funder=bamf&limit=2", "projects", {"funder": "bamf"}, None),
    "listActors": (
        "/api/actors?type=Municipality&limit=2",
        "actors",
        {"type": "Municipality"},
        None,
    ),
    "listFundings": ("/api/fundings?year=2013&limit=2", "fundings", {"year": 2013}, None),
    "listConcepts": (
        "/api/concepts?scheme=goal&q=offnung&limit=2",
        "concepts",
        {"scheme": "goal"},
        "offnung",
    ),
}
#: each detail operation: its listing, collection and schema
_DETAILS = {
    "getProject": ("listProjects", "projects", "Project"),
    "getActor": ("listActors", "actors", "Actor"),
    "getFunding": ("listFundings", "fundings", "Funding"),
    "getConcept": ("listConcepts", "concepts", "Concept"),
}
_LISTINGS = {"listProjects": "Project", "listActors": "Actor", "listFundings": "Funding"}
_LISTINGS["listConcepts"] = "Concept"
_DESCRIPTION = (
    "The Kompass Graph as plain JSON that is also JSON-LD: every answer names its "
    "`@context` (/api/context.jsonld); every object has its canonical IRI as `@id`, its "
    "`@type` and its page on this server as `url`. The objects' schemas are generated "
    "from the SHACL shapes. Listings page with `limit` and `offset`, say their `total` "
    'and link the next and previous page in a `Link` header (rel="next", rel="prev"). '
    "Filters that name a resource take a slug, a prefixed name or a full IRI. Errors are "
    "RFC 9457 problem documents. The stored queries are operations of their own."
)

router = APIRouter()


def _problem_schema() -> dict[str, object]:
    text = {"type": "string"}
    return {
        "type": "object",
        "description": "RFC 9457 problem details",
        "properties": {
            "type": {"type": "string", "format": "uri"},
            "title": text,
            "status": {"type": "integer"},
            "detail": text,
            "instance": text,
            "hint": text,
            "parameter": {**text, "description": "the parameter at fault (422)"},
            "expected": {**text, "description": "what the parameter takes (422)"},
        },
        "required": ["type", "title", "status", "detail"],
    }


def _page_schema(item: str) -> dict[str, object]:
    return {
        "type": "object",
        "properties": {
            "@context": {"type": "string"},
            "@id": {"type": "string"},
            "@type": {"const": "hydra:Collection"},
            "total": {"type": "integer", "minimum": 0},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
            "items": {"type": "array", "items": {"$ref": _REF + item}},
        },
        "required": ["@context", "@id", "@type", "total", "limit", "offset", "items"],
    }


def _rows_schema() -> dict[str, object]:
    return {
        "type": "object",
        "properties": {
            "query": {"type": "string"},
            "columns": {"type": "array", "items": {"type": "string"}},
            "total": {"type": "integer"},
            "truncated": {"type": "boolean"},
            "release": {"type": "string", "description": "the release that answered"},
            "cite": {
                "type": "string",
                "description": "a citation of this answer: the query, the release, and "
                "the URL of the answer pinned to that release",
            },
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": {"type": ["string", "number", "boolean"]},
                },
            },
        },
        "required": ["query", "columns", "total", "truncated", "release", "cite", "rows"],
    }


def _problems(*statuses: int) -> dict[str, object]:
    titles = {
        404: "Not found",
        406: "Not acceptable",
        409: "The release pinned is not the one served (release-not-served)",
        422: "Invalid parameter",
    }
    return {
        str(status): {
            "description": titles[status],
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": _REF + "Problem"}}},
        }
        for status in statuses
    }


def _query_operation(query: StoredQuery) -> dict[str, object]:
    formats = {
        "integer": {"type": "integer"},
        "decimal": {"type": "number"},
        "boolean": {"type": "boolean"},
        "date": {"type": "string", "format": "date"},
        "year": {"type": "string", "pattern": "^[0-9]{4}$"},
        "iri": {"type": "string", "format": "iri-reference"},
    }
    parameters = []
    for parameter in query.parameters:
        schema: dict[str, object] = dict(formats.get(parameter.type, {"type": "string"}))
        if parameter.default is not None:
            schema["default"] = parameter.default
        description = parameter.description or parameter.name
        if parameter.type == "iri":
            description += " (an IRI: <https://…>, https://… or a prefixed name)"
        parameters.append(
            {"name": parameter.name, "in": "query", "required": False,
             "description": description, "schema": schema}
        )  # fmt: skip
    parameters.append(
        {
            "name": RELEASE_PARAMETER,
            "in": "query",
            "required": False,
            "description": "Pin the answer to a release (as the Kompass-Release header and "
            "`release` name it): the served release answers as usual, another one 409.",
            "schema": {"type": "string"},
        }
    )
    answers: dict[str, object] = {
        media: {"schema": {"$ref": _REF + "QueryRows"}} if name is None else {}
        for media, name in ANSWER_MEDIA_TYPES.items()
    }
    responses: dict[str, object] = {
        "200": {"description": "the rows, in the format Accept asks for", "content": answers},
        **_problems(404, 406, 409, 422),
    }
    return {
        "get": {
            "tags": ["stored queries"],
            "operationId": "query_" + query.name.replace("-", "_"),
            "summary": query.title,
            "description": query.description + f"\n\nThe SPARQL text: sparql/{query.name}.rq",
            "parameters": parameters,
            "responses": responses,
            "x-example-url": f"/api/queries/{query.name}",
        }
    }


def _operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        operation["operationId"]: operation
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }


def _describe_responses(document: dict[str, Any], state: AppState) -> None:
    for operation_id, operation in _operations(document).items():
        responses = operation.setdefault("responses", {})
        ok = responses.setdefault("200", {"description": "OK"})
        schema: dict[str, object] | None = None
        if operation_id in _LISTINGS:
            schema = {"$ref": f"{_REF}{_LISTINGS[operation_id]}Page"}
        elif operation_id in _DETAILS:
            schema = {"$ref": _REF + _DETAILS[operation_id][2]}
            responses.update(_problems(404))
        elif operation_id == "listQueries":
            schema = {"$ref": _REF + "QueryList"}
        if schema is not None:
            ok["content"] = {_JSON: {"schema": schema}, "application/ld+json": {"schema": schema}}
        if "422" in responses:
            responses.update(_problems(422))
    components = document.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    components["Problem"] = _problem_schema()
    components["QueryRows"] = _rows_schema()
    listed = {"type": "array", "items": {"type": "object"}}
    components["QueryList"] = {
        "type": "object",
        "properties": {"total": {"type": "integer"}, "items": listed},
    }
    for name, resource in state.schemas.resources.items():
        components[name] = resource.json_schema()
        components[name + "Page"] = _page_schema(name)
    for query in state.queries.values():
        document["paths"][f"/api/queries/{query.name}"] = _query_operation(query)


def _example(operation: dict[str, Any], url: str, body: object) -> None:
    operation["x-example-url"] = url
    content = operation["responses"]["200"].setdefault("content", {})
    content.setdefault(_JSON, {})["example"] = body


async def _add_examples(document: dict[str, Any], state: AppState) -> None:
    """Real examples from the served data; an operation whose example fails keeps none."""
    operations = _operations(document)
    firsts: dict[str, str] = {}
    for operation_id, (url, name, given, search) in _LISTING_EXAMPLES.items():
        body, _links = await listing_body(
            state, name, given, search=search, limit=2, offset=0, url=URL(url)
        )
        items = body["items"]
        if isinstance(items, list) and items:
            firsts[operation_id] = str(items[0]["@id"])
        _example(operations[operation_id], url, body)
    for operation_id, (listing, name, _schema) in _DETAILS.items():
        if listing not in firsts:
            continue
        iri = firsts[listing]
        path = state.paths.path_for(iri) or ""
        slug = path.rsplit("/", 2)[-2:] if name == "concepts" else path.rsplit("/", 1)[-1:]
        body = await detail_body(state, name, [iri])
        _example(operations[operation_id], f"/api/{name}/{'/'.join(slug)}", body)
    operations["getContext"]["x-example-url"] = CONTEXT_PATH
    listed = [describe_query(q) for q in state.queries.values()]
    _example(operations["listQueries"], "/api/queries", {"total": len(listed), "items": listed[:2]})
    for query in state.queries.values():
        operation = document["paths"][f"/api/queries/{query.name}"]["get"]
        try:
            answer = await run_stored_query(state, query.name, {}, media_type=_JSON)
        except KompassError:
            continue  # a query whose parameters have no defaults has no example
        rows = json.loads(bytes(answer.body))
        rows["rows"] = rows["rows"][:3]
        _example(operation, operation["x-example-url"], rows)


async def api_document(app: Any, state: AppState) -> Mapping[str, Any]:
    """The OpenAPI document, built once per app (the routes and data do not change)."""
    if state.api_document is None:
        document: dict[str, Any] = get_openapi(
            title="Kompass Graph REST API",
            version=__version__,
            description=_DESCRIPTION,
            routes=app.routes,
        )
        # only our API: the other routers' routes are pages and the SPARQL protocol
        document["paths"] = {
            path: item for path, item in document["paths"].items() if path.startswith("/api/")
        }
        _describe_responses(document, state)
        await _add_examples(document, state)
        state.api_document = document
    return state.api_document


@router.get(OPENAPI_PATH, include_in_schema=False)
async def _openapi_json(request: Request) -> Response:
    document = await api_document(request.app, app_state(request))
    return Response(json.dumps(document, ensure_ascii=False), 200, None, _JSON)
