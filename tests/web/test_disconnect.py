"""A client that leaves mid-body is no server error: 499, no ERROR log, no traceback."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from kompass_graph.settings import Settings
from kompass_graph.web import create_app
from tests.web.conftest import PROTOCOL_DATA


def test_a_client_leaving_mid_body_is_logged_as_such(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(Settings(only_data=[PROTOCOL_DATA]))
    sent: list[dict[str, Any]] = []
    incoming = [
        {"type": "http.request", "body": b"query=SELECT%20*%20", "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive() -> dict[str, Any]:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/sparql",
        "raw_path": b"/sparql",
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"content-length", b"1000"),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }

    async def run() -> None:
        async with app.router.lifespan_context(app):
            await app(scope, receive, send)

    with caplog.at_level(logging.INFO):
        asyncio.run(run())
    starts = [m for m in sent if m["type"] == "http.response.start"]
    assert [m["status"] for m in starts] == [499]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "went away" in caplog.text
    assert "Traceback" not in caplog.text
