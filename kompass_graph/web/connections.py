"""HTTP connections with bounds: how long a request may take to arrive, how big its
head may be.

uvicorn's httptools protocol waits for ever for a request's head and body, and takes
headers of any size: 200 slow clients hold 200 connections open, a 10 MB Accept header
is parsed on the event loop. `bounded_protocol(settings)` is that protocol with:

- a head deadline (`header_timeout`): the request line and headers must arrive within
  it, else 408 and the connection closes;
- a body deadline (`body_timeout`): the body must be complete within it after the
  head, else the connection closes (the app sees the client gone: 499);
- a cap on header fields (`max_header_bytes`, names and values together): 431;
- a cap on the request target: httptools cannot parse a URL over 64 KiB, so a longer
  one gets 414 with the advice to POST, instead of a plain 400.

The refusals are problem JSON (RFC 9457), as every error of this server.

It also writes each response in one system call: uvicorn writes a response's head and
its body separately, and with TCP_NODELAY that is two packets and two wake-ups of
the client; the transport here gathers a response's writes and sends them together
once the response is complete (or at the end of the event-loop turn, or past 64 KiB).
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from kompass_graph.settings import Settings
from kompass_graph.web.problems import PROBLEM_MEDIA_TYPE, problem_document

__all__ = ["MAX_TARGET_BYTES", "bounded_protocol"]

#: the longest request target httptools parses (its URL offsets are 16 bits)
MAX_TARGET_BYTES = 65_000

#: gathered writes past this size are sent at once
_GATHER_BYTES = 1 << 16

_REASONS = {408: b"Request Timeout", 414: b"URI Too Long", 431: b"Request Header Fields Too Large"}


class _RefusedError(Exception):
    """Raised inside a parser callback to stop parsing a request we refuse."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class _GatheringTransport:
    """A transport whose writes within one event-loop turn go out as one write."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []
        self._size = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(bytes(data))
        self._size += len(data)
        if self._size >= _GATHER_BYTES:  # a large body: out now, so flow control sees it
            self.flush()

    def flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            self._size = 0
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + self._size

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class _BoundedProtocol(HttpToolsProtocol):
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    max_header_bytes: int = 16_384
    base_iri: str = "https://w3id.org/kompass-graph/"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._head_bytes = 0
        self._target_bytes = 0

    # -- deadlines ------------------------------------------------------------------

    def _arm(self, seconds: float, on_expiry: Any) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, on_expiry)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _head_too_slow(self) -> None:
        self._refuse(408, f"the request's head did not arrive within {self.header_timeout:g} s")

    def _body_too_slow(self) -> None:
        self.logger.info("closing a connection whose request body was too slow")
        if not self.transport.is_closing():
            self.transport.close()

    # -- protocol -------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._gathering = _GatheringTransport(transport, self.loop)
        super().connection_made(cast(asyncio.Transport, self._gathering))
        self._arm(self.header_timeout, self._head_too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserCallbackError as error:
            refused = error.__context__
            if isinstance(refused, _RefusedError):
                self._refuse(refused.status, refused.detail)
                return
            self.send_400_response("Invalid HTTP request received.")
        except httptools.HttpParserError:
            self.send_400_response("Invalid HTTP request received.")
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_bytes = 0
        self._target_bytes = 0
        if self._deadline is None:  # a pipelined or keep-alive request: a new deadline
            self._arm(self.header_timeout, self._head_too_slow)

    def on_url(self, url: bytes) -> None:
        self._target_bytes += len(url)
        if self._target_bytes > MAX_TARGET_BYTES:
            raise _RefusedError(
                414,
                f"the request target is over {MAX_TARGET_BYTES} bytes; send a long query "
                "with POST (application/sparql-query, or a form)",
            )
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_bytes += len(name) + len(value)
        if self._head_bytes > self.max_header_bytes:
            raise _RefusedError(
                431,
                f"the request's header fields are over {self.max_header_bytes} bytes "
                "(max_header_bytes)",
            )
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._arm(self.body_timeout, self._body_too_slow)
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        self._gathering.flush()  # the whole response is written: out with it now
        super().on_response_complete()

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def _refuse(self, status: int, detail: str) -> None:
        """Answer `status` as a problem, and close the connection."""
        self._disarm()
        if self.transport.is_closing():
            return
        body = problem_document(
            base_iri=self.base_iri,
            status=status,
            slug={408: "request-timeout", 414: "uri-too-long", 431: "headers-too-large"}[status],
            title=_REASONS[status].decode(),
            detail=detail,
            instance=None,
        )
        head = [
            b"HTTP/1.1 %d %s\r\n" % (status, _REASONS[status]),
            b"content-type: " + PROBLEM_MEDIA_TYPE.encode() + b"\r\n",
            b"content-length: %d\r\n" % len(body),
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()


def bounded_protocol(settings: Settings) -> type[HttpToolsProtocol]:
    """The HTTP protocol class for uvicorn, with the bounds `settings` give."""
    return type(
        "KompassHttpProtocol",
        (_BoundedProtocol,),
        {
            "header_timeout": float(settings.header_timeout),
            "body_timeout": float(settings.body_timeout),
            "max_header_bytes": settings.max_header_bytes,
            "base_iri": settings.base_iri,
        },
    )
