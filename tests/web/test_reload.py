"""Reloading a new release without stopping: POST /admin/reload (web/admin.py) over the
embedded store's switch (EmbeddedStore.reload), in-process with real query workers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.conftest import AppClient, serve

TOKEN = "s3cret-admin-token-for-tests"
GRAPH = "http://example.org/release"
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
#: five-way cross join of the release graph: 30 statements give 30^5 rows to count
#: (seconds of work), long enough to be in flight while a reload switches
SLOW = (
    f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> "
    "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o } }"
)
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def write_release(path: Path, statements: int) -> None:
    lines = [
        f'    <http://example.org/item/{i}> <http://example.org/rank> "{i}" .'
        for i in range(statements)
    ]
    path.write_text(f"<{GRAPH}> {{\n" + "\n".join(lines) + "\n}\n", encoding="utf-8")


def count(client: AppClient, query: str = COUNT) -> tuple[int, str]:
    answer = client.post(
        "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.status_code == 200, answer.text
    value = int(answer.json()["results"]["bindings"][0]["n"]["value"])
    return value, answer.headers["Kompass-Release"]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "release.trig"
    write_release(path, 30)
    return path


@pytest.fixture
def client(data: Path) -> Iterator[AppClient]:
    app_client = serve(only_data=[data], admin_token=TOKEN, query_timeout=60)
    yield app_client
    app_client.close()


def test_a_reload_switches_the_answer_and_the_release_header(client: AppClient, data: Path) -> None:
    before, old_release = count(client)
    assert before == 30
    write_release(data, 31)
    answer = client.post("/admin/reload", headers=AUTH)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "reloaded"
    assert body["previous_release"] == old_release
    assert body["release"] != old_release
    after, new_release = count(client)
    assert (after, new_release) == (31, body["release"])
    assert client.get("/readyz").json()["release"] == new_release


def test_a_reload_rebuilds_the_downloads_and_the_api_examples(
    client: AppClient, data: Path
) -> None:
    old = client.get("/download/release.json")
    assert old.status_code == 200, old.text
    state = client.app.state.kompass
    assert client.get("/openapi.json").status_code == 200
    assert state.api_document is not None
    write_release(data, 31)
    assert client.post("/admin/reload", headers=AUTH).status_code == 200
    assert state.api_document is None  # built again, from the new data, when asked
    client.wait_for_the_release()  # built again in the background after the switch
    new = client.get("/download/release.json")
    assert new.status_code == 200
    assert new.json()["identifier"] == state.release != old.json()["identifier"]


def test_a_query_in_flight_finishes_on_the_old_release(client: AppClient, data: Path) -> None:
    state = client.app.state.kompass
    old_report = state.store.load_report
    write_release(data, 31)
    asgi: httpx.AsyncClient = client._client

    async def scenario() -> tuple[httpx.Response, httpx.Response, bool]:
        slow = asyncio.create_task(
            asgi.post(
                "/sparql",
                data={"query": SLOW},
                headers={"Accept": "application/sparql-results+json"},
            )
        )
        await asyncio.sleep(0.3)  # the slow query is running in a worker
        reload = asyncio.create_task(asgi.post("/admin/reload", headers=AUTH))
        while state.store.load_report is old_report:  # until new queries go to the new one
            assert not reload.done(), (await reload).text
            await asyncio.sleep(0.01)
        in_flight_at_switch = not slow.done()
        return await slow, await reload, in_flight_at_switch

    slow, reload, in_flight_at_switch = client._portal.call(scenario)
    assert in_flight_at_switch, "the slow query ended before the switch: the test proves nothing"
    assert reload.status_code == 200, reload.text
    assert slow.status_code == 200, slow.text
    assert int(slow.json()["results"]["bindings"][0]["n"]["value"]) == 30**5
    assert count(client)[0] == 31


def test_invalid_data_is_refused_and_the_old_release_keeps_serving(
    client: AppClient, data: Path
) -> None:
    before = count(client)
    data.write_text(f"<{GRAPH}> {{ <http://example.org/x> <http://example.org/p> ", "utf-8")
    answer = client.post("/admin/reload", headers=AUTH)
    assert answer.status_code == 409
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["title"] == "Reload refused"
    assert problem["type"].endswith("/reload-refused")
    assert "the old one keeps serving" in problem["detail"]
    assert "release.trig" in problem["detail"]  # the parse error names the file
    assert count(client) == before
    assert client.get("/readyz").json()["release"] == before[1]


def test_a_second_reload_while_one_runs_answers_503(client: AppClient, data: Path) -> None:
    asgi: httpx.AsyncClient = client._client
    write_release(data, 31)

    async def both() -> list[httpx.Response]:
        first = asyncio.create_task(asgi.post("/admin/reload", headers=AUTH))
        await asyncio.sleep(0.05)  # the first is checking and loading the files
        second = await asgi.post("/admin/reload", headers=AUTH)
        return [await first, second]

    first, second = client._portal.call(both)
    assert first.status_code == 200, first.text
    assert second.status_code == 503
    assert second.headers["Retry-After"] == "1"
    assert second.json()["type"].endswith("/overloaded")
    assert "a reload is already running" in second.json()["detail"]


def test_the_endpoint_is_off_without_a_token(data: Path) -> None:
    off = serve(only_data=[data])
    try:
        answer = off.post("/admin/reload", headers=AUTH)
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"
    finally:
        off.close()


@pytest.mark.parametrize(
    ("headers", "status", "slug"),
    [
        ({}, 401, "not-authenticated"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, 401, "not-authenticated"),
        ({"Authorization": "Bearer "}, 401, "not-authenticated"),
        ({"Authorization": "Bearer wrong-token"}, 403, "access-denied"),
        ({"Authorization": f"Bearer {TOKEN}x"}, 403, "access-denied"),
    ],
)
def test_a_missing_or_wrong_token_is_refused(
    client: AppClient, headers: dict[str, str], status: int, slug: str
) -> None:
    release = count(client)[1]
    answer = client.post("/admin/reload", headers=headers)
    assert answer.status_code == status
    assert answer.json()["type"].endswith("/" + slug)
    if status == 401:
        assert answer.headers["WWW-Authenticate"] == 'Bearer realm="kompass-graph"'
    assert count(client)[1] == release  # nothing was reloaded


def test_the_token_never_reaches_the_log(
    client: AppClient, data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    write_release(data, 31)
    assert client.post("/admin/reload", headers=AUTH).status_code == 200
    assert (
        client.post("/admin/reload", headers={"Authorization": "Bearer guess"}).status_code == 403
    )
    data.write_text("not rdf", "utf-8")
    assert client.post("/admin/reload", headers=AUTH).status_code == 409
    assert "reloaded: now serving release" in caplog.text  # the log was captured
    assert TOKEN not in caplog.text
    assert "guess" not in caplog.text


def test_the_token_is_a_secret_setting() -> None:
    from kompass_graph.settings import Settings

    settings: Any = Settings(admin_token=TOKEN)
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings.model_dump())
