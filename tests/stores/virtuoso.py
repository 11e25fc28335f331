"""A real Virtuoso (Debian's virtuoso-opensource 7) for the store tests, on 127.0.0.1.

`virtuoso_server` starts `virtuoso-t` in the foreground with a database folder and an
ini file of its own (HTTP and ISQL on free loopback ports, nothing from /var/lib), waits
until its SPARQL endpoint answers, and stops it at the end of the session. Where the
package is not installed the tests that need it skip, and say why.

Virtuoso's open endpoint `/sparql` is read-only for the anonymous user; updates go to
`/sparql-auth` with HTTP digest authentication as `dba` (a fresh database's password is
`dba`), which is what `VirtuosoServer.update_url`, `user` and `password` give.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

__all__ = ["VirtuosoServer", "virtuoso_server"]

_BINARY = "virtuoso-t"
_START_SECONDS = 60.0


@dataclass(frozen=True)
class VirtuosoServer:
    """Where a running Virtuoso answers, and the account that may write to it."""

    root: str  # http://127.0.0.1:PORT
    folder: Path
    user: str = "dba"
    password: str = "dba"

    @property
    def query_url(self) -> str:
        return f"{self.root}/sparql"

    @property
    def update_url(self) -> str:
        return f"{self.root}/sparql-auth"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _ini(folder: Path, http_port: int, sql_port: int) -> str:
    db = folder / "db"
    return f"""\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
MaxClientConnections = 10
ServerThreads = 10
EnabledDavVSP = 0
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


def _answers(url: str) -> bool:
    query = urllib.parse.urlencode({"query": "ASK {}"})
    try:
        with urllib.request.urlopen(f"{url}?{query}", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """A Virtuoso of this test session (see the module docstring)."""
    binary = shutil.which(_BINARY)
    if binary is None:
        pytest.skip(
            f"Virtuoso is not installed ({_BINARY} not on PATH): "
            "apt-get install virtuoso-opensource"
        )
    folder = tmp_path_factory.mktemp("virtuoso")
    (folder / "db").mkdir()
    http_port, sql_port = _free_port(), _free_port()
    (folder / "virtuoso.ini").write_text(_ini(folder, http_port, sql_port), encoding="utf-8")
    process = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = VirtuosoServer(root=f"http://127.0.0.1:{http_port}", folder=folder)
    try:
        deadline = time.monotonic() + _START_SECONDS
        while not _answers(server.query_url):
            if process.poll() is not None or time.monotonic() > deadline:
                log = folder / "db" / "virtuoso.log"
                tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                pytest.fail(f"Virtuoso did not start (exit {process.poll()}):\n{tail}")
            time.sleep(0.25)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
