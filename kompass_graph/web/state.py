"""What every route needs, held once on `app.state.kompass`."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from starlette.requests import Request

from kompass_graph.linked_data.paths import ServerPaths
from kompass_graph.linked_data.rows import GraphReader
from kompass_graph.linked_data.shape_schemas import ApiSchemas
from kompass_graph.publish.facts import release_identifier
from kompass_graph.queries import StoredQuery
from kompass_graph.settings import Settings
from kompass_graph.store.interface import GraphStore
from kompass_graph.web.observability import Metrics

__all__ = ["AppState", "ClientShare", "app_state"]


class ClientShare:
    """One client's query slots, and how many of its queries wait for one."""

    def __init__(self, slots: int) -> None:
        self.slots = asyncio.Semaphore(slots)
        self.waiting = 0
        self.running = 0

    @property
    def idle(self) -> bool:
        """No query of this client runs or waits: the share can be forgotten."""
        return self.waiting == 0 and self.running == 0


@dataclass
class AppState:
    settings: Settings
    store: GraphStore
    metrics: Metrics
    #: the stored-query registry the app was handed (name -> query, in file order)
    queries: Mapping[str, StoredQuery] = field(default_factory=dict)
    #: each client address's share of query slots (max_queries_per_client)
    client_shares: dict[str, ClientShare] = field(default_factory=dict)
    #: the rendered query page, built on first request (the stored queries do not change
    #: while the server runs)
    query_page: str | None = field(default=None)
    #: the REST API's object schemas, generated from the SHACL shapes (shape_schemas.py)
    schemas: ApiSchemas = field(default_factory=lambda: ApiSchemas({}))
    #: the OpenAPI document with its examples from the data, built on first request
    #: (and again after a reload, web/admin.py)
    api_document: dict[str, object] | None = field(default=None)

    @cached_property
    def reader(self) -> GraphReader:
        """How pages and the API query the store (the one query path, our timeout)."""
        return GraphReader(self.store, timeout=self.settings.query_timeout)

    @cached_property
    def paths(self) -> ServerPaths:
        """Our IRIs <-> this server's paths (`<base>id/project/x` at `/id/project/x`)."""
        return ServerPaths(self.settings.base_iri)

    @property
    def release(self) -> str:
        """`<package version>+<content hash of the loaded files>`: names what answered."""
        report = self.store.load_report
        return release_identifier(report.content_hash if report else None)


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.kompass
    return state
