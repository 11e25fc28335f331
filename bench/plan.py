"""What one system is asked, and the per-query measurement sequence every system goes through.

For each query of the mix: one answer fetched and fingerprinted (row count, triple count
or boolean, so the systems' answers can be compared), then latency at concurrency 1
(each request new to the server: cold), for lookups the same requests once more (warm:
what an answer cache gives), then throughput at each higher concurrency (its requests
cycle through the same drawn set, so they are mostly warm). A query that timed out at
concurrency 1 is not sent again concurrently: the peer is reported as unable to answer
it in time, instead of being buried under requests it cannot finish.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from bench.measure import CallerFactory, QueryRequest, measure_latency, measure_throughput

__all__ = ["Plan", "fingerprint", "measure_queries"]


@dataclass(frozen=True)
class Plan:
    requests: dict[str, list[QueryRequest]]
    classes: dict[str, str]
    warmup: int = 3
    latency_requests: int = 60
    latency_seconds: float = 6.0
    concurrencies: tuple[int, ...] = (8, 32)
    throughput_seconds: float = 3.0
    throughput_max_requests: int = 20_000
    request_timeout: float = 10.0

    def to_json(self) -> dict[str, Any]:
        raw = asdict(self)
        raw["requests"] = {
            name: [asdict(request) for request in requests]
            for name, requests in self.requests.items()
        }
        return raw

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Plan:
        fields = dict(raw)
        fields["requests"] = {
            name: [QueryRequest(**request) for request in requests]
            for name, requests in raw["requests"].items()
        }
        fields["concurrencies"] = tuple(raw["concurrencies"])
        return cls(**fields)


def fingerprint(body: bytes, accept: str) -> str:
    """A short, comparable summary of an answer: `rows=N`, `triples=N` or `boolean=B`."""
    if accept == "application/n-triples":
        return f"triples={sum(1 for line in body.splitlines() if line.strip())}"
    try:
        parsed = json.loads(body)
    except ValueError:
        return f"unparsable ({len(body)} bytes)"
    if "boolean" in parsed:
        return f"boolean={str(parsed['boolean']).lower()}"
    return f"rows={len(parsed.get('results', {}).get('bindings', []))}"


def _throughput_cap(plan: Plan, concurrency: int, sequential_qps: object) -> int:
    """Requests one throughput phase may send.

    Time bounds a phase only when requests are issued; once issued, every request runs to
    its end. For a query of seconds, `concurrency` workers would queue up many times the
    phase's length of work, so the count is capped at about three times what the system
    did sequentially in the same time, and never below one request per worker.
    """
    qps = float(sequential_qps) if isinstance(sequential_qps, int | float) else 0.0
    expected = math.ceil(plan.throughput_seconds * qps * 3)
    return min(plan.throughput_max_requests, max(concurrency, expected))


def measure_queries(
    make_caller: CallerFactory,
    plan: Plan,
    *,
    answer: Callable[[QueryRequest], bytes],
    after_phase: Callable[[str, bool], None] | None = None,
) -> dict[str, Any]:
    """Run the whole mix against one system; `after_phase(query, timed_out)` lets the
    driver wait for a server to finish work that timed-out requests left behind."""
    results: dict[str, Any] = {}
    for name, requests in plan.requests.items():
        entry: dict[str, Any] = {"class": plan.classes[name]}
        try:
            entry["answer"] = fingerprint(answer(requests[0]), requests[0].accept)
        except Exception as error:
            entry["answer"] = f"failed: {error!r}"[:300]
        latency = measure_latency(
            make_caller,
            requests,
            warmup=plan.warmup,
            max_requests=plan.latency_requests,
            max_seconds=plan.latency_seconds,
        )
        entry["latency"] = latency.summary()
        timed_out = latency.timeouts > 0
        if plan.classes[name] == "lookup" and not timed_out:
            # the very same requests again: a server that keeps answers now answers
            # from memory (the first pass is its cold figure, this one its warm)
            entry["latency_warm"] = measure_latency(
                make_caller,
                requests,
                warmup=plan.warmup,
                max_requests=latency.requests,
                max_seconds=plan.latency_seconds,
            ).summary()
        if after_phase is not None:
            after_phase(name, timed_out)
        entry["throughput"] = {}
        for concurrency in plan.concurrencies:
            if timed_out or not latency.latencies:
                entry["throughput"][str(concurrency)] = {
                    "concurrency": concurrency,
                    "skipped": "no answer within the timeout at concurrency 1"
                    if timed_out
                    else "no successful answer at concurrency 1",
                }
                continue
            throughput = measure_throughput(
                make_caller,
                requests,
                concurrency=concurrency,
                seconds=plan.throughput_seconds,
                max_requests=_throughput_cap(plan, concurrency, latency.summary()["qps"]),
            )
            entry["throughput"][str(concurrency)] = throughput.summary()
            if after_phase is not None:
                after_phase(name, throughput.timeouts > 0)
        results[name] = entry
    return results
