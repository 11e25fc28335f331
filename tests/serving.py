"""`kompass-graph serve` as a real process on a free loopback port, for the tests
that speak to it over HTTP (tests/test_cli_serve*.py)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

__all__ = ["free_port", "running_server"]

#: the server validates our data with SHACL before it listens
READY_SECONDS = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(args: list[str], log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`python -m kompass_graph serve --port <free> *args`, its output in `log`; yields
    its base URL and process once /readyz answers 200, and stops it afterwards."""
    port = free_port()
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "kompass_graph", "serve", "--port", str(port), *args],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("server did not become ready:\n" + log.read_text())
        yield base, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
