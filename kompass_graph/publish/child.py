"""A release build in a child process of its own, for the server.

The build loads its own copy of the data, canonicalises every statement and writes
six dumps with their gzip copies: at a million triples that is minutes of CPU and a
few GB of Python objects. In a thread of the server it held the GIL from the event
loop while it ran, and its memory stayed with the server after it (the allocator
keeps the pages). In a child process the server's loop keeps its core, the build runs
at a lower priority (`NICENESS`), and the memory goes back to the system when the
child ends.

The child is started with `spawn` (a fresh interpreter, not a fork of a server with
threads and a store) and reports one thing back through a pipe: nothing when the
release is written, or the message and hint of the `KompassError` that stopped it.
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from kompass_graph.errors import KompassError
from kompass_graph.logs import configure_logging
from kompass_graph.publish.build import build_release
from kompass_graph.settings import Settings

__all__ = ["NICENESS", "ChildBuild"]

#: added to the child's niceness: queries of the server come first
NICENESS = 10


class ChildBuild:
    """`build_release(settings, out, checked=True)` in a child process; `run` waits
    for it, `stop` ends it (a server stopping mid-build)."""

    def __init__(self, settings: Settings, out: Path) -> None:
        self._settings = settings
        self._out = out
        self._process: BaseProcess | None = None
        self._stopped = False

    def run(self) -> None:
        """Build and wait; raises KompassError with the child's reason when it fails."""
        context = multiprocessing.get_context("spawn")
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(
            target=_build,
            args=(self._settings, self._out, sending),
            name="kompass-release-build",
            daemon=True,  # ends with the server, whatever happens to this thread
        )
        if self._stopped:
            raise KompassError("the server stopped before the release was built")
        self._process = process
        process.start()
        sending.close()  # the child holds the only writing end: EOF when it ends
        try:
            outcome: tuple[str, str | None] | None = receiving.recv()
        except EOFError:
            process.join()
            raise KompassError(
                f"the release build process ended without a result (exit code {process.exitcode})",
                hint="the log above says why; a negative code is the signal that ended it",
            ) from None
        finally:
            receiving.close()
        process.join()
        if outcome is not None:
            raise KompassError(outcome[0], hint=outcome[1])

    def stop(self) -> None:
        """End the child if it still runs; `run` then raises."""
        self._stopped = True
        if self._process is not None and self._process.is_alive():
            self._process.terminate()


def _build(settings: Settings, out: Path, sending: Connection) -> None:
    """The child's work: build, then send None or (message, hint)."""
    os.nice(NICENESS)
    configure_logging(settings.log_level)  # a spawned child starts with none
    try:
        build_release(settings, out, checked=True)
    except KompassError as error:
        sending.send((error.message, error.hint))
        return
    sending.send(None)
