"""The REST API's collections: projects, actors, fundings and concepts, as JSON-LD.

Every answer is plain JSON that is also JSON-LD: it names its `@context`
(`/api/context.jsonld`, generated with the schemas from the SHACL shapes), and every
object has its canonical IRI as `@id`, its `@type` and its page on this server as
`url`. A listing pages with `limit` and `offset`, says its `total`, and links the next
and previous pages in a `Link` header. Filter values are bound to the collection's
query (kompass_graph/linked_data/collections.py), never spliced into it. The stored
queries' operations are in `api_queries.py`, the OpenAPI document in `openapi.py`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import Response

from kompass_graph.errors import SourceNotFoundError
from kompass_graph.linked_data.collections import (
    COLLECTIONS,
    list_resources,
    read_resource,
    resource_exists,
)
from kompass_graph.linked_data.shape_schemas import ApiSchemas, json_ld_context
from kompass_graph.namespaces import prefix_map
from kompass_graph.terms import Term
from kompass_graph.web.api_values import IRI_FORMS, filter_term
from kompass_graph.web.negotiation import best_media_type
from kompass_graph.web.state import AppState, app_state

__all__ = [
    "CONTEXT_PATH",
    "api_context",
    "candidate_iris",
    "detail_body",
    "json_response",
    "listing_body",
    "router",
]

CONTEXT_PATH = "/api/context.jsonld"
_JSON = "application/json"
_JSON_LD = "application/ld+json"
_HYDRA = "http://www.w3.org/ns/hydra/core#"

#: where a filter's bare slug is looked for, under the base IRI
_SLUG_NAMESPACES = {
    "funder": "id/actor/",
    "participant": "id/actor/",
    "project": "id/project/",
    "role": "concept/role/",
    "type": "ontology#",
    "scheme": "concept/",
}
#: where `/api/<collection>/{id}` looks for the slug, in order
_ID_NAMESPACES = {
    "projects": ("id/project/",),
    "actors": ("id/actor/", "id/network/", "id/person/"),
    "fundings": ("id/funding/",),
}
_SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_CONTEXT_LINK = f'<{CONTEXT_PATH}>; rel="http://www.w3.org/ns/json-ld#context"'

router = APIRouter(prefix="/api", tags=["collections"])

Limit = Annotated[int, Query(ge=1, le=100, description="Objects per page (1-100).")]
Offset = Annotated[int, Query(ge=0, description="Objects to skip before the page.")]
Search = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Label search, German and English labels: case- and accent-insensitive, "
        "umlauts may be spelt out ('offnung', 'oeffnung' and 'Öffnung' all find 'Öffnung').",
    ),
]


def _iri_filter(what: str, name: str, example: str) -> object:
    return Query(
        description=f"{what}: {IRI_FORMS}; a bare slug is taken under "
        f"<base>{_SLUG_NAMESPACES[name]}.",
        examples=[example],
    )


Funder = Annotated[str | None, _iri_filter("Only those funded by this actor", "funder", "bamf")]
Participant = Annotated[
    str | None, _iri_filter("Only those this actor takes part in", "participant", "giessen")
]
Role = Annotated[str | None, _iri_filter("Only participations in this role", "role", "participant")]
Project = Annotated[
    str | None,
    _iri_filter(
        "Only those of this project", "project", "auslaenderbehoerden-willkommensbehoerden"
    ),
]
Year = Annotated[
    int | None,
    Query(
        ge=1900,
        le=2099,
        description="Only fundings in this year (kg:year, or the year of kg:startDate).",
        examples=[2013],
    ),
]
ActorType = Annotated[
    str | None,
    Query(
        description="Only actors of this class or a sub-class: a class name of our ontology "
        "(Municipality), a prefixed name (kg:Municipality) or a full IRI.",
        examples=["Municipality"],
    ),
]
Scheme = Annotated[
    str | None,
    Query(
        description="Only concepts of this scheme: a scheme slug (goal, role, "
        "support-area, …), a prefixed name (kgc:goal) or a full IRI.",
        examples=["goal"],
    ),
]
Slug = Annotated[str, Path(pattern=_SLUG_PATTERN, description="The slug of the IRI.")]


def api_context(schemas: ApiSchemas, base_iri: str) -> dict[str, object]:
    """The JSON-LD context every API answer names: the shapes' keys plus the listing's."""
    terms = json_ld_context(list(schemas.resources.values()), prefixes=prefix_map(base_iri))
    terms.update(
        {
            "hydra": _HYDRA,
            "items": {"@id": "hydra:member", "@container": "@set"},
            "total": "hydra:totalItems",
            # paging numbers describe the answer, not the graph: no IRI for them
            "limit": None,
            "offset": None,
        }
    )
    return {"@context": terms}


def json_response(
    request: Request, body: object, *, headers: dict[str, str] | None = None
) -> Response:
    """JSON (or, when the client prefers it, the same bytes as application/ld+json)."""
    offered = (_JSON, _JSON_LD)
    media_type = best_media_type(request.headers.get("accept"), offered) or _JSON
    return Response(json.dumps(body, ensure_ascii=False), 200, headers, media_type)


@router.get(
    "/context.jsonld",
    operation_id="getContext",
    summary="The JSON-LD context of every API answer",
    tags=["meta"],
)
async def _context(request: Request) -> Response:
    state = app_state(request)
    body = api_context(state.schemas, state.settings.base_iri)
    return Response(json.dumps(body, ensure_ascii=False), 200, None, _JSON_LD)


def _filters(state: AppState, given: Mapping[str, str | int | None]) -> dict[str, Term]:
    prefixes = prefix_map(state.settings.base_iri)
    terms: dict[str, Term] = {}
    for name, value in given.items():
        if value is None:
            continue
        if isinstance(value, int):
            terms[name] = Term.literal(str(value))
            continue
        namespace = state.settings.base_iri + _SLUG_NAMESPACES[name]
        terms[name] = filter_term(value, parameter=name, namespace=namespace, prefixes=prefixes)
    return terms


async def listing_body(
    state: AppState,
    name: str,
    given: Mapping[str, str | int | None],
    *,
    search: str | None,
    limit: int,
    offset: int,
    url: URL,
) -> tuple[dict[str, object], list[str]]:
    """The page of collection `name` at `url` and its Link header values."""
    collection = COLLECTIONS[name]
    page = await list_resources(
        state.reader,
        collection,
        state.schemas[collection.schema],
        state.paths,
        filters=_filters(state, given),
        search=search,
        limit=limit,
        offset=offset,
    )
    body = {
        "@context": CONTEXT_PATH,
        "@id": str(url),
        "@type": "hydra:Collection",
        "total": page.total,
        "limit": limit,
        "offset": offset,
        "items": page.items,
    }
    links = []
    if offset + limit < page.total:
        links.append(f'<{url.include_query_params(offset=offset + limit)}>; rel="next"')
    if offset > 0:
        previous = max(0, min(offset - limit, page.total - limit))
        links.append(f'<{url.include_query_params(offset=previous)}>; rel="prev"')
    links.append(_CONTEXT_LINK)
    return body, links


async def _listing(
    request: Request,
    name: str,
    given: Mapping[str, str | int | None],
    *,
    search: str | None,
    limit: int,
    offset: int,
) -> Response:
    body, links = await listing_body(
        app_state(request), name, given, search=search, limit=limit, offset=offset, url=request.url
    )
    return json_response(request, body, headers={"Link": ", ".join(links)})


async def detail_body(state: AppState, name: str, iris: list[str]) -> dict[str, object]:
    """The first of `iris` that is a member of collection `name`, as its object;
    SourceNotFoundError when none is."""
    collection = COLLECTIONS[name]
    for iri in iris:
        if await resource_exists(state.reader, collection, state.paths, iri):
            found = await read_resource(
                state.reader, state.schemas[collection.schema], state.paths, iri
            )
            return {"@context": CONTEXT_PATH, **found}
    raise SourceNotFoundError(
        f"no {collection.schema.lower()} {iris[0]}", hint=f"see /api/{name} for the known ones"
    )


async def _detail(request: Request, name: str, iris: list[str]) -> Response:
    body = await detail_body(app_state(request), name, iris)
    return json_response(request, body, headers={"Link": _CONTEXT_LINK})


def candidate_iris(state: AppState, name: str, slug: str) -> list[str]:
    """The IRIs `/api/<name>/{slug}` may stand for, in the order they are tried."""
    return [state.settings.base_iri + namespace + slug for namespace in _ID_NAMESPACES[name]]


_PAGE = "a page of the collection"
_ONE = "the object, as the shapes describe it"


@router.get(
    "/projects", operation_id="listProjects", summary="Projects", response_description=_PAGE
)
async def _list_projects(
    request: Request,
    funder: Funder = None,
    participant: Participant = None,
    role: Role = None,
    year: Year = None,
    q: Search = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    """Projects, by German label; the filters combine (participant and role: the same
    participation)."""
    given = {"funder": funder, "participant": participant, "role": role, "year": year}
    return await _listing(request, "projects", given, search=q, limit=limit, offset=offset)


@router.get(
    "/projects/{id}", operation_id="getProject", summary="One project", response_description=_ONE
)
async def _get_project(request: Request, id: Slug) -> Response:
    """The project `<base>id/project/{id}`, with its participations and fundings."""
    return await _detail(request, "projects", candidate_iris(app_state(request), "projects", id))


@router.get("/actors", operation_id="listActors", summary="Actors", response_description=_PAGE)
async def _list_actors(
    request: Request,
    type: ActorType = None,
    project: Project = None,
    role: Role = None,
    q: Search = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    """Actors (organisations, networks, persons, funds), by German label; `project`:
    taking part in, funding or supporting the project."""
    given = {"type": type, "project": project, "role": role}
    return await _listing(request, "actors", given, search=q, limit=limit, offset=offset)


@router.get("/actors/{id}", operation_id="getActor", summary="One actor", response_description=_ONE)
async def _get_actor(request: Request, id: Slug) -> Response:
    """The actor `<base>id/actor/{id}` (else `id/network/{id}`, else `id/person/{id}`)."""
    return await _detail(request, "actors", candidate_iris(app_state(request), "actors", id))


@router.get(
    "/fundings", operation_id="listFundings", summary="Fundings", response_description=_PAGE
)
async def _list_fundings(
    request: Request,
    funder: Funder = None,
    project: Project = None,
    year: Year = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    """Fundings: who funds which project, how much, at which share, when."""
    given = {"funder": funder, "project": project, "year": year}
    return await _listing(request, "fundings", given, search=None, limit=limit, offset=offset)


@router.get(
    "/fundings/{id}", operation_id="getFunding", summary="One funding", response_description=_ONE
)
async def _get_funding(request: Request, id: Slug) -> Response:
    """The funding `<base>id/funding/{id}`, with its amount."""
    return await _detail(request, "fundings", candidate_iris(app_state(request), "fundings", id))


@router.get(
    "/concepts", operation_id="listConcepts", summary="Concepts", response_description=_PAGE
)
async def _list_concepts(
    request: Request,
    scheme: Scheme = None,
    q: Search = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    """The SKOS concepts of the code lists (roles, goals, partner categories, …)."""
    given: Mapping[str, str | int | None] = {"scheme": scheme}
    return await _listing(request, "concepts", given, search=q, limit=limit, offset=offset)


@router.get(
    "/concepts/{scheme}/{id}",
    operation_id="getConcept",
    summary="One concept",
    response_description=_ONE,
)
async def _get_concept(request: Request, scheme: Slug, id: Slug) -> Response:
    """The concept `<base>concept/{scheme}/{id}` (role/participant, goal/welcome-culture, …)."""
    iri = f"{app_state(request).settings.base_iri}concept/{scheme}/{id}"
    return await _detail(request, "concepts", [iri])
