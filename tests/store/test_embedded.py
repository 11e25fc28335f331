"""The embedded store against real files, real worker processes and real timeouts."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kompass_graph.errors import (
    ConfigurationError,
    OverloadedError,
    ParseError,
    QueryRejectedError,
    QuerySyntaxError,
    QueryTimeoutError,
)
from kompass_graph.store import (
    EmbeddedStore,
    FormatChoice,
    GraphStore,
    QueryRequest,
    content_hash,
)

FIXTURES = Path(__file__).parent / "fixtures"
FILES = [FIXTURES / n for n in ("people.ttl", "graphs.nq", "person.jsonld", "person.rdf")]
JSON = FormatChoice("json", "json", "nquads")
# twelve unconstrained patterns over eight triples: 8^12 rows: billions of rows, runs for minutes
HEAVY = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(12)) + " }"
)


def names(store: EmbeddedStore, query: str, **options: object) -> list[str]:
    async def run() -> list[str]:
        await store.start()
        try:
            answer = await store.execute(
                QueryRequest(query=query, formats=JSON, **options),  # type: ignore[arg-type]
                timeout=10,
            )
        finally:
            await store.close()
        rows = json.loads(answer.body)["results"]["bindings"]
        return sorted(row["name"]["value"] for row in rows)

    return asyncio.run(run())


NAMES = "SELECT ?name WHERE { ?s <http://example.org/name> ?name }"


def test_loads_every_format_and_keeps_named_graphs() -> None:
    store = EmbeddedStore()
    report = store.load(FILES)
    assert report.triples == 8
    assert report.content_hash == content_hash(FILES)
    assert names(store, NAMES) == ["Alice", "Bob", "Dave", "Erin", "Frank"]
    in_graph = "SELECT ?name WHERE { GRAPH <http://example.org/graph/c> { ?s ?p ?name } }"
    assert names(store, in_graph) == ["Carol"]
    assert names(store, NAMES, union_default_graph=True) == [
        "Alice",
        "Bob",
        "Carol",
        "Dave",
        "Erin",
        "Frank",
    ]


def test_dump_keeps_named_graphs() -> None:
    store = EmbeddedStore()
    store.load(FILES)
    dumped = store.dump("nquads").decode()
    assert '"Carol" <http://example.org/graph/c> .' in dumped
    assert dumped.count("\n") == 8


def test_parse_error_names_file_line_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    with pytest.raises(ParseError, match=r"broken\.ttl:2:"):
        EmbeddedStore().load([broken])


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A local port that records whether anything connects to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.3)
    yield server
    server.close()


def assert_no_connection(server: socket.socket) -> None:
    with pytest.raises(TimeoutError):
        server.accept()


def test_json_ld_never_fetches_a_remote_context(tmp_path: Path, listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    document = tmp_path / "remote.jsonld"
    document.write_text(json.dumps({"@context": f"http://127.0.0.1:{port}/ctx", "@id": "x"}))
    with pytest.raises(ParseError, match=r"remote\.jsonld"):
        EmbeddedStore().load([document])
    assert_no_connection(listener)


def test_rdf_xml_entities_are_never_expanded(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "AAAAAAAA">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:e="http://e/"><rdf:Description rdf:about="http://s"><e:p>&a;</e:p>'
        "</rdf:Description></rdf:RDF>"
    )
    with pytest.raises(ParseError, match=r"bomb\.rdf:2: .*never expanded"):
        EmbeddedStore().load([bomb])


def test_on_disk_store_is_reused_without_reloading(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    first = EmbeddedStore(path=folder).load(FILES)
    assert not first.reused
    again = EmbeddedStore(path=folder)
    report = again.load(FILES)
    assert report.reused
    assert report.triples == 8
    assert names(again, NAMES) == ["Alice", "Bob", "Dave", "Erin", "Frank"]  # read-only workers
    changed = EmbeddedStore(path=folder).load(FILES[:1])
    assert not changed.reused
    assert changed.triples == 4


def test_a_bad_file_never_destroys_the_published_store(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    EmbeddedStore(path=folder).load(FILES)
    broken = tmp_path / "broken.ttl"
    broken.write_text("<http://example.org/a> <http://example.org/b> .\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"broken\.ttl"):
        EmbeddedStore(path=folder).load([broken, *FILES])
    assert not (folder / "oxigraph.loading").exists()
    kept = EmbeddedStore(path=folder)
    report = kept.load(FILES)
    assert report.reused, "the store published before the failed load must still be there"
    assert names(kept, NAMES) == ["Alice", "Bob", "Dave", "Erin", "Frank"]


def test_on_disk_store_refuses_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "oxigraph").mkdir()
    with pytest.raises(ConfigurationError, match="not written by kompass-graph"):
        EmbeddedStore(path=tmp_path).load(FILES)


def test_syntax_error_has_position() -> None:
    store = EmbeddedStore()
    store.load(FILES)
    with pytest.raises(QuerySyntaxError) as caught:
        names(store, "SELECT ?name WHERE {\n ?s ?p }")
    assert caught.value.position.line == 2


def test_service_is_refused_and_never_connects(listener: socket.socket) -> None:
    store = EmbeddedStore()
    store.load(FILES)
    port = listener.getsockname()[1]
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryRejectedError):
        names(store, query)
    # SPARQL replaces codepoint escapes before parsing (19.2): this spells SERVICE too
    # (Oxigraph 0.5 would call it a syntax error; the guard follows the grammar)
    escaped = query.replace("SERVICE", "\\u0053ERVICE")
    with pytest.raises(QueryRejectedError):
        names(store, escaped)
    assert_no_connection(listener)


def process_gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


def test_timeout_kills_the_worker_and_replaces_it() -> None:
    store = EmbeddedStore(warm_workers=1, max_workers=2)
    store.load(FILES)

    async def run() -> tuple[list[int], list[int], float, list[str]]:
        await store.start()
        try:
            assert store._pools.current is not None
            before = store._pools.current.pids
            started = time.perf_counter()
            with pytest.raises(QueryTimeoutError, match=r"longer than 0\.5 s"):
                await store.execute(QueryRequest(query=HEAVY, formats=JSON), timeout=0.5)
            waited = time.perf_counter() - started
            await asyncio.sleep(0.3)
            after = store._pools.current.pids
            answer = await store.execute(QueryRequest(query=NAMES, formats=JSON), timeout=5)
            rows = json.loads(answer.body)["results"]["bindings"]
            return before, after, waited, [r["name"]["value"] for r in rows]
        finally:
            await store.close()

    before, after, waited, rows = asyncio.run(run())
    assert 0.5 <= waited < 1.5
    assert len(before) == 1
    assert process_gone(before[0]), "the timed-out worker still runs"
    assert len(after) == 1 and after != before  # a fresh worker took its place
    assert len(rows) == 5
    assert store.pool_stats.killed_on_timeout == 1


def test_with_threads_light_queries_skip_the_workers_and_heavy_ones_still_die() -> None:
    store = EmbeddedStore(warm_workers=1, max_workers=2, query_threads=2)
    store.load(FILES)
    light = "SELECT ?name WHERE { <http://example.org/alice> <http://example.org/name> ?name }"

    async def run() -> tuple[list[str], list[int]]:
        await store.start()
        try:
            assert store._pools.current is not None
            before = store._pools.current.pids
            answer = await store.execute(QueryRequest(query=light, formats=JSON), timeout=5)
            with pytest.raises(QueryTimeoutError):
                await store.execute(QueryRequest(query=HEAVY, formats=JSON), timeout=0.5)
            rows = json.loads(answer.body)["results"]["bindings"]
            return [r["name"]["value"] for r in rows], before
        finally:
            await store.close()

    rows, before = asyncio.run(run())
    assert rows == ["Alice"]
    assert store.lane_stats.answered == 1  # the light one, on a thread
    assert process_gone(before[0]), "the heavy query went to a thread, not a worker"
    assert store.pool_stats.killed_on_timeout == 1


def test_without_a_queue_queries_beyond_the_limit_are_refused_at_once() -> None:
    store = EmbeddedStore(warm_workers=1, max_workers=1, max_queued=0)
    store.load(FILES)

    async def run() -> None:
        await store.start()
        try:
            heavy = asyncio.create_task(
                store.execute(QueryRequest(query=HEAVY, formats=JSON), timeout=2)
            )
            await asyncio.sleep(0.2)
            started = time.perf_counter()
            with pytest.raises(OverloadedError) as caught:
                await store.execute(QueryRequest(query=NAMES, formats=JSON), timeout=2)
            assert time.perf_counter() - started < 0.1
            assert caught.value.retry_after_seconds >= 1
            with pytest.raises(QueryTimeoutError):
                await heavy
        finally:
            await store.close()

    asyncio.run(run())
    assert store.pool_stats.rejected_overload == 1


def test_beyond_the_limit_queries_wait_in_a_bounded_queue() -> None:
    """One slot, one place in the queue: the queued query runs once the heavy one is
    stopped (on a fresh worker), the next is refused at once."""
    store = EmbeddedStore(warm_workers=1, max_workers=1, max_queued=1)
    store.load(FILES)

    async def run() -> tuple[list[str], float, float]:
        await store.start()
        try:
            heavy = asyncio.create_task(
                store.execute(QueryRequest(query=HEAVY, formats=JSON), timeout=0.5)
            )
            await asyncio.sleep(0.1)
            started = time.perf_counter()
            queued = asyncio.create_task(
                store.execute(QueryRequest(query=NAMES, formats=JSON), timeout=5)
            )
            await asyncio.sleep(0.1)
            with pytest.raises(OverloadedError) as caught:
                await store.execute(QueryRequest(query=NAMES, formats=JSON), timeout=5)
            refused_after = time.perf_counter() - started
            assert caught.value.retry_after_seconds >= 1
            with pytest.raises(QueryTimeoutError):
                await heavy
            answer = await queued
            rows = json.loads(answer.body)["results"]["bindings"]
            return [r["name"]["value"] for r in rows], time.perf_counter() - started, refused_after
        finally:
            await store.close()

    rows, waited, refused_after = asyncio.run(run())
    assert len(rows) == 5
    assert 0.3 <= waited < 3.0  # it waited for the heavy query's end, then ran
    assert refused_after < 0.3
    assert store.pool_stats.rejected_overload == 1


def test_a_queued_query_gives_up_within_its_own_time_limit() -> None:
    store = EmbeddedStore(warm_workers=1, max_workers=1, max_queued=4)
    store.load(FILES)

    async def run() -> float:
        await store.start()
        try:
            heavy = asyncio.create_task(
                store.execute(QueryRequest(query=HEAVY, formats=JSON), timeout=3)
            )
            await asyncio.sleep(0.1)
            started = time.perf_counter()
            with pytest.raises(OverloadedError, match="time limit"):
                await store.execute(QueryRequest(query=NAMES, formats=JSON), timeout=0.4)
            waited = time.perf_counter() - started
            assert store._pools.current is not None and store._pools.current.queued == 0
            heavy.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heavy
            return waited
        finally:
            await store.close()

    waited = asyncio.run(run())
    assert 0.35 <= waited < 1.0


def test_close_ends_every_worker() -> None:
    store = EmbeddedStore(warm_workers=2, max_workers=3)
    store.load(FILES)

    async def run() -> list[int]:
        await store.start()
        assert store._pools.current is not None
        pids = store._pools.current.pids
        await store.close()
        return pids

    pids = asyncio.run(run())
    time.sleep(0.2)
    assert len(pids) == 2
    for pid in pids:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        assert process_gone(pid)


def test_embedded_store_implements_the_interface() -> None:
    assert isinstance(EmbeddedStore(), GraphStore)


def test_a_worker_that_died_while_idle_is_replaced() -> None:
    store = EmbeddedStore(warm_workers=1, max_workers=2)
    store.load(FILES)

    async def run() -> list[str]:
        await store.start()
        try:
            assert store._pools.current is not None
            [victim] = store._pools.current.pids
            os.kill(victim, signal.SIGKILL)
            await asyncio.sleep(0.2)
            answer = await store.execute(QueryRequest(query=NAMES, formats=JSON), timeout=5)
            assert victim not in store._pools.current.pids
            return [b["name"]["value"] for b in json.loads(answer.body)["results"]["bindings"]]
        finally:
            await store.close()

    assert sorted(asyncio.run(run())) == ["Alice", "Bob", "Dave", "Erin", "Frank"]
    assert store.pool_stats.crashed == 1
