"""Liveness, readiness and metrics, for orchestrators and Prometheus."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse

from kompass_graph.errors import StoreNotReadyError
from kompass_graph.web.state import app_state

__all__ = ["healthz", "metrics", "readyz", "router"]

router = APIRouter()

#: metrics of the embedded store: its attribute -> metric -> (type, attribute, help)
_STORE_METRICS: dict[str, dict[str, tuple[str, str, str]]] = {
    "pool_stats": {
        "kompass_query_workers_started_total": ("counter", "spawned", "Workers started."),
        "kompass_query_workers_crashed_total": (
            "counter",
            "crashed",
            "Workers ended unexpectedly.",
        ),
    },
    "lane_stats": {
        "kompass_thread_queries_total": (
            "counter",
            "answered",
            "Queries of a light shape answered on threads of the server process.",
        ),
        "kompass_thread_shapes_demoted_total": (
            "counter",
            "demoted",
            "Query shapes sent to the workers after one ran past the thread budget.",
        ),
        "kompass_thread_queries_overran_total": (
            "counter",
            "overran",
            "Queries on threads that ran past their time limit (a shape predicted wrongly).",
        ),
    },
    "answer_cache_stats": {
        "kompass_answer_cache_hits_total": (
            "counter",
            "hits",
            "Queries answered from the answer cache, without running them.",
        ),
        "kompass_answer_cache_misses_total": (
            "counter",
            "misses",
            "Queries the answer cache did not hold (run, then kept when repeatable).",
        ),
        "kompass_answer_cache_bytes": (
            "gauge",
            "bytes",
            "Bytes the answers in the cache cost (bodies, query texts, bookkeeping).",
        ),
        "kompass_answer_cache_entries": ("gauge", "entries", "Answers in the cache."),
    },
}


@router.api_route("/healthz", methods=["GET", "HEAD"], include_in_schema=False)
async def healthz() -> JSONResponse:
    """The process answers; says nothing about the data."""
    return JSONResponse({"status": "ok"})


@router.api_route("/readyz", methods=["GET", "HEAD"], include_in_schema=False)
async def readyz(request: Request) -> JSONResponse:
    """Ready once the store is loaded and its workers run (a remote store: while it
    answers)."""
    state = app_state(request)
    if not await state.store.ping():
        raise StoreNotReadyError("the store is still loading or does not answer")
    report = state.store.load_report
    return JSONResponse(
        {"status": "ready", "release": state.release, "triples": report.triples if report else 0}
    )


@router.api_route("/metrics", methods=["GET", "HEAD"], include_in_schema=False)
async def metrics(request: Request) -> PlainTextResponse:
    state = app_state(request)
    report = state.store.load_report
    extra: dict[str, tuple[str, str, float]] = {
        "kompass_store_triples": (
            "gauge",
            "Triples (quads) served.",
            report.triples if report else 0,
        ),
        "kompass_store_ready": ("gauge", "1 once queries run.", float(state.store.is_ready)),
    }
    busy = getattr(state.store, "busy_workers", None)
    if busy is not None:
        extra["kompass_query_workers_busy"] = ("gauge", "Workers running a query.", busy)
    for stats_name, metrics in _STORE_METRICS.items():
        stats = getattr(state.store, stats_name, None)  # what this kind of store keeps
        for metric, (kind, attribute, help_text) in metrics.items():
            if stats is not None:
                extra[metric] = (kind, help_text, getattr(stats, attribute))
    return PlainTextResponse(
        state.metrics.render(extra), media_type="text/plain; version=0.0.4; charset=utf-8"
    )
