"""Defence in depth: a query worker has no network, even for a query the guard missed.

The guard is switched off here (as if a spelling slipped through it), so a SERVICE call
reaches a real worker process; the worker runs in a network namespace of its own, so
the engine's call never reaches the socket listening on loopback. The same query run
in this process (the CLI's path, no namespace) does reach it, which shows the call is
real. With SERVICE endpoints on the allow-list, workers keep the network (the server
tests call one). Where the platform gives no network namespace, the test says so and
skips (the pool logs a warning then).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from kompass_graph.store import EmbeddedStore, FormatChoice, QueryRequest, embedded
from tests.loopback import Listener, listening

PEOPLE = Path(__file__).parent / "fixtures" / "people.ttl"


@pytest.fixture
def listener() -> Iterator[Listener]:
    with listening() as witness:
        yield witness


def test_a_service_call_past_the_guard_cannot_leave_the_worker(
    listener: Listener, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded, "check_query", lambda *args, **kwargs: None)
    endpoint = f"http://127.0.0.1:{listener.port}/sparql"
    query = f"SELECT * {{ ?s ?p ?o SERVICE <{endpoint}> {{ ?a ?b ?c }} }}"
    request = QueryRequest(query, FormatChoice("json", "json", "nquads"))
    store = EmbeddedStore(warm_workers=1, max_workers=1)
    store.load([PEOPLE])

    async def in_a_worker() -> None:
        await store.start()
        try:
            await store.execute(request, timeout=10)
        finally:
            await store.close()

    from_worker = listener.calls_out(lambda: asyncio.run(in_a_worker()))
    if "no network namespace" in caplog.text:
        pytest.skip("this platform gives query workers no network namespace")
    assert not from_worker, "a query worker reached the loopback listener"
    assert listener.calls_out(lambda: store.run(request)), "the call itself is not real"
