"""HEAD answers like GET, without a body, on /sparql and every other GET route."""

from __future__ import annotations

import pytest

from tests.web.conftest import AppClient


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/sparql", {"query": "ASK {}"}),
        ("/sparql", {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"}),
        ("/sparql", None),
        ("/healthz", None),
        ("/readyz", None),
        ("/metrics", None),
    ],
)
def test_head_is_get_without_a_body(
    client: AppClient, path: str, params: dict[str, str] | None
) -> None:
    get = client.get(path, params=params)
    head = client.request("HEAD", path, params=params)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    if path != "/metrics":  # the metrics count the request itself
        assert head.headers.get("content-length") == get.headers.get("content-length")
