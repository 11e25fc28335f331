"""The child side of a query worker: the process that runs queries and can be killed.

`worker_main` runs in a freshly forked process: it cuts itself loose from the server
(signals, inherited sockets, OOM score, death signal), opens the store, says it is
ready, then answers length-prefixed pickle frames (`QueryRequest` in, `Outcome` out)
until the server closes the socket. The pool that forks, feeds and kills these
processes is `kompass_graph.store.workers`.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import os
import pickle
import resource
import signal
import socket
import struct
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import pyoxigraph as ox

from kompass_graph.store.execution import execute_query
from kompass_graph.store.interface import QueryRequest

__all__ = ["HEADER", "ISOLATED", "READY", "FrameReader", "send_frame", "worker_main"]

HEADER = struct.Struct("!Q")
#: the first frame a worker sends, once its store is open: READY + ISOLATED when it
#: runs without network, READY alone where the platform does not allow that
READY = b"ready"
ISOLATED = b":no-network"
_PR_SET_PDEATHSIG = 1
_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


class FrameReader:
    """Reads length-prefixed frames; one recv() usually brings header and payload both."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._buffer = bytearray()

    def _fill(self, size: int) -> bool:
        while len(self._buffer) < size:
            chunk = self._sock.recv(max(size - len(self._buffer), 1 << 16))
            if not chunk:
                return False
            self._buffer += chunk
        return True

    def frame(self) -> bytes | None:
        """The next frame's payload; None when the server closed the connection."""
        if not self._fill(HEADER.size):
            return None
        end = HEADER.size + HEADER.unpack_from(self._buffer)[0]
        if not self._fill(end):
            return None
        payload = bytes(self._buffer[HEADER.size : end])
        del self._buffer[:end]
        return payload


def send_frame(sock: socket.socket, payload: bytes) -> None:
    # one write per frame: two would wake the server's event loop twice
    sock.sendall(HEADER.pack(len(payload)) + payload)


def _detach(keep_fd: int) -> None:
    """Make the fresh child independent of the server's event loop, sockets and signals."""
    gc.disable()  # no finaliser may close an inherited fd number we reuse below
    with contextlib.suppress(ValueError):
        signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # the server's listening socket and the other workers' sockets are not ours
    os.closerange(3, keep_fd)
    os.closerange(keep_fd + 1, 65536)
    # if memory runs out, the kernel should end a worker (one query), not the server
    with contextlib.suppress(OSError):
        Path("/proc/self/oom_score_adj").write_text("1000")
    libc_name = ctypes.util.find_library("c")
    if libc_name:  # Linux: die with the server even while busy in a query
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(libc_name).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _without_network() -> bool:
    """Move this process into a network namespace of its own, which has no interfaces
    but a loopback that is down: no query can reach any host, whatever the guard let
    through. Needs Linux and either root (CAP_SYS_ADMIN) or unprivileged user
    namespaces; False where neither is available (the pool logs it)."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    try:
        unshare = ctypes.CDLL(libc_name, use_errno=True).unshare
    except (OSError, AttributeError):
        return False
    if unshare(_CLONE_NEWNET) == 0:
        return True
    return bool(unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0)


def _limit_memory(budget: int | None) -> None:
    """Let this process grow by at most `budget` bytes of address space beyond what it
    has now (the inherited store included): a query that needs more fails to allocate,
    which ends the process and frees its memory at once (the pool answers 503)."""
    if budget is None:
        return
    with contextlib.suppress(OSError, ValueError):
        pages = int(Path("/proc/self/statm").read_text().split()[0])
        current = pages * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = current + budget
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _serve_queries(
    sock: socket.socket,
    open_store: Callable[[], ox.Store],
    *,
    isolate: bool,
    memory_budget: int | None,
    prefixes: Sequence[tuple[str, str]],
) -> None:
    isolated = isolate and _without_network()
    store = open_store()
    _limit_memory(memory_budget)  # after opening: an on-disk store maps its files first
    send_frame(sock, READY + (ISOLATED if isolated else b""))
    frames = FrameReader(sock)
    while True:
        payload = frames.frame()
        if payload is None:
            return
        request: QueryRequest = pickle.loads(payload)
        outcome = execute_query(store, request, prefixes=prefixes)
        send_frame(sock, pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


def worker_main(
    sock: socket.socket,
    open_store: Callable[[], ox.Store],
    *,
    isolate: bool = True,
    memory_budget: int | None = None,
    prefixes: Sequence[tuple[str, str]] = (),
) -> NoReturn:
    """The worker's life: detach, (unless `isolate` is off) leave the network, open the
    store, cap its memory at `memory_budget` bytes more, answer frames until the server
    hangs up, then exit without cleanup."""
    status = 0
    try:
        _detach(sock.fileno())
        _serve_queries(
            sock, open_store, isolate=isolate, memory_budget=memory_budget, prefixes=prefixes
        )
    except BaseException:
        status = 1
    finally:
        os._exit(status)
