"""The floor: pyoxigraph in the same process as the client, no HTTP at all.

Runs as a child process of the driver so that its memory is its own and the driver's
state cannot slow it. A request here is what a server must do at the least: evaluate
the query and serialise the complete result in the format an HTTP client would get
(SPARQL JSON results, N-Triples for graphs). The same latency and throughput loops as
for the HTTP systems run over it; pyoxigraph releases the GIL while it evaluates, so
the concurrency phases are real parallelism, as far as two cores allow.

    python -m bench.inprocess --data FILE --plan plan.json --out result.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import psutil
import pyoxigraph

from bench.measure import Caller, Outcome, QueryRequest
from bench.plan import Plan, measure_queries

__all__ = ["main", "pyoxigraph_caller_factory"]


def pyoxigraph_caller_factory(store: pyoxigraph.Store) -> Any:
    def make() -> Caller:
        def call(request: QueryRequest) -> Outcome:
            started = time.perf_counter()
            try:
                body = _evaluate(store, request.text)
            except (SyntaxError, OSError, ValueError) as error:
                return Outcome("error", time.perf_counter() - started, detail=repr(error))
            return Outcome("ok", time.perf_counter() - started, len(body))

        return call

    return make


def _evaluate(store: pyoxigraph.Store, query: str) -> bytes:
    result = store.query(query)
    if isinstance(result, pyoxigraph.QueryTriples):
        return result.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
    return result.serialize(format=pyoxigraph.QueryResultsFormat.JSON) or b""


def answer_body(store: pyoxigraph.Store, request: QueryRequest) -> bytes:
    return _evaluate(store, request.text)


def _rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def _peak_rss_mb() -> float | None:
    """The kernel's high-water mark of this process's resident set (VmHWM)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def run(data: Path, plan: Plan) -> dict[str, Any]:
    started = time.perf_counter()
    store = pyoxigraph.Store()
    store.bulk_load(path=str(data))
    # the first answered query ends the load, as for the servers
    bool(store.query("ASK { ?s ?p ?o }"))
    load_seconds = time.perf_counter() - started
    rss_after_load = _rss_mb()
    pss_after_load = psutil.Process().memory_full_info().pss / 2**20
    queries = measure_queries(
        pyoxigraph_caller_factory(store),
        plan,
        answer=lambda request: answer_body(store, request),
    )
    return {
        "system": "pyoxigraph in-process",
        "version": f"pyoxigraph {pyoxigraph.__version__}",
        "load_seconds": round(load_seconds, 3),
        "memory": {
            "rss_after_load_mb": round(rss_after_load, 1),
            "pss_after_load_mb": round(pss_after_load, 1),
            "processes": 1,
            "rss_peak_mb": _round(_peak_rss_mb()),
            "pss_peak_mb": None,
        },
        "queries": queries,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    plan = Plan.from_json(json.loads(args.plan.read_text(encoding="utf-8")))
    result = run(args.data, plan)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
