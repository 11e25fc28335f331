"""A tiny SPARQL endpoint in a thread that records what it is sent and answers as told:
the test double for a remote store that is slow, broken, or must never be asked."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

__all__ = ["FakeStore", "fake_store"]

_EMPTY = b'{"head":{"vars":["release"]},"results":{"bindings":[]}}'


@dataclass
class FakeStore:
    """What the fake store was sent, and how it answers (`status`, `body`, `delay`)."""

    port: int = 0
    queries: list[str] = field(default_factory=list)
    authorizations: list[str] = field(default_factory=list)
    status: int = 200
    body: bytes = _EMPTY
    content_type: str = "application/sparql-results+json"
    #: seconds to wait before answering a query that is not the release look-up
    delay: float = 0.0

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"


def _handler(store: FakeStore) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
            query = form.get("query", [""])[0]
            store.queries.append(query)
            store.authorizations.append(self.headers.get("Authorization", ""))
            if "graph/release" not in query and store.delay:
                time.sleep(store.delay)
            body = store.body if "graph/release" not in query else _EMPTY
            status = store.status if "graph/release" not in query else 200
            try:
                self.send_response(status)
                self.send_header("Content-Type", store.content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the client gave up (our deadline): nothing to answer

        def log_message(self, format: str, *args: object) -> None:
            return None

    return Handler


@contextmanager
def fake_store(**options: object) -> Iterator[FakeStore]:
    store = FakeStore(**options)  # type: ignore[arg-type]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(store))
    server.daemon_threads = True
    store.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield store
    finally:
        server.shutdown()
        server.server_close()
