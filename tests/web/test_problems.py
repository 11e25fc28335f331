"""Unexpected failures: a logged error, a generic problem, never a stack trace."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from starlette.requests import Request

from kompass_graph.settings import Settings
from kompass_graph.store import EmbeddedStore
from kompass_graph.web import create_app
from tests.web.conftest import PROTOCOL_DATA


def test_unexpected_error_is_a_generic_problem(caplog: pytest.LogCaptureFixture) -> None:
    store = EmbeddedStore()
    store.load([PROTOCOL_DATA])
    app = create_app(Settings(only_data=[PROTOCOL_DATA]), store=store)

    async def explode(request: Request) -> None:
        raise RuntimeError("secret internal detail")

    app.add_route("/explode", explode)

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.get("/explode")

    with caplog.at_level(logging.ERROR):
        response = asyncio.run(call())
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["kompass-release"].startswith("0.1.0+")
    problem = response.json()
    assert problem["type"].endswith("/problems/internal-error")
    assert "secret" not in response.text and "Traceback" not in response.text
    assert any("secret internal detail" in r.getMessage() or r.exc_info for r in caplog.records)
