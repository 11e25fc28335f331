"""Small queries keep answering while heavy ones fill every slot (the short-query lane),
and a worker that grew too large is replaced."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from kompass_graph.errors import OverloadedError, QueryTimeoutError
from kompass_graph.store import EmbeddedStore, FormatChoice, QueryRequest

PEOPLE = Path(__file__).parent / "fixtures" / "people.ttl"
JSON = FormatChoice("json", "json", "nquads")
HEAVY = QueryRequest(
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(12)) + " }",
    JSON,
)
SMALL = QueryRequest("ASK { ?s ?p ?o }", JSON)


def test_small_queries_answer_while_heavy_ones_fill_every_slot() -> None:
    store = EmbeddedStore(warm_workers=2, max_workers=2, short_budget=0.5)
    store.load([PEOPLE])

    async def run() -> tuple[float, type[Exception], list[type[Exception]]]:
        await store.start()
        try:
            heavy = [asyncio.create_task(store.execute(HEAVY, timeout=3)) for _ in range(2)]
            await asyncio.sleep(0.3)  # both slots are busy now
            started = time.monotonic()
            await store.execute(SMALL, timeout=3)  # through the lane, at once
            small_seconds = time.monotonic() - started
            with pytest.raises(OverloadedError, match="short-query") as third_heavy:
                await store.execute(HEAVY, timeout=3)  # the lane stops it after 0.5 s
            await store.execute(SMALL, timeout=3)  # and the lane works again after that
            outcomes = await asyncio.gather(*heavy, return_exceptions=True)
            return small_seconds, type(third_heavy.value), [type(o) for o in outcomes]
        finally:
            await store.close()

    small_seconds, third, heavy = asyncio.run(run())
    assert small_seconds < 0.4
    assert third is OverloadedError
    assert heavy == [QueryTimeoutError, QueryTimeoutError]


def test_without_a_lane_small_queries_wait(tmp_path: Path) -> None:
    """The same load with the lane off: the small query waits for a slot (the defect)."""
    store = EmbeddedStore(warm_workers=1, max_workers=1, short_budget=None)
    store.load([PEOPLE])

    async def run() -> type[Exception]:
        await store.start()
        try:
            heavy = asyncio.create_task(store.execute(HEAVY, timeout=1.5))
            await asyncio.sleep(0.3)
            with pytest.raises(OverloadedError) as waited:
                await store.execute(SMALL, timeout=0.5)
            await asyncio.gather(heavy, return_exceptions=True)
            return type(waited.value)
        finally:
            await store.close()

    assert asyncio.run(run()) is OverloadedError


def test_a_worker_that_grew_too_large_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    from kompass_graph.store import workers

    monkeypatch.setattr(workers, "RECYCLE_EVERY", 4)
    store = EmbeddedStore(warm_workers=1, max_workers=1, recycle_growth=1)  # 1 byte: always
    store.load([PEOPLE])

    async def run() -> int:
        await store.start()
        try:
            for _ in range(10):
                await store.execute(SMALL, timeout=5)
            return store.pool_stats.spawned
        finally:
            await store.close()

    assert asyncio.run(run()) >= 3  # the first, and a new one after every 4 queries
