"""The answer cache (store/answer_cache.py) on its own, and inside the embedded store
with real workers: what it keeps, what it never keeps, and its byte bound."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from kompass_graph.errors import QuerySyntaxError
from kompass_graph.formats import FormatChoice
from kompass_graph.store import EmbeddedStore, QueryAnswer, QueryRequest
from kompass_graph.store.answer_cache import ENTRY_OVERHEAD, AnswerCache, is_repeatable

FIXTURES = Path(__file__).parent / "fixtures"
JSON = FormatChoice("json", "json", "nquads")
NAMES = "SELECT ?name WHERE { ?s <http://example.org/name> ?name }"


def request(query: str = NAMES, **options: object) -> QueryRequest:
    return QueryRequest(query=query, formats=JSON, **options)  # type: ignore[arg-type]


def answer(body: bytes = b"{}") -> QueryAnswer:
    return QueryAnswer("bindings", "json", body, 0, truncated=False)


def test_a_kept_answer_is_found_by_an_equal_request_of_the_same_release() -> None:
    cache = AnswerCache(1 << 20)
    cache.put("r1", request(), answer(b"one"))
    assert cache.get("r1", request()) == answer(b"one")
    assert cache.get("r2", request()) is None  # another release
    assert cache.get("r1", request(max_rows=5)) is None  # another limit: another answer
    assert cache.get("r1", request(base_iri="http://other/")) is None
    assert (cache.stats.hits, cache.stats.misses) == (1, 3)


def test_the_least_recently_used_answers_go_first_past_the_byte_bound() -> None:
    body = b"x" * 1000
    cost = len(body) + len("SELECT 0") + ENTRY_OVERHEAD
    cache = AnswerCache(cost * 8)  # eight answers, each an eighth of the bound
    for index in range(8):
        cache.put("r", request(f"SELECT {index}"), answer(body))
    assert cache.get("r", request("SELECT 0")) is not None  # 0 is now the most recent
    cache.put("r", request("SELECT 8"), answer(body))
    assert cache.get("r", request("SELECT 1")) is None
    kept = (0, *range(2, 9))
    assert all(cache.get("r", request(f"SELECT {i}")) is not None for i in kept)
    assert (cache.stats.entries, cache.stats.bytes) == (8, cost * 8)


def test_an_answer_over_an_eighth_of_the_bound_is_not_kept() -> None:
    cache = AnswerCache(8 * 1024)
    cache.put("r", request(), answer(b"x" * 1024))
    assert cache.get("r", request()) is None
    assert cache.stats.entries == 0


def test_an_equal_request_kept_twice_is_counted_once() -> None:
    cache = AnswerCache(1 << 20)
    cache.put("r", request(), answer(b"one"))
    cache.put("r", request(), answer(b"two"))
    assert cache.stats.entries == 1
    assert cache.stats.bytes == 3 + len(NAMES) + ENTRY_OVERHEAD
    cache.clear()
    assert (cache.stats.entries, cache.stats.bytes) == (0, 0)
    assert cache.get("r", request()) is None


def test_a_cache_of_no_bytes_keeps_nothing() -> None:
    cache = AnswerCache(0)
    cache.put("r", request(), answer())
    assert cache.get("r", request()) is None
    assert cache.stats.misses == 0  # off: nothing is counted either


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (NOW() AS ?t) {}",
        "SELECT (rand() AS ?r) {}",
        "SELECT (UUID() AS ?u) {}",
        "SELECT (STRUUID() AS ?u) {}",
        r"SELECT (\u004EOW() AS ?t) {}",  # NOW once the escape is read, as the engine reads it
        "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    ],
)
def test_an_answer_that_may_change_between_runs_is_not_kept(query: str) -> None:
    assert not is_repeatable(query)
    cache = AnswerCache(1 << 20)
    cache.put("r", request(query), answer())
    assert cache.get("r", request(query)) is None


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?now ?rand WHERE { ?now <http://example.org/uuid> ?rand }",
        'SELECT * WHERE { ?s ?p "call NOW() or SERVICE" }',
        "SELECT * WHERE { ?s <http://example.org/service> ?o } # RAND() in a comment",
    ],
)
def test_the_words_elsewhere_do_not_stop_an_answer_being_kept(query: str) -> None:
    assert is_repeatable(query)


def _run_twice(store: EmbeddedStore, first: QueryRequest, second: QueryRequest) -> list[bytes]:
    async def run() -> list[bytes]:
        await store.start()
        try:
            return [(await store.execute(r, timeout=10)).body for r in (first, second)]
        finally:
            await store.close()

    return asyncio.run(run())


def test_the_embedded_store_answers_a_repeated_request_from_the_cache() -> None:
    store = EmbeddedStore(warm_workers=1, max_workers=1, answer_cache_bytes=1 << 20)
    store.load([FIXTURES / "people.ttl"])
    first, second = _run_twice(store, request(), request())
    assert first == second
    assert json.loads(first)["results"]["bindings"]
    stats = store.answer_cache_stats
    assert (stats.hits, stats.misses, stats.entries) == (1, 1, 1)


def test_the_embedded_store_runs_a_query_calling_now_every_time() -> None:
    store = EmbeddedStore(warm_workers=1, max_workers=1, answer_cache_bytes=1 << 20)
    store.load([FIXTURES / "people.ttl"])
    query = "SELECT (STRUUID() AS ?u) {}"
    first, second = _run_twice(store, request(query), request(query))
    assert first != second
    assert store.answer_cache_stats.entries == 0


def test_a_client_error_is_not_kept() -> None:
    store = EmbeddedStore(warm_workers=1, max_workers=1, answer_cache_bytes=1 << 20)
    store.load([FIXTURES / "people.ttl"])

    async def run() -> None:
        await store.start()
        try:
            for _ in range(2):
                with pytest.raises(QuerySyntaxError):
                    await store.execute(request("SELEC nothing"), timeout=10)
        finally:
            await store.close()

    asyncio.run(run())
    assert store.answer_cache_stats.entries == 0
    assert store.answer_cache_stats.misses == 2
