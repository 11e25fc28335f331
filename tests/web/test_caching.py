"""ETag, Cache-Control and If-None-Match on the SPARQL endpoint and the shared rules.

The pages and the REST API are covered in their own tests with the same middleware;
here: a 304 runs no query, tags differ by release and negotiation, and what must not be
cached is not."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.datastructures import Headers

from kompass_graph.settings import Settings
from kompass_graph.store.factory import build_store
from kompass_graph.store.interface import QueryAnswer, QueryRequest
from kompass_graph.web import create_app
from kompass_graph.web.caching import entity_tag, matches_if_none_match

from .conftest import PROTOCOL_DATA, AppClient

QUERY = "/sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%201"


class _Counting:
    """Counts the queries the store runs."""

    def __init__(self) -> None:
        self.calls = 0


@pytest.fixture(scope="module")
def counted() -> Iterator[tuple[AppClient, _Counting]]:
    settings = Settings(only_data=[PROTOCOL_DATA], cache_control="public, max-age=60")
    store = build_store(settings)
    counter = _Counting()
    original = store.execute

    async def counting_execute(request: QueryRequest, *, timeout: float) -> QueryAnswer:
        counter.calls += 1
        return await original(request, timeout=timeout)

    store.execute = counting_execute  # type: ignore[method-assign]
    client = AppClient(create_app(settings, store=store))
    yield client, counter
    client.close()


def test_a_query_answer_carries_an_etag_and_the_configured_cache_control(
    counted: tuple[AppClient, _Counting],
) -> None:
    client, _ = counted
    response = client.get(QUERY)
    assert response.status_code == 200
    assert response.headers["etag"].startswith('W/"')
    assert response.headers["cache-control"] == "public, max-age=60"


def test_if_none_match_answers_304_without_running_the_query(
    counted: tuple[AppClient, _Counting],
) -> None:
    client, counter = counted
    tag = client.get(QUERY).headers["etag"]
    before = counter.calls
    response = client.get(QUERY, headers={"If-None-Match": tag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == tag
    assert "Accept" in response.headers["vary"]
    assert counter.calls == before


def test_a_tag_in_a_list_or_without_w_matches_and_a_stale_one_does_not(
    counted: tuple[AppClient, _Counting],
) -> None:
    client, _ = counted
    tag = client.get(QUERY).headers["etag"]
    listed = client.get(QUERY, headers={"If-None-Match": f'"other", {tag.removeprefix("W/")}'})
    assert listed.status_code == 304
    assert client.get(QUERY, headers={"If-None-Match": 'W/"stale"'}).status_code == 200


def test_each_negotiated_representation_has_its_own_tag(
    counted: tuple[AppClient, _Counting],
) -> None:
    client, _ = counted
    json_tag = client.get(QUERY).headers["etag"]
    csv = client.get(QUERY, headers={"Accept": "text/csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.headers["etag"] != json_tag
    assert (
        client.get(QUERY, headers={"If-None-Match": json_tag, "Accept": "text/csv"}).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("POST", "/sparql", {"data": {"query": "ASK {}"}}),
        ("GET", "/healthz", {}),
        ("GET", "/readyz", {}),
        ("GET", "/sparql?query=nonsense", {}),
        ("GET", "/nowhere", {}),
    ],
)
def test_posts_errors_and_health_are_not_tagged(
    counted: tuple[AppClient, _Counting], method: str, path: str, kwargs: dict[str, Any]
) -> None:
    client, _ = counted
    response = client.request(method, path, **kwargs)
    assert "etag" not in response.headers


def _headers(**values: str) -> Headers:
    return Headers({k.replace("_", "-"): v for k, v in values.items()})


def test_the_tag_changes_with_the_release_and_the_language() -> None:
    scope = {"path": "/id/project/x", "query_string": b""}
    first = entity_tag("0.1.0+aaaa", scope, _headers(accept="text/html"))
    assert first == entity_tag("0.1.0+aaaa", scope, _headers(accept="text/html"))
    assert first != entity_tag("0.1.0+bbbb", scope, _headers(accept="text/html"))
    assert first != entity_tag(
        "0.1.0+aaaa", scope, _headers(accept="text/html", accept_language="en")
    )
    assert first != entity_tag(
        "0.1.0+aaaa", {**scope, "query_string": b"lang=en"}, _headers(accept="text/html")
    )


def test_if_none_match_star_is_left_to_the_route() -> None:
    assert not matches_if_none_match("*", 'W/"abc"')
    assert matches_if_none_match('"abc"', 'W/"abc"')
