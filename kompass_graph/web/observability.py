"""Access log, metrics and the release header, in one pure ASGI middleware.

Pure ASGI (not BaseHTTPMiddleware) because it wraps every query on the hot path.
The metrics are prometheus_client's, kept in a CollectorRegistry of each app's own
(never the process-wide default registry), so two apps in one process count apart.

Every label value comes from a bounded set: requests are labelled with the route
*template* that answered them (`/sparql`, `/static/{path}`, one label per template of
the resource pages, not one per IRI), `unmatched` when no route did, and methods
outside the standard ones share `other`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import fastapi.routing
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kompass_graph.errors import (
    KompassError,
    OverloadedError,
    QueryRejectedError,
    QueryTimeoutError,
    QueryTooLargeError,
    UpdateRefusedError,
)

__all__ = ["RELEASE_HEADER", "UNMATCHED_ROUTE", "Metrics", "ObservabilityMiddleware"]

access_logger = logging.getLogger("kompass_graph.access")

RELEASE_HEADER = "Kompass-Release"
#: the route label of requests that no route answered (404s, slash redirects)
UNMATCHED_ROUTE = "unmatched"

_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_REQUEST_LABELS = ("method", "route", "status")
#: RFC 9110's methods plus PATCH; a client may send any token, and each would be a series
_METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"}
)
_OTHER_METHOD = "other"
_REJECTIONS: tuple[tuple[type[KompassError], str], ...] = (
    (OverloadedError, "overloaded"),
    (QueryTooLargeError, "too-large"),
    (UpdateRefusedError, "update"),
    (QueryRejectedError, "refused"),
)


class Metrics:
    """One app's counters since start; `render()` gives the Prometheus text exposition."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._requests = Counter(
            "kompass_http_requests",
            "HTTP requests answered, by method, route template and status.",
            _REQUEST_LABELS,
            registry=self.registry,
        )
        self._latency = Histogram(
            "kompass_http_request_duration_seconds",
            "Time to answer, by method, route template and status.",
            _REQUEST_LABELS,
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self._timeouts = Counter(
            "kompass_query_timeouts", "Queries stopped at the time limit.", registry=self.registry
        )
        self._rejected = Counter(
            "kompass_queries_rejected",
            "Queries refused before running, by reason.",
            ("reason",),
            registry=self.registry,
        )
        for _, reason in _REJECTIONS:  # every reason is exposed, at 0 until it happens
            self._rejected.labels(reason)
        # The labelled children, looked up once per label set: `labels()` validates and
        # locks on every call, which is most of the cost of counting a request.
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def observe_request(self, *, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request; `route` is its template (see `route_template`)."""
        key = (method if method in _METHODS else _OTHER_METHOD, route, status)
        children = self._children.get(key)
        if children is None:
            labels = (key[0], route, str(status))
            children = self._requests.labels(*labels), self._latency.labels(*labels)
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def observe_error(self, error: KompassError) -> None:
        if isinstance(error, QueryTimeoutError):
            self._timeouts.inc()
            return
        for kind, reason in _REJECTIONS:
            if isinstance(error, kind):
                self._rejected.labels(reason).inc()
                return

    def render(self, extra: Mapping[str, tuple[str, str, float]] | None = None) -> str:
        """The exposition text (prometheus_client's, for the content type
        `prometheus_client.exposition.CONTENT_TYPE_PLAIN_0_0_4`); `extra` maps a metric
        name to (type: "gauge" or "counter", help, value), read at scrape time."""
        return generate_latest(_WithExtra(self.registry, extra or {})).decode()


class _WithExtra(Collector):
    """The registry's metrics followed by values read once for this scrape."""

    def __init__(
        self, registry: CollectorRegistry, extra: Mapping[str, tuple[str, str, float]]
    ) -> None:
        self._registry = registry
        self._extra = extra

    def collect(self) -> Iterator[Metric]:
        yield from self._registry.collect()
        for name, (kind, help_text, value) in sorted(self._extra.items()):
            if kind == "counter":  # the family adds `_total` back to the sample's name
                yield CounterMetricFamily(name.removesuffix("_total"), help_text, value=value)
            else:
                yield GaugeMetricFamily(name, help_text, value=value)


class _RouteTemplates:
    """The template of the route that answers a request, as a bounded label value.

    Matched the way Starlette's router matches (first full match, else the first partial
    one: a 405), against the app's routes flattened once: FastAPI (0.16x) keeps included
    routers as one entry each, which `iter_route_contexts` opens; older versions list the
    routes themselves. Matching here, not reading what the router leaves in the scope,
    also labels the app's short way for queries (app.py), which passes no router.
    """

    def __init__(self) -> None:
        self._routes: list[Any] | None = None
        #: (method, path) of full matches of routes without parameters: a query costs one
        #: dict lookup; bounded by the app's fixed paths times the standard methods
        self._fixed: dict[tuple[str, str], str] = {}

    def label(self, scope: Scope) -> str:
        key = (scope["method"], scope["path"])
        known = self._fixed.get(key)
        if known is not None:
            return known
        if self._routes is None:
            self._routes = _flat_routes(scope.get("app"))
        partial: str | None = None
        for route in self._routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                template = str(getattr(route, "path_format", "") or UNMATCHED_ROUTE)
                if "{" not in template and key[0] in _METHODS:
                    self._fixed[key] = template
                return template
            if match is Match.PARTIAL and partial is None:
                partial = str(getattr(route, "path_format", "") or UNMATCHED_ROUTE)
        return partial or UNMATCHED_ROUTE


def _flat_routes(app: object) -> list[Any]:
    routes = list(getattr(getattr(app, "router", None), "routes", ()))
    flatten = getattr(fastapi.routing, "iter_route_contexts", None)
    return list(flatten(routes)) if flatten is not None else routes


class ObservabilityMiddleware:
    """Adds the release header, logs one structured line per request, feeds Metrics."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, release: Callable[[], str]) -> None:
        self.app = app
        self.metrics = metrics
        self.release = release
        self._routes = _RouteTemplates()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        # before the call: a mount that answers moves part of the path into root_path
        route = self._routes.label(scope)
        status = 500
        size = 0
        release_header = (RELEASE_HEADER.lower().encode(), self.release().encode())

        async def send_with_release(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), release_header]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_with_release)
        finally:
            seconds = time.perf_counter() - started
            method = scope["method"]
            self.metrics.observe_request(method=method, route=route, status=status, seconds=seconds)
            if access_logger.isEnabledFor(logging.INFO):
                line = json.dumps(
                    {
                        "method": method,
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": round(seconds * 1000, 3),
                        "bytes": size,
                        "client": (scope.get("client") or ("-",))[0],
                    }
                )
                # a record made directly: Logger.info would walk the stack to find its
                # caller, a third of what logging a request costs
                access_logger.handle(
                    access_logger.makeRecord(
                        access_logger.name, logging.INFO, __file__, 0, line, (), None
                    )
                )
