"""Measurement loops and the HTTP client, against fakes and a local do-nothing endpoint."""

from __future__ import annotations

import http.server
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.client import (
    RELEASE_PATH,
    HttpEndpoint,
    fetch_answer,
    http_caller_factory,
    wait_until_settled,
)
from bench.measure import Outcome, QueryRequest, measure_latency, measure_throughput, percentile
from bench.plan import Plan, fingerprint, measure_queries

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = [QueryRequest("q", f"ASK {{ <urn:x:{i}> ?p ?o }}", "application/sparql-results+json")
            for i in range(10)]  # fmt: skip


def test_percentiles_interpolate() -> None:
    assert percentile([], 50) is None
    assert percentile([3.0], 99) == 3.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile(list(map(float, range(101))), 95) == 95.0


class FakeCaller:
    def __init__(self, status: str = "ok", sleep: float = 0.0) -> None:
        self.status = status
        self.sleep = sleep
        self.calls = 0

    def __call__(self, request: QueryRequest) -> Outcome:
        self.calls += 1
        time.sleep(self.sleep)
        return Outcome(self.status, self.sleep, 10, "" if self.status == "ok" else "boom")  # type: ignore[arg-type]


def test_latency_stops_at_the_request_bound() -> None:
    caller = FakeCaller()
    result = measure_latency(lambda: caller, REQUESTS, warmup=2, max_requests=25,
                             max_seconds=10)  # fmt: skip
    assert len(result.latencies) == 25
    assert caller.calls == 27


def test_latency_stops_at_the_time_bound() -> None:
    caller = FakeCaller(sleep=0.01)
    started = time.perf_counter()
    result = measure_latency(lambda: caller, REQUESTS, warmup=0, max_requests=10_000,
                             max_seconds=0.2)  # fmt: skip
    assert time.perf_counter() - started < 1.0
    assert 5 < len(result.latencies) < 30


def test_latency_gives_up_after_timeouts() -> None:
    caller = FakeCaller(status="timeout")
    result = measure_latency(lambda: caller, REQUESTS, warmup=0, max_requests=100,
                             max_seconds=10, max_timeouts=2)  # fmt: skip
    assert result.timeouts == 2
    assert result.stopped_early
    assert result.summary()["p50_ms"] is None


def test_throughput_counts_successes_and_errors_separately() -> None:
    ok = measure_throughput(lambda: FakeCaller(sleep=0.001), REQUESTS, concurrency=4,
                            seconds=0.3, max_requests=50)  # fmt: skip
    assert ok.completed == 50
    assert ok.errors == 0
    failing = measure_throughput(lambda: FakeCaller(status="error"), REQUESTS, concurrency=2,
                                 seconds=0.3, max_requests=20)  # fmt: skip
    assert failing.completed == 0
    assert failing.errors == 20
    assert failing.first_error == "boom"


def test_fingerprints() -> None:
    json_accept = "application/sparql-results+json"
    assert fingerprint(b'{"head":{},"boolean":true}', json_accept) == "boolean=true"
    rows = b'{"head":{"vars":["s"]},"results":{"bindings":[{},{}]}}'
    assert fingerprint(rows, json_accept) == "rows=2"
    assert fingerprint(b"<a> <b> <c> .\n<a> <b> <d> .\n", "application/n-triples") == "triples=2"


class RememberingCaller:
    """Slow for a request's first time, fast after: a server with an answer cache."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def __call__(self, request: QueryRequest) -> Outcome:
        cold = request.text not in self.seen
        self.seen.add(request.text)
        time.sleep(0.004 if cold else 0.0)
        return Outcome("ok", 0.004 if cold else 0.0005, 10, "")


def test_lookups_are_measured_cold_then_warm_over_the_same_requests() -> None:
    distinct = [
        QueryRequest("q", f"ASK {{ <urn:x:{i}> ?p ?o }}", "application/json") for i in range(40)
    ]
    caller = RememberingCaller()
    plan = Plan(
        requests={"lookup": distinct, "analytic": distinct},
        classes={"lookup": "lookup", "analytic": "analytic"},
        warmup=0,
        latency_requests=20,
        concurrencies=(),
    )
    results = measure_queries(lambda: caller, plan, answer=lambda _: b"{}")
    lookup = results["lookup"]
    assert lookup["latency"]["n"] == lookup["latency_warm"]["n"] == 20
    assert lookup["latency_warm"]["p50_ms"] < lookup["latency"]["p50_ms"] / 4
    assert "latency_warm" not in results["analytic"]


def test_plan_survives_json() -> None:
    plan = Plan(requests={"q": REQUESTS[:2]}, classes={"q": "lookup"}, concurrencies=(8, 32))
    assert Plan.from_json(plan.to_json()) == plan


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def trivial_endpoint() -> Iterator[HttpEndpoint]:
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "bench.trivial", "--port", str(port)],
                               cwd=ROOT)  # fmt: skip
    try:
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield HttpEndpoint(port=port, path="/sparql")
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_client_keeps_one_connection_per_worker(trivial_endpoint: HttpEndpoint) -> None:
    make = http_caller_factory(trivial_endpoint, timeout=5)
    result = measure_latency(make, REQUESTS, warmup=2, max_requests=200, max_seconds=5)
    assert len(result.latencies) == 200
    assert result.errors == 0
    busy = measure_throughput(make, REQUESTS, concurrency=8, seconds=0.5, max_requests=2000)
    assert busy.completed > 100
    assert busy.errors == 0


class _ChunkedHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if "slow" in self.path:
            time.sleep(1.0)
        status = 400 if "bad" in self.path else 200
        self.send_response(status)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for part in (b'{"head":{},', b'"boolean":true}'):
            self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def chunked_endpoint() -> Iterator[HttpEndpoint]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ChunkedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield HttpEndpoint(port=server.server_address[1], path="/sparql")
    finally:
        server.shutdown()
        server.server_close()


def test_client_reads_chunked_answers_statuses_and_timeouts(
    chunked_endpoint: HttpEndpoint,
) -> None:
    ask = REQUESTS[0]
    assert fingerprint(fetch_answer(chunked_endpoint, ask, timeout=5), ask.accept) == (
        "boolean=true"
    )
    call = http_caller_factory(chunked_endpoint, timeout=5)()
    slow = http_caller_factory(chunked_endpoint, timeout=0.2)()
    try:
        assert [call(ask).status for _ in range(3)] == ["ok", "ok", "ok"]
        outcome = call(QueryRequest("q", "bad", ask.accept))
        assert outcome.status == "error"
        assert "HTTP 400" in outcome.detail
        assert slow(QueryRequest("q", "slow", ask.accept)).status == "timeout"
        # the connection is replaced after a timeout and the next request works
        assert slow(ask).status == "ok"
    finally:
        call.close()  # type: ignore[attr-defined]
        slow.close()  # type: ignore[attr-defined]


class _BuildingHandler(http.server.BaseHTTPRequestHandler):
    """503 for the first three requests (a release being built), then 200."""

    protocol_version = "HTTP/1.1"
    answered = 0

    def do_GET(self) -> None:
        type(self).answered += 1
        status = 503 if type(self).answered <= 3 else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


def test_settling_waits_for_the_first_answer_that_is_not_503() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _BuildingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        soon = time.perf_counter() + 0.3
        assert wait_until_settled(port, RELEASE_PATH, deadline=soon, alive=lambda: True) is None
        settled = wait_until_settled(port, RELEASE_PATH, deadline=soon + 5, alive=lambda: True)
        assert settled is not None
        assert _BuildingHandler.answered == 4
        assert (
            wait_until_settled(port, RELEASE_PATH, deadline=soon + 5, alive=lambda: False) is None
        )
    finally:
        server.shutdown()
        server.server_close()
