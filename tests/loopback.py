"""A socket listening on 127.0.0.1 that counts who connects: the witness for "no
outbound request". Connections are accepted and closed at once, so a client that
reached it (the engine's SERVICE call) gets an error instead of waiting for an answer.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

__all__ = ["Listener", "listening"]


class Listener:
    """Accepts connections on a background thread while `watching` is active."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.socket.settimeout(0.01)
        self.connections = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self.socket.getsockname()[1])

    def _accept(self) -> None:
        while not self._done.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            connection.close()

    def calls_out(self, work: Callable[[], object]) -> bool:
        """Run `work` (its errors are its own business); True when it connected here."""
        before = self.connections
        with suppress(Exception):  # the engine's error for a call cut short is expected
            work()
        return self.connections > before

    def close(self) -> None:
        self._done.set()
        self._thread.join()
        self.socket.close()


@contextmanager
def listening() -> Iterator[Listener]:
    listener = Listener()
    try:
        yield listener
    finally:
        listener.close()
