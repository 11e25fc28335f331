"""The in-process lane (store/inprocess.py): light queries on threads, with the limits
that keep a thread from running away: the shape test, the budget and the thread count."""

from __future__ import annotations

import asyncio
import json

import pyoxigraph as ox
import pytest

from kompass_graph.errors import QueryTimeoutError
from kompass_graph.store import FormatChoice, QueryRequest
from kompass_graph.store.inprocess import InProcessLane

JSON = FormatChoice("json", "json", "nquads")
EX = "http://example.org/"
# three patterns on one hub subject with 200 objects: 8 million rows, about half a second
SLOW = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{EX}hub> <{EX}p> ?a , ?b , ?c }}"
FAST = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{EX}other> <{EX}p> ?a , ?b , ?c }}"


def hub_store(objects: int = 200, name: str = "hub") -> ox.Store:
    store = ox.Store()
    subject, predicate = ox.NamedNode(EX + name), ox.NamedNode(EX + "p")
    store.bulk_extend(ox.Quad(subject, predicate, ox.Literal(str(i))) for i in range(objects))
    return store


def count(outcome_body: bytes) -> int:
    return int(json.loads(outcome_body)["results"]["bindings"][0]["n"]["value"])


def request(query: str) -> QueryRequest:
    return QueryRequest(query=query, formats=JSON)


def test_only_light_shapes_are_taken() -> None:
    lane = InProcessLane(ox.Store(), threads=2, budget=0.5)
    try:
        assert lane.takes(request(SLOW)) is not None
        assert lane.takes(request("SELECT * WHERE { ?s ?p ?o }")) is None
    finally:
        lane.close()


def test_a_shape_slower_than_the_budget_goes_to_the_workers_from_then_on() -> None:
    async def scenario() -> None:
        lane = InProcessLane(hub_store(), threads=2, budget=0.1)
        try:
            key = lane.takes(request(SLOW))
            assert key is not None
            outcome = await lane.run(request(SLOW), key, timeout=10)
            assert outcome.answer is not None and count(outcome.answer.body) == 200**3
            await asyncio.sleep(0)  # the done-callback runs on the loop
            # the same shape with another constant: demoted, although it would be fast
            assert lane.takes(request(FAST)) is None
            assert (lane.stats.answered, lane.stats.demoted, lane.stats.overran) == (1, 1, 0)
        finally:
            lane.close()

    asyncio.run(scenario())


def test_a_fast_shape_stays_on_the_threads() -> None:
    async def scenario() -> None:
        lane = InProcessLane(hub_store(10), threads=2, budget=0.5)
        try:
            for _ in range(3):
                key = lane.takes(request(SLOW))
                assert key is not None
                await lane.run(request(SLOW), key, timeout=10)
            assert (lane.stats.answered, lane.stats.demoted) == (3, 0)
        finally:
            lane.close()

    asyncio.run(scenario())


def test_a_full_lane_hands_the_next_query_to_the_workers() -> None:
    async def scenario() -> None:
        lane = InProcessLane(hub_store(10), threads=1, budget=0.5)
        try:
            key = lane.takes(request(SLOW))
            assert key is not None
            running = asyncio.create_task(lane.run(request(SLOW), key, timeout=10))
            await asyncio.sleep(0)  # the task submits its query and holds the thread
            assert lane.running == 1
            assert lane.takes(request(FAST)) is None
            await running
            await asyncio.sleep(0)
            assert lane.running == 0
            assert lane.takes(request(FAST)) is not None
        finally:
            lane.close()

    asyncio.run(scenario())


def test_past_its_time_limit_a_query_answers_a_timeout_and_is_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def scenario() -> None:
        lane = InProcessLane(hub_store(), threads=1, budget=0.05)
        try:
            key = lane.takes(request(SLOW))
            assert key is not None
            with pytest.raises(QueryTimeoutError, match=r"longer than 0\.05 s"):
                await lane.run(request(SLOW), key, timeout=0.05)
            for _ in range(200):  # the thread finishes its bounded work
                if lane.running == 0:
                    break
                await asyncio.sleep(0.02)
            assert (lane.stats.answered, lane.stats.demoted, lane.stats.overran) == (0, 1, 1)
        finally:
            lane.close()

    with caplog.at_level("WARNING", logger="kompass_graph.store.inprocess"):
        asyncio.run(scenario())
    assert "past its 0.05 s limit" in caplog.text


def test_after_a_reload_new_queries_answer_from_the_new_store() -> None:
    async def scenario() -> None:
        lane = InProcessLane(hub_store(2), threads=1, budget=0.5)
        try:
            key = lane.takes(request(SLOW))
            assert key is not None
            before = await lane.run(request(SLOW), key, timeout=10)
            lane.serve(hub_store(3))
            after = await lane.run(request(SLOW), key, timeout=10)
            assert before.answer is not None and after.answer is not None
            assert (count(before.answer.body), count(after.answer.body)) == (8, 27)
        finally:
            lane.close()

    asyncio.run(scenario())


def test_a_closed_lane_takes_nothing() -> None:
    lane = InProcessLane(ox.Store(), threads=2, budget=0.5)
    lane.close()
    assert lane.takes(request(SLOW)) is None
