"""Latency and throughput loops over any caller: HTTP systems and the in-process floor alike.

A *caller* runs one request to completion (the whole response read, or the whole result
serialised) and says how it went. Each worker thread gets its own caller from a factory,
so an HTTP caller can keep one keep-alive connection per thread. Every loop is bounded
twice, by a request count and by wall-clock time, so a slow peer cannot stall a run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

__all__ = [
    "Caller",
    "CallerFactory",
    "LatencyResult",
    "Outcome",
    "QueryRequest",
    "ThroughputResult",
    "measure_latency",
    "measure_throughput",
    "percentile",
]

Status = Literal["ok", "error", "timeout"]


@dataclass(frozen=True)
class QueryRequest:
    """One concrete query (parameters filled in) and the result format to ask for."""

    name: str
    text: str
    accept: str


@dataclass(frozen=True)
class Outcome:
    status: Status
    seconds: float
    nbytes: int = 0
    detail: str = ""


class Caller(Protocol):
    def __call__(self, request: QueryRequest) -> Outcome: ...


CallerFactory = Callable[[], Caller]


@dataclass
class LatencyResult:
    """Sequential requests (concurrency 1); latencies of the successful ones, in seconds."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    timeouts: int = 0
    elapsed: float = 0.0
    first_error: str = ""
    stopped_early: bool = False

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors + self.timeouts

    def summary(self) -> dict[str, float | int | str | bool | None]:
        done = len(self.latencies)
        return {
            "n": done,
            "errors": self.errors,
            "timeouts": self.timeouts,
            "p50_ms": _ms(percentile(self.latencies, 50)),
            "p95_ms": _ms(percentile(self.latencies, 95)),
            "p99_ms": _ms(percentile(self.latencies, 99)),
            "mean_ms": _ms(sum(self.latencies) / done) if done else None,
            # sequential throughput: what one client achieves back to back
            "qps": done / self.elapsed if self.elapsed > 0 else None,
            "first_error": self.first_error,
            "stopped_early": self.stopped_early,
        }


@dataclass
class ThroughputResult:
    concurrency: int
    completed: int = 0
    errors: int = 0
    timeouts: int = 0
    elapsed: float = 0.0
    #: CPU seconds this process spent during the phase (for HTTP systems: the client's cost)
    client_cpu: float = 0.0
    first_error: str = ""

    def summary(self) -> dict[str, float | int | str | None]:
        return {
            "concurrency": self.concurrency,
            "completed": self.completed,
            "errors": self.errors,
            "timeouts": self.timeouts,
            "elapsed_s": round(self.elapsed, 3),
            "qps": self.completed / self.elapsed if self.elapsed > 0 else None,
            "client_cpu_us_per_request": (
                1e6 * self.client_cpu / self.completed if self.completed else None
            ),
            "first_error": self.first_error,
        }


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Linear-interpolated percentile (the 'inclusive' method); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100.0
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000.0, 4)


def measure_latency(
    make_caller: CallerFactory,
    requests: Sequence[QueryRequest],
    *,
    warmup: int,
    max_requests: int,
    max_seconds: float,
    max_timeouts: int = 2,
) -> LatencyResult:
    """Run requests one after another; stop at `max_requests`, `max_seconds` or timeouts.

    Stopping after `max_timeouts` keeps a peer that cannot answer a query in time from
    spending the whole budget on it; the result says it stopped early.
    """
    call = make_caller()
    try:
        return _latency_loop(call, requests, warmup, max_requests, max_seconds, max_timeouts)
    finally:
        _release(call)


def _latency_loop(
    call: Caller,
    requests: Sequence[QueryRequest],
    warmup: int,
    max_requests: int,
    max_seconds: float,
    max_timeouts: int,
) -> LatencyResult:
    result = LatencyResult()
    for request in requests[:warmup]:
        if call(request).status == "timeout":
            result.timeouts += 1
            result.stopped_early = True
            return result
    started = time.perf_counter()
    deadline = started + max_seconds
    for index in range(max_requests):
        if time.perf_counter() >= deadline:
            break
        outcome = call(requests[(warmup + index) % len(requests)])
        _record(result, outcome)
        if result.timeouts >= max_timeouts:
            result.stopped_early = True
            break
    result.elapsed = time.perf_counter() - started
    return result


def _release(caller: Caller) -> None:
    """Close what a caller holds (an HTTP connection), if it holds anything."""
    close = getattr(caller, "close", None)
    if close is not None:
        close()


def _note_failure(result: LatencyResult | ThroughputResult, outcome: Outcome) -> None:
    """Count a request that got no answer, keeping the first error's text."""
    if outcome.status == "timeout":
        result.timeouts += 1
    else:
        result.errors += 1
    if not result.first_error:
        result.first_error = outcome.detail[:300]


def _record(result: LatencyResult, outcome: Outcome) -> None:
    if outcome.status == "ok":
        result.latencies.append(outcome.seconds)
    else:
        _note_failure(result, outcome)


def measure_throughput(
    make_caller: CallerFactory,
    requests: Sequence[QueryRequest],
    *,
    concurrency: int,
    seconds: float,
    max_requests: int,
) -> ThroughputResult:
    """`concurrency` workers send requests back to back until time or count runs out.

    Elapsed time runs from the common start to the moment the last in-flight request
    ends, so requests a slow system still had queued are paid for, not hidden.
    """
    callers = [make_caller() for _ in range(concurrency)]
    lock = threading.Lock()
    result = ThroughputResult(concurrency=concurrency)
    issued = 0
    start_gate = threading.Barrier(concurrency + 1)
    deadline = 0.0

    def take_ticket() -> int | None:
        nonlocal issued
        with lock:
            if issued >= max_requests or time.perf_counter() >= deadline:
                return None
            issued += 1
            return issued

    def work(worker: int) -> None:
        call = callers[worker]
        start_gate.wait()
        while (ticket := take_ticket()) is not None:
            outcome = call(requests[(ticket * 7919 + worker) % len(requests)])
            with lock:
                _count(result, outcome)

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    cpu_before = time.process_time()
    started = time.perf_counter()
    deadline = started + seconds
    start_gate.wait()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - started
    result.client_cpu = time.process_time() - cpu_before
    for caller in callers:
        _release(caller)
    return result


def _count(result: ThroughputResult, outcome: Outcome) -> None:
    if outcome.status == "ok":
        result.completed += 1
    else:
        _note_failure(result, outcome)
