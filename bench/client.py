"""The HTTP caller: SPARQL Protocol GET requests over one keep-alive connection.

The client's own cost per request is kept small and made visible: the driver reports
client CPU per request, and `bench.trivial` measures the client against an endpoint
that does no work. Loopback only: the driver never builds a URL itself
from anything but 127.0.0.1 and a port it chose.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from bench.measure import Caller, CallerFactory, Outcome, QueryRequest

__all__ = [
    "RELEASE_PATH",
    "HttpEndpoint",
    "fetch_answer",
    "http_caller_factory",
    "wait_until_answering",
    "wait_until_settled",
]

#: our server answers 503 here while it builds its release in the background (a
#: thread of the server process that takes CPU and the GIL from queries), 200 once built
RELEASE_PATH = "/download/release.json"

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class HttpEndpoint:
    port: int
    path: str = "/sparql"
    host: str = LOOPBACK

    def target(self, query: str) -> str:
        return f"{self.path}?query={quote(query, safe='')}"


class _HttpCaller:
    """One keep-alive connection per worker, speaking just enough HTTP/1.1 by hand.

    `http.client` costs ~100-180 us of client CPU per request here; on a 2-core machine
    that CPU is taken from the server under test. A raw socket with the request bytes
    built once, and a response reader that only looks at the status line, the framing
    headers and the body length, costs a fraction of that (see `bench.trivial`).
    """

    def __init__(self, endpoint: HttpEndpoint, timeout: float) -> None:
        self._endpoint = endpoint
        self._timeout = timeout
        self._sock: socket.socket | None = None
        self._buffer = bytearray()
        # the request bytes of each (query, accept), built once: not the server's cost
        self._wire: dict[tuple[str, str], bytes] = {}

    def _socket(self) -> socket.socket:
        if self._sock is None:
            sock = socket.create_connection(
                (self._endpoint.host, self._endpoint.port), timeout=self._timeout
            )
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._sock = sock
            self._buffer.clear()
        return self._sock

    def close(self) -> None:
        self._drop()

    def _drop(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        self._buffer.clear()

    def _request_bytes(self, request: QueryRequest) -> bytes:
        key = (request.text, request.accept)
        wire = self._wire.get(key)
        if wire is None:
            wire = self._wire[key] = (
                f"GET {self._endpoint.target(request.text)} HTTP/1.1\r\n"
                f"Host: {self._endpoint.host}:{self._endpoint.port}\r\n"
                f"Accept: {request.accept}\r\n"
                "Accept-Encoding: identity\r\n\r\n"
            ).encode("ascii")
        return wire

    def __call__(self, request: QueryRequest) -> Outcome:
        return self.fetch(request)[0]

    def fetch(self, request: QueryRequest) -> tuple[Outcome, bytes]:
        """Send one request; the outcome and the response body (empty on failure)."""
        wire = self._request_bytes(request)
        started = time.perf_counter()
        for attempt in (1, 2):
            reused = self._sock is not None
            try:
                return self._exchange(wire, started)
            except TimeoutError:
                self._drop()
                timeout = Outcome("timeout", time.perf_counter() - started, detail="client timeout")
                return timeout, b""
            except (ConnectionError, _BrokenResponseError, OSError) as error:
                self._drop()
                # a server may close an idle keep-alive connection: retry once, fresh
                if attempt == 2 or not reused:
                    failed = Outcome("error", time.perf_counter() - started, detail=repr(error))
                    return failed, b""
                started = time.perf_counter()
        raise AssertionError("unreachable")

    def _exchange(self, wire: bytes, started: float) -> tuple[Outcome, bytes]:
        sock = self._socket()
        sock.sendall(wire)
        status, headers = self._read_head(sock)
        if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            body = self._read_chunked(sock)
        elif b"content-length" in headers:
            body = self._read_exact(sock, int(headers[b"content-length"]))
        else:
            body = self._read_to_close(sock)
        seconds = time.perf_counter() - started
        if headers.get(b"connection", b"").lower() == b"close":
            self._drop()
        if status != 200:
            detail = f"HTTP {status}: {bytes(body[:200]).decode('utf-8', 'replace')}"
            return Outcome("error", seconds, len(body), detail), bytes(body)
        return Outcome("ok", seconds, len(body)), bytes(body)

    def _fill(self, sock: socket.socket) -> None:
        chunk = sock.recv(262144)
        if not chunk:
            raise _BrokenResponseError("connection closed mid-response")
        self._buffer += chunk

    def _read_head(self, sock: socket.socket) -> tuple[int, dict[bytes, bytes]]:
        while (end := self._buffer.find(b"\r\n\r\n")) < 0:
            self._fill(sock)
        lines = bytes(self._buffer[:end]).split(b"\r\n")
        del self._buffer[: end + 4]
        parts = lines[0].split(b" ", 2)
        if len(parts) < 2 or not parts[1].isdigit():
            raise _BrokenResponseError(f"bad status line {lines[0][:80]!r}")
        headers: dict[bytes, bytes] = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        return int(parts[1]), headers

    def _read_exact(self, sock: socket.socket, length: int) -> bytearray:
        while len(self._buffer) < length:
            self._fill(sock)
        body = self._buffer[:length]
        del self._buffer[:length]
        return body

    def _read_line(self, sock: socket.socket) -> bytes:
        while (end := self._buffer.find(b"\r\n")) < 0:
            self._fill(sock)
        line = bytes(self._buffer[:end])
        del self._buffer[: end + 2]
        return line

    def _read_chunked(self, sock: socket.socket) -> bytearray:
        body = bytearray()
        while True:
            size = int(self._read_line(sock).split(b";", 1)[0], 16)
            if size == 0:
                # trailer section: header lines up to an empty line
                while self._read_line(sock):
                    pass
                return body
            body += self._read_exact(sock, size)
            self._read_line(sock)

    def _read_to_close(self, sock: socket.socket) -> bytearray:
        try:
            while True:
                self._fill(sock)
        except _BrokenResponseError:
            body = bytearray(self._buffer)
            self._drop()
            return body


class _BrokenResponseError(Exception):
    """The peer sent something that is not a complete HTTP/1.1 response."""


def http_caller_factory(endpoint: HttpEndpoint, *, timeout: float) -> CallerFactory:
    """A factory giving each worker thread its own connection to `endpoint`."""

    def make() -> Caller:
        return _HttpCaller(endpoint, timeout)

    return make


def wait_until_answering(
    endpoint: HttpEndpoint, *, query: str, deadline: float, alive: Callable[[], bool]
) -> float | None:
    """Poll until `query` answers 200; the monotonic time it first did, None if never.

    `alive()` is checked between polls so a server that died is noticed at once
    instead of waiting out the deadline.
    """
    caller = _HttpCaller(endpoint, timeout=5.0)
    request = QueryRequest("probe", query, "application/sparql-results+json")
    try:
        while time.perf_counter() < deadline:
            if not alive():
                return None
            if caller(request).status == "ok":
                return time.perf_counter()
            time.sleep(0.05)
        return None
    finally:
        caller.close()


def wait_until_settled(
    port: int, path: str, *, deadline: float, alive: Callable[[], bool]
) -> float | None:
    """Poll GET `path` until it stops answering 503 (our server: its release is built,
    so measurements see the steady state); the monotonic time it did, None if never."""
    caller = _HttpCaller(HttpEndpoint(port=port, path=path), timeout=5.0)
    request = QueryRequest("settled", "", "application/json")
    try:
        while time.perf_counter() < deadline:
            if not alive():
                return None
            outcome = caller(request)
            if not outcome.detail.startswith("HTTP 503"):
                return time.perf_counter()
            time.sleep(0.2)
        return None
    finally:
        caller.close()


def fetch_answer(endpoint: HttpEndpoint, request: QueryRequest, *, timeout: float) -> bytes:
    """The body of one answer, for comparing systems; raises when there is none."""
    caller = _HttpCaller(endpoint, timeout)
    try:
        outcome, body = caller.fetch(request)
    finally:
        caller.close()
    if outcome.status != "ok":
        raise RuntimeError(f"{outcome.status}: {outcome.detail}")
    return body
