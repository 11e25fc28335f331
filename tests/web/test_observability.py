"""Metrics: one registry per app, bounded labels, every series the endpoint exposes."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from kompass_graph.errors import (
    KompassError,
    OverloadedError,
    QueryRejectedError,
    QueryTimeoutError,
    QueryTooLargeError,
    UpdateRefusedError,
)
from kompass_graph.web.observability import UNMATCHED_ROUTE, Metrics, ObservabilityMiddleware
from tests.web.conftest import AppClient
from tests.web.exposition import read_samples

REQUESTS = "kompass_http_requests_total"


async def _hello(_: object) -> PlainTextResponse:
    return PlainTextResponse("hello")


def _app(metrics: Metrics) -> FastAPI:
    """A small app with the middleware: a fixed route, a templated one, a mount."""
    return FastAPI(
        routes=[
            Route("/fixed", _hello),
            Route("/id/{kind}/{name:path}", _hello),
            Mount("/static", app=PlainTextResponse("asset")),
        ],
        middleware=[Middleware(ObservabilityMiddleware, metrics=metrics, release=lambda: "r1")],
    )


def _send(app: FastAPI, *requests: tuple[str, str]) -> list[httpx.Response]:
    async def send_all() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return [await client.request(method, url) for method, url in requests]

    return asyncio.run(send_all())


def test_requests_are_labelled_by_route_template_never_by_path() -> None:
    metrics = Metrics()
    _send(
        _app(metrics),
        ("GET", "/fixed"),
        ("GET", "/fixed"),
        ("GET", "/id/project/a"),
        ("GET", "/id/project/b/c"),
        ("GET", "/id/actor/x"),
        ("GET", "/static/query.js"),
        ("GET", "/nowhere"),
        ("GET", "/nowhere/else"),
        ("POST", "/fixed"),
        ("BREW", "/fixed"),
    )
    samples = read_samples(metrics.render())
    counted = {
        tuple(sorted(labels)): value
        for (name, labels), value in samples.items()
        if name == REQUESTS
    }
    assert counted == {
        (("method", "GET"), ("route", "/fixed"), ("status", "200")): 2,
        (("method", "GET"), ("route", "/id/{kind}/{name}"), ("status", "200")): 3,
        (("method", "GET"), ("route", "/static/{path}"), ("status", "200")): 1,
        (("method", "GET"), ("route", UNMATCHED_ROUTE), ("status", "404")): 2,
        (("method", "POST"), ("route", "/fixed"), ("status", "405")): 1,
        (("method", "other"), ("route", "/fixed"), ("status", "405")): 1,
    }
    histogram = "kompass_http_request_duration_seconds_count"
    templated = {"method": "GET", "route": "/id/{kind}/{name}", "status": "200"}
    assert samples.value(histogram, **templated) == 3


def test_two_apps_in_one_process_count_apart() -> None:
    first, second = Metrics(), Metrics()
    _send(_app(first), ("GET", "/fixed"), ("GET", "/fixed"))
    _send(_app(second), ("GET", "/fixed"))
    labels = {"method": "GET", "route": "/fixed", "status": "200"}
    assert read_samples(first.render()).value(REQUESTS, **labels) == 2
    assert read_samples(second.render()).value(REQUESTS, **labels) == 1
    first.observe_error(QueryTimeoutError("too slow"))
    assert read_samples(first.render()).value("kompass_query_timeouts_total") == 1
    assert read_samples(second.render()).value("kompass_query_timeouts_total") == 0


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (OverloadedError("busy"), "overloaded"),
        (QueryTooLargeError("long"), "too-large"),
        (UpdateRefusedError("update"), "update"),
        (QueryRejectedError("refused"), "refused"),
    ],
)
def test_each_rejection_counts_under_its_reason(error: KompassError, reason: str) -> None:
    metrics = Metrics()
    before = read_samples(metrics.render())
    assert before.value("kompass_queries_rejected_total", reason=reason) == 0
    assert ("kompass_queries_rejected_total", frozenset({("reason", reason)})) in before
    metrics.observe_error(error)
    after = read_samples(metrics.render())
    for other in ("overloaded", "too-large", "update", "refused"):
        expected = 1 if other == reason else 0
        assert after.value("kompass_queries_rejected_total", reason=other) == expected
    assert after.value("kompass_query_timeouts_total") == 0


def test_values_read_at_scrape_time_keep_their_type() -> None:
    text = Metrics().render(
        {
            "kompass_query_workers_busy": ("gauge", "Workers running a query.", 2),
            "kompass_query_workers_started_total": ("counter", "Workers started.", 5),
        }
    )
    assert "# TYPE kompass_query_workers_busy gauge" in text
    assert "# TYPE kompass_query_workers_started_total counter" in text
    samples = read_samples(text)
    assert samples.value("kompass_query_workers_busy") == 2
    assert samples.value("kompass_query_workers_started_total") == 5


def test_the_endpoint_exposes_every_series(client: AppClient) -> None:
    client.get("/sparql", params={"query": "ASK {}"})
    response = client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    names = read_samples(response.text).names()
    expected = {
        "kompass_http_requests_total",
        "kompass_http_request_duration_seconds_bucket",
        "kompass_http_request_duration_seconds_sum",
        "kompass_http_request_duration_seconds_count",
        "kompass_query_timeouts_total",
        "kompass_queries_rejected_total",
        "kompass_store_triples",
        "kompass_store_ready",
        "kompass_query_workers_busy",
        "kompass_query_workers_started_total",
        "kompass_query_workers_crashed_total",
        "kompass_thread_queries_total",
        "kompass_thread_shapes_demoted_total",
        "kompass_thread_queries_overran_total",
        "kompass_answer_cache_hits_total",
        "kompass_answer_cache_misses_total",
        "kompass_answer_cache_bytes",
        "kompass_answer_cache_entries",
    }
    assert expected <= names, expected - names
