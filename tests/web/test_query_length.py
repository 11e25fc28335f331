"""The query-length limit is one limit: bytes of the decoded query, whatever the method."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.web.conftest import AppClient, serve

LIMIT = 2000


@pytest.fixture(scope="module")
def limited() -> Iterator[AppClient]:
    app_client = serve(max_query_length=LIMIT)
    yield app_client
    app_client.close()


def query_of(size: int) -> str:
    """A query of exactly `size` UTF-8 bytes, mostly two-byte characters (ä)."""
    head = "ASK { ?s ?p ?o } # "
    body = "ä" * ((size - len(head)) // 2)
    return head + body + "x" * ((size - len(head)) % 2)


def methods(client: AppClient, query: str) -> list[httpx.Response]:
    return [
        client.get("/sparql", params={"query": query}),
        client.post("/sparql", data={"query": query}),
        client.post(
            "/sparql",
            content=query.encode(),
            headers={"content-type": "application/sparql-query"},
        ),
    ]


def test_a_query_at_the_limit_passes_by_every_method(limited: AppClient) -> None:
    query = query_of(LIMIT)
    assert len(query.encode()) == LIMIT
    assert [r.status_code for r in methods(limited, query)] == [200, 200, 200]


def test_one_byte_over_the_limit_is_413_by_every_method(limited: AppClient) -> None:
    query = query_of(LIMIT + 1)
    responses = methods(limited, query)
    assert [r.status_code for r in responses] == [413, 413, 413]
    assert all(f"up to {LIMIT} bytes" in r.json()["detail"] for r in responses)
