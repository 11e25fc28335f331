"""The transport that sends a response's writes in one system call (web/connections.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from kompass_graph.web.connections import _GatheringTransport


class RecordingTransport:
    """Stands in for the socket transport: records each write it is given."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False
        self.eof = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def write_eof(self) -> None:
        self.eof = True

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str) -> Any:
        return ("127.0.0.1", 1) if name == "peername" else None


def gathering(loop: asyncio.AbstractEventLoop) -> tuple[_GatheringTransport, RecordingTransport]:
    inner = RecordingTransport()
    return _GatheringTransport(inner, loop), inner  # type: ignore[arg-type]


def test_writes_of_one_loop_turn_go_out_as_one() -> None:
    async def scenario() -> list[bytes]:
        outer, inner = gathering(asyncio.get_running_loop())
        outer.write(b"HTTP/1.1 200 OK\r\n\r\n")
        outer.write(memoryview(b"body"))
        assert inner.writes == []
        assert outer.get_write_buffer_size() == 23  # what waits counts for flow control
        await asyncio.sleep(0)
        return inner.writes

    assert asyncio.run(scenario()) == [b"HTTP/1.1 200 OK\r\n\r\nbody"]


def test_a_large_body_is_not_held_back() -> None:
    async def scenario() -> list[int]:
        outer, inner = gathering(asyncio.get_running_loop())
        outer.write(b"head")
        outer.write(b"x" * (1 << 16))
        sizes = [len(w) for w in inner.writes]
        await asyncio.sleep(0)
        return sizes

    assert asyncio.run(scenario()) == [4 + (1 << 16)]


def test_close_and_eof_send_what_waits_first() -> None:
    async def scenario() -> RecordingTransport:
        outer, inner = gathering(asyncio.get_running_loop())
        outer.write(b"last words")
        outer.write_eof()
        assert inner.writes == [b"last words"] and inner.eof
        outer.write(b"more")
        outer.close()
        assert inner.closed
        return inner

    inner = asyncio.run(scenario())
    assert inner.writes == [b"last words", b"more"]


def test_nothing_is_written_to_a_closing_transport_and_other_calls_pass_through() -> None:
    async def scenario() -> RecordingTransport:
        outer, inner = gathering(asyncio.get_running_loop())
        assert outer.get_extra_info("peername") == ("127.0.0.1", 1)
        outer.write(b"late")
        inner.closed = True
        outer.flush()
        return inner

    assert asyncio.run(scenario()).writes == []
