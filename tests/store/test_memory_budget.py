"""A query past its memory budget ends its worker, frees the memory, answers 503.

Issue 8 saw one 75-byte query grow a worker to 8.3 GB before its timeout. Here the same
query meets a worker with a 64 MiB budget: it fails to allocate long before the time
limit, the pool answers with QueryWorkerLostError (503 with Retry-After) and replaces
the worker, and the next query is answered.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from kompass_graph.errors import QueryWorkerLostError
from kompass_graph.store import EmbeddedStore, FormatChoice, QueryRequest

GREEDY = "SELECT * WHERE {?a ?b ?c. ?d ?e ?f. ?g ?h ?i} ORDER BY ?c ?f ?i LIMIT 1"
JSON = FormatChoice("json", "json", "nquads")


def _data(folder: Path) -> Path:
    path = folder / "many.nt"
    path.write_text(
        "".join(
            f'<http://example.org/s{i}> <http://example.org/p> "value {i}" .\n' for i in range(300)
        )
    )
    return path


def test_a_query_over_its_memory_budget_is_stopped_and_the_next_one_answers(
    tmp_path: Path,
) -> None:
    store = EmbeddedStore(warm_workers=1, max_workers=1, memory_budget=64 << 20)
    store.load([_data(tmp_path)])

    async def run() -> tuple[QueryWorkerLostError, float, int]:
        await store.start()
        try:
            started = time.monotonic()
            with pytest.raises(QueryWorkerLostError) as lost:
                await store.execute(QueryRequest(GREEDY, JSON), timeout=60)
            seconds = time.monotonic() - started
            answer = await store.execute(
                QueryRequest("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", JSON), timeout=10
            )
            return lost.value, seconds, answer.rows
        finally:
            await store.close()

    error, seconds, rows = asyncio.run(run())
    assert error.http_status == 503 and error.retry_after_seconds >= 1
    assert "64 MiB" in str(error)
    assert seconds < 30, "the budget should stop the query long before its time limit"
    assert rows == 1
