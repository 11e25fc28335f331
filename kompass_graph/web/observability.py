"""Access log, metrics and the release header, in one pure ASGI middleware.

Pure ASGI (not BaseHTTPMiddleware) because it wraps every query on the hot path.
The metrics are a few counters and one histogram rendered in Prometheus' text format;
no client library is needed for that.
"""

from __future__ import annotations

import json
import logging
import time
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kompass_graph.errors import (
    KompassError,
    OverloadedError,
    QueryRejectedError,
    QueryTimeoutError,
    QueryTooLargeError,
    UpdateRefusedError,
)

__all__ = ["RELEASE_HEADER", "Metrics", "ObservabilityMiddleware"]

access_logger = logging.getLogger("kompass_graph.access")

RELEASE_HEADER = "Kompass-Release"
_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_KNOWN_PATHS = frozenset({"/sparql", "/sparql/", "/healthz", "/readyz", "/metrics", "/"})
_REJECTIONS: tuple[tuple[type[KompassError], str], ...] = (
    (OverloadedError, "overloaded"),
    (QueryTooLargeError, "too-large"),
    (UpdateRefusedError, "update"),
    (QueryRejectedError, "refused"),
)


def _route_label(path: str) -> str:
    """Bounded label values: unknown paths share one label."""
    if path in _KNOWN_PATHS:
        return path.rstrip("/") or "/"
    return "/static" if path.startswith("/static/") else "other"


@dataclass
class _Histogram:
    counts: list[int] = field(default_factory=lambda: [0] * (len(_BUCKETS) + 1))
    total: float = 0.0
    count: int = 0

    def observe(self, seconds: float) -> None:
        self.counts[bisect_left(_BUCKETS, seconds)] += 1
        self.total += seconds
        self.count += 1


@dataclass
class Metrics:
    """Counters since start; `render()` gives the Prometheus text exposition."""

    requests: dict[tuple[str, str, int], int] = field(default_factory=lambda: defaultdict(int))
    latency: dict[str, _Histogram] = field(default_factory=lambda: defaultdict(_Histogram))
    timeouts: int = 0
    rejected: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def observe_request(self, path: str, method: str, status: int, seconds: float) -> None:
        label = _route_label(path)
        self.requests[(label, method, status)] += 1
        self.latency[label].observe(seconds)

    def observe_error(self, error: KompassError) -> None:
        if isinstance(error, QueryTimeoutError):
            self.timeouts += 1
            return
        for kind, reason in _REJECTIONS:
            if isinstance(error, kind):
                self.rejected[reason] += 1
                return

    def render(self, extra: dict[str, tuple[str, str, float]]) -> str:
        """The exposition text; `extra` maps a metric name to (type, help, value)."""
        lines = [
            "# HELP kompass_http_requests_total HTTP requests answered, by path, method, status.",
            "# TYPE kompass_http_requests_total counter",
        ]
        for (path, method, status), count in sorted(self.requests.items()):
            labels = f'path="{path}",method="{method}",status="{status}"'
            lines.append(f"kompass_http_requests_total{{{labels}}} {count}")
        lines += [
            "# HELP kompass_http_request_duration_seconds Time to answer, by path.",
            "# TYPE kompass_http_request_duration_seconds histogram",
        ]
        for path, histogram in sorted(self.latency.items()):
            cumulative = 0
            for bound, count in zip((*_BUCKETS, float("inf")), histogram.counts, strict=True):
                cumulative += count
                le = "+Inf" if bound == float("inf") else f"{bound:g}"
                lines.append(
                    f'kompass_http_request_duration_seconds_bucket{{path="{path}",le="{le}"}} '
                    f"{cumulative}"
                )
            lines.append(
                f'kompass_http_request_duration_seconds_sum{{path="{path}"}} {histogram.total}'
            )
            lines.append(
                f'kompass_http_request_duration_seconds_count{{path="{path}"}} {histogram.count}'
            )
        lines += [
            "# HELP kompass_query_timeouts_total Queries stopped at the time limit.",
            "# TYPE kompass_query_timeouts_total counter",
            f"kompass_query_timeouts_total {self.timeouts}",
            "# HELP kompass_queries_rejected_total Queries refused before running, by reason.",
            "# TYPE kompass_queries_rejected_total counter",
        ]
        for reason in ("overloaded", "too-large", "update", "refused"):
            lines.append(
                f'kompass_queries_rejected_total{{reason="{reason}"}} {self.rejected[reason]}'
            )
        for name, (kind, help_text, value) in sorted(extra.items()):
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", f"{name} {value:g}"]
        return "\n".join(lines) + "\n"


class ObservabilityMiddleware:
    """Adds the release header, logs one structured line per request, feeds Metrics."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, release: Callable[[], str]) -> None:
        self.app = app
        self.metrics = metrics
        self.release = release

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
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
            method, path = scope["method"], scope["path"]
            self.metrics.observe_request(path, method, status, seconds)
            if access_logger.isEnabledFor(logging.INFO):
                access_logger.info(
                    json.dumps(
                        {
                            "method": method,
                            "path": path,
                            "status": status,
                            "duration_ms": round(seconds * 1000, 3),
                            "bytes": size,
                            "client": (scope.get("client") or ("-",))[0],
                        }
                    )
                )
