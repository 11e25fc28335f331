"""A remote store that must not be asked, is slow, broken or gone: our guard, our
deadline and clear problems, and the server keeps running and recovers."""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import pytest

from tests.stores.conftest import OxigraphServer, free_port
from tests.stores.fake_store import fake_store
from tests.web.conftest import serve

_REFUSED = [
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 400),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 403),
    ("SELECT * WHERE " + "{ " * 200 + "?s ?p ?o" + " }" * 200, 400),
]
SECRET = "s3cret-Pa55word"


@pytest.mark.parametrize(("query", "status"), _REFUSED, ids=["service", "update", "nesting"])
def test_the_guard_refuses_before_anything_is_forwarded(query: str, status: int) -> None:
    with fake_store() as store:
        client = serve(store_url=store.query_url)
        try:
            sent_before = list(store.queries)
            answer = client.get("/sparql", params={"query": query})
            assert answer.status_code == status, answer.text
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert store.queries == sent_before  # the store never saw it
            assert all("example.org" not in q and "INSERT" not in q for q in store.queries)
        finally:
            client.close()


def test_a_slow_store_answers_504_within_the_deadline_and_the_server_lives() -> None:
    with fake_store(delay=5.0) as store:
        client = serve(store_url=store.query_url, query_timeout=1.0)
        try:
            started = time.monotonic()
            answer = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"})
            took = time.monotonic() - started
            assert answer.status_code == 504, answer.text
            assert answer.json()["type"].endswith("/problems/store-timeout")
            assert took < 2.0
            assert client.get("/healthz").status_code == 200
        finally:
            client.close()


def test_a_broken_answer_is_502() -> None:
    with fake_store(status=500, body=b"internal trouble", content_type="text/plain") as store:
        client = serve(store_url=store.query_url)
        try:
            answer = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"})
            assert answer.status_code == 502
            assert "internal trouble" in answer.json()["detail"]
        finally:
            client.close()


def test_credentials_are_sent_but_never_shown(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with fake_store(status=500, body=b"no", content_type="text/plain") as store:
        client = serve(store_url=store.query_url, store_user="kompass", store_password=SECRET)
        try:
            broken = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"})
            assert broken.status_code == 502
            assert store.authorizations[-1].startswith("Basic ")  # they were used
            texts = [broken.text, client.get("/readyz").text, client.get("/metrics").text]
        finally:
            client.close()
    down = serve(
        store_url=f"http://kompass:{SECRET}@127.0.0.1:{free_port()}/query",
        store_password=SECRET,
        store_user="kompass",
    )
    try:
        gone = down.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"})
        assert gone.status_code == 503
        texts += [gone.text, down.get("/readyz").text]
    finally:
        down.close()
    assert all(SECRET not in text for text in texts)
    assert SECRET not in caplog.text
    assert caplog.text  # something was logged, so the check looked at something


def test_stop_the_store_mid_requests_then_recover(
    oxigraph_server: OxigraphServer, tmp_path: Path
) -> None:
    """Our own copy of the loaded store on its own port, so the shared one stays up."""
    location = tmp_path / "db"
    oxigraph_server.stop()
    try:
        shutil.copytree(oxigraph_server.location, location)
    finally:
        oxigraph_server.start()
    own = OxigraphServer(oxigraph_server.binary, location, free_port())
    own.start()
    client = serve(only_data=[], store_url=own.query_url, query_timeout=5.0)
    query = {"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}
    try:
        assert client.get("/sparql", params=query).status_code == 200
        assert client.get("/readyz").status_code == 200
        own.stop()
        started = time.monotonic()
        answer = client.get("/sparql", params=query)
        assert answer.status_code == 503, answer.text
        assert answer.json()["type"].endswith("/problems/store-unavailable")
        assert time.monotonic() - started < 2.0
        time.sleep(1.1)  # past the readiness cache
        assert client.get("/readyz").status_code == 503
        assert client.get("/healthz").status_code == 200
        own.start()
        deadline = time.monotonic() + 10
        while client.get("/sparql", params=query).status_code != 200:
            assert time.monotonic() < deadline, "did not recover"
            time.sleep(0.2)
        time.sleep(1.1)
        assert client.get("/readyz").status_code == 200
    finally:
        client.close()
        own.stop()
