"""An in-process client for the real app: lifespan, worker processes and all.

Starlette's TestClient warns without `httpx2` (and warnings are errors here), so this
drives the app the same way: one event loop in a portal thread, httpx over ASGI.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio.from_thread
import httpx
import pytest
from fastapi import FastAPI

from kompass_graph.settings import Settings
from kompass_graph.web import create_app
from kompass_graph.web.published import BUILDING

FIXTURES = Path(__file__).parent / "fixtures"
PROTOCOL_DATA = FIXTURES / "protocol.trig"


class AppClient:
    """Synchronous calls into an app that runs its lifespan on a portal's event loop."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self._portal_context = anyio.from_thread.start_blocking_portal()
        self._portal = self._portal_context.__enter__()
        self._lifespan = app.router.lifespan_context(app)
        self._portal.call(self._lifespan.__aenter__)
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )
        self.wait_for_the_release()

    def wait_for_the_release(self, seconds: float = 120.0) -> None:
        """The server builds its release in a thread after start-up (web/published.py);
        tests of the downloads expect it there, as a client retrying its 503 would."""
        deadline = time.monotonic() + seconds
        while getattr(getattr(self.app.state, "published", None), "reason", None) == BUILDING:
            if time.monotonic() > deadline:
                raise AssertionError(f"the release was not built within {seconds} s")
            self._portal.call(anyio.sleep, 0.02)  # the loop runs the build's callback

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        call = functools.partial(self._client.request, method, url, **kwargs)
        return self._portal.call(call)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def close(self) -> None:
        self._portal.call(self._client.aclose)
        self._portal.call(self._lifespan.__aexit__, None, None, None)
        self._portal_context.__exit__(None, None, None)


def serve(**settings: Any) -> AppClient:
    """A client for an app serving only the fixture data (plus any settings given)."""
    settings.setdefault("only_data", [PROTOCOL_DATA])
    return AppClient(create_app(Settings(**settings)))


@pytest.fixture(scope="module")
def client() -> Iterator[AppClient]:
    app_client = serve()
    yield app_client
    app_client.close()
