"""Real stores for the parametrised suite: the embedded one, `oxigraph serve`, Virtuoso.

`oxigraph_server` starts the `oxigraph` CLI (PyPI package `oxigraph`, in the test
extra) on a free loopback port, loaded with the release's N-Quads dump of the
project's data and the release record `publish` writes (so both stores name the same
release), with its own query timeout set. `virtuoso_client` publishes the release into
the Virtuoso of tests/stores/virtuoso.py with `publish_release`. A missing binary skips
with the reason.
`store_kind` gives an app client (tests/web/conftest.py) on each store kind.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from kompass_graph.namespaces import prefix_map
from kompass_graph.publish.build import build_release
from kompass_graph.publish.remote import publish_release
from kompass_graph.settings import Settings
from tests.stores.virtuoso import VirtuosoServer, virtuoso_server
from tests.web.conftest import AppClient, serve

__all__ = ["virtuoso_server"]  # the session's Virtuoso fixture, used here by name

STORE_KINDS = ("embedded", "oxigraph", "virtuoso")
#: our query deadline over Virtuoso (seconds; below its own MaxQueryExecutionTime, 60)
VIRTUOSO_TIMEOUT_S = 30.0
#: the remote kinds, each compared with the embedded store
REMOTE_KINDS = STORE_KINDS[1:]
#: the Oxigraph server's own query timeout (seconds); ours is below it in the tests
OXIGRAPH_TIMEOUT_S = 30


def _oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for_port(port: int, *, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


class OxigraphServer:
    """One `oxigraph serve` process on a fixed port; stop and start it again there."""

    def __init__(self, binary: str, location: Path, port: int) -> None:
        self.binary = binary
        self.location = location
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    def start(self) -> None:
        assert self.process is None
        self.process = subprocess.Popen(
            [
                self.binary,
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout-s",
                str(OXIGRAPH_TIMEOUT_S),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def release_record(settings: Settings, identifier: str) -> str:
    """The N-Quads line `publish` records the release with (see RemoteStore)."""
    graph = f"<{settings.base_iri}graph/release>"
    predicate = f"<{prefix_map(settings.base_iri)['kg']}release>"
    return f'{graph} {predicate} "{identifier}" {graph} .\n'


@pytest.fixture(scope="session")
def project_release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The project's release: its N-Quads dump and its identifier."""
    out = tmp_path_factory.mktemp("release") / "release"
    release = build_release(Settings(), out)
    return release.folder / "kompass-graph.nq", release.facts.identifier


@pytest.fixture(scope="session")
def oxigraph_server(
    tmp_path_factory: pytest.TempPathFactory, project_release: tuple[Path, str]
) -> Iterator[OxigraphServer]:
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("the `oxigraph` CLI is not installed (pip install oxigraph)")
    dump, identifier = project_release
    folder = tmp_path_factory.mktemp("oxigraph")
    record = folder / "release.nq"
    record.write_text(release_record(Settings(), identifier), encoding="utf-8")
    location = folder / "db"
    subprocess.run(
        [binary, "load", "--location", str(location), "--file", str(dump), str(record)],
        check=True,
        capture_output=True,
    )
    server = OxigraphServer(binary, location, free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def embedded_client() -> Iterator[AppClient]:
    client = serve(only_data=[])
    yield client
    client.close()


@pytest.fixture(scope="module")
def oxigraph_client(
    oxigraph_server: OxigraphServer, project_release: tuple[Path, str]
) -> Iterator[AppClient]:
    # over a remote store the downloads come from the release folder that was published
    client = serve(
        only_data=[], store_url=oxigraph_server.query_url, release_folder=project_release[0].parent
    )
    yield client
    client.close()


@pytest.fixture(scope="module")
def virtuoso_client(
    virtuoso_server: VirtuosoServer, project_release: tuple[Path, str]
) -> Iterator[AppClient]:
    """The project's release published into the session's Virtuoso (as `publish --to`
    does: its update URL, as `dba`), served over its read-only `/sparql`."""
    publish_release(
        Settings(
            store_update_url=virtuoso_server.update_url,
            store_user=virtuoso_server.user,
            store_password=SecretStr(virtuoso_server.password),
        ),
        to=virtuoso_server.query_url,
    )
    # Virtuoso 7.2 is slow on our dataset named graph by graph (the only way found to
    # keep its system graphs out, see RemoteStore): 13-actors-in-both-projects took
    # 9.4 s there (2.3 s over all its graphs) against the default 10 s deadline
    client = serve(
        only_data=[],
        store_url=virtuoso_server.query_url,
        query_timeout=VIRTUOSO_TIMEOUT_S,
        release_folder=project_release[0].parent,
    )
    yield client
    client.close()


@pytest.fixture(params=STORE_KINDS)
def store_kind(request: pytest.FixtureRequest) -> AppClient:
    """An app client serving the project's data on each kind of store."""
    client: AppClient = request.getfixturevalue(f"{request.param}_client")
    return client
