"""The app factory: settings and a store in, an ASGI app out.

`create_app(settings, store=...)` wires the routers (one per surface), the single
error handler, CORS, gzip and the observability middleware. The lifespan starts the
store's workers (loading the files first when no loaded store was passed) and stops
them on shutdown.

Queries to /sparql take a short way through the app: the same observability, CORS and
gzip middleware and the same problem responses, but not Starlette's and FastAPI's
generic layers (error middleware, body limit, exit stack, router), which cost about a
third of the server's CPU per lookup query (measured with py-spy and `bench.overhead`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from kompass_graph import __version__
from kompass_graph.linked_data.api_schemas import project_schemas
from kompass_graph.linked_data.shape_schemas import ApiSchemas
from kompass_graph.queries import StoredQuery, project_queries
from kompass_graph.settings import Settings
from kompass_graph.store.factory import build_store, load_served_files
from kompass_graph.store.interface import GraphStore
from kompass_graph.web import (
    admin,
    downloads,
    health,
    landing,
    linksets_page,
    ontology_page,
    pages,
    rest,
    sparql,
    ui,
    void_description,
)
from kompass_graph.web.caching import ConditionalGetMiddleware
from kompass_graph.web.compression import CompressionMiddleware
from kompass_graph.web.observability import RELEASE_HEADER, Metrics, ObservabilityMiddleware
from kompass_graph.web.problems import error_response, install_problem_handlers
from kompass_graph.web.published import PublishedRelease, publishing
from kompass_graph.web.security import ProblemCORSMiddleware, SecurityHeadersMiddleware
from kompass_graph.web.state import AppState

__all__ = ["create_app"]

logger = logging.getLogger(__name__)

_EXPOSED_HEADERS = [
    RELEASE_HEADER,
    sparql.ROWS_HEADER,
    sparql.TRUNCATED_HEADER,
    "Retry-After",
    "ETag",
    "Link",
]


_QUERY_PATHS = frozenset({"/sparql", "/sparql/"})
_QUERY_METHODS = frozenset({"GET", "HEAD", "POST"})


async def _answer_query(scope: Scope, receive: Receive, send: Send) -> None:
    """The /sparql route called directly, its errors answered as the handlers would."""
    request = Request(scope, receive)
    try:
        response = await sparql.sparql_endpoint(request)
    except Exception as error:  # the outermost boundary of this route: becomes a problem
        response = error_response(request, error)
    await response(scope, receive, send)


class _KompassApp(FastAPI):
    """FastAPI with a short way for SPARQL queries (see the module docstring)."""

    query_stack: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.query_stack is not None
            and scope["type"] == "http"
            and scope["path"] in _QUERY_PATHS
            and scope["method"] in _QUERY_METHODS
            and not self.root_path
        ):
            scope["app"] = self
            await self.query_stack(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _build_query_stack(middleware: list[Middleware]) -> ASGIApp:
    """The query route wrapped in the app's own middleware, outermost first."""
    stack: ASGIApp = _answer_query
    for entry in reversed(middleware):
        stack = entry.cls(stack, *entry.args, **entry.kwargs)
    return stack


def create_app(
    settings: Settings,
    *,
    store: GraphStore | None = None,
    queries: Mapping[str, StoredQuery] | None = None,
    schemas: ApiSchemas | None = None,
) -> FastAPI:
    """The HTTP app serving `store` (when None, the store `settings` describe, loaded
    and checked by `kompass_graph.store.factory` at start-up), the stored-query
    registry `queries` (when None, the project's) and the REST API's `schemas` (when
    None, generated from the project's shapes): the app itself opens no files."""
    if store is None:
        store = build_store(settings)
    if queries is None:
        queries = project_queries(settings)
    if schemas is None:
        schemas = project_schemas(settings)
    state = AppState(
        settings=settings,
        store=store,
        metrics=Metrics(),
        queries=queries,
        schemas=schemas,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if store.load_report is None:
            await asyncio.to_thread(load_served_files, store, settings)
        await store.start()
        # the release of the data served (or the one configured): downloads, VoID; a
        # reload replaces it and its stack (web/admin.py)
        releases = app.state.releases = AsyncExitStack()

        def built(published: PublishedRelease) -> None:
            if app.state.releases is releases:  # not replaced by a reload meanwhile
                app.state.published = published

        try:
            app.state.published = await releases.enter_async_context(
                publishing(
                    settings,
                    served=state.release,
                    triples=store.load_report.triples if store.load_report else 0,
                    on_built=built,
                )
            )
            yield
        finally:
            await app.state.releases.aclose()
            await store.close()

    middleware = [
        Middleware(ObservabilityMiddleware, metrics=state.metrics, release=lambda: state.release),
        Middleware(SecurityHeadersMiddleware),
        Middleware(
            ProblemCORSMiddleware,
            base_iri=settings.base_iri,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Accept", "Content-Type"],
            expose_headers=_EXPOSED_HEADERS,
            allow_credentials=False,
            max_age=600,
        ),
        Middleware(
            ConditionalGetMiddleware,
            release=lambda: state.release,
            ready=lambda: state.store.is_ready,
            cache_control=settings.cache_control,
        ),
        # Starlette's default exclusions (event streams, gRPC) are types we never send;
        # an empty list spares normalising them again on every request (~13 us); the
        # downloads are sent as their files' bytes (compression.py)
        Middleware(
            CompressionMiddleware,
            uncompressed_prefixes=(downloads.DOWNLOAD_PREFIX,),
            minimum_size=1024,
            exclude_content_types=(),
        ),
    ]
    app = _KompassApp(
        title="Kompass Graph SPARQL endpoint",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        middleware=middleware,
    )
    app.query_stack = _build_query_stack(middleware)
    app.state.kompass = state
    app.state.base_iri = settings.base_iri
    app.state.on_error = state.metrics.observe_error
    install_problem_handlers(app)
    app.include_router(sparql.router)
    app.include_router(health.router)
    app.include_router(admin.router)
    # the REST API and the pages; the resource pages' catch-all route comes last
    app.include_router(rest.router)
    app.include_router(ontology_page.router)
    app.include_router(landing.router)
    app.include_router(downloads.router)
    app.include_router(void_description.router)
    app.include_router(linksets_page.router)
    ui.mount_ui_assets(app)
    app.include_router(pages.router)
    return app
