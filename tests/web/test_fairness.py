"""One client cannot take every query slot: past its share its next query waits for one
of its own to finish, while another client is answered at once."""

from __future__ import annotations

import asyncio

import httpx

from kompass_graph.settings import Settings
from kompass_graph.web import create_app
from tests.web.conftest import PROTOCOL_DATA

# runs until its 3 s timeout: 17^6 rows
HEAVY = "SELECT (COUNT(*) AS ?n) { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(6)) + " }"


def test_one_client_past_its_share_is_refused_and_others_are_answered() -> None:
    settings = Settings(
        only_data=[PROTOCOL_DATA],
        query_timeout=3,
        max_queries_per_client=2,
        max_concurrent_queries=4,
        query_workers=4,
    )
    app = create_app(settings)

    async def run() -> tuple[list[int], int, float, float, str]:
        async with app.router.lifespan_context(app):
            greedy = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app, client=("10.0.0.1", 1)),
                base_url="http://t",
            )
            other = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app, client=("10.0.0.2", 1)),
                base_url="http://t",
            )
            heavy = [
                asyncio.create_task(greedy.get("/sparql", params={"query": HEAVY}))
                for _ in range(2)
            ]
            await asyncio.sleep(0.3)  # both heavy queries are running now
            loop = asyncio.get_running_loop()
            started = loop.time()
            third_task = asyncio.create_task(greedy.get("/sparql", params={"query": "ASK {}"}))
            answered = await other.get("/sparql", params={"query": "ASK {}"})
            other_seconds = loop.time() - started
            third = await third_task
            third_seconds = loop.time() - started
            statuses = [r.status_code for r in await asyncio.gather(*heavy)]
            await greedy.aclose()
            await other.aclose()
            return (
                statuses,
                third.status_code,
                third_seconds,
                other_seconds,
                answered.text + str(answered.status_code),
            )
        raise AssertionError("unreachable")

    heavy, third, third_seconds, other_seconds, answered = asyncio.run(run())
    assert answered.endswith("200") and "true" in answered
    assert other_seconds < 1.0  # the other client is answered at once
    assert third == 200 and third_seconds > 2.0  # after one of its own heavy ones ended
    assert heavy == [503, 503]  # the heavy ones ran into their timeout
