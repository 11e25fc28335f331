"""`kompass-graph serve`, the README's main command, as a real process on 127.0.0.1."""

import json
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kompass_graph.cli.query import run_query
from kompass_graph.settings import Settings

pytestmark = pytest.mark.server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "server.log"
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "kompass_graph", "serve", "--port", str(port)],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
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
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_serve_logs_triple_count_and_load_time(server: tuple[str, Path]) -> None:
    _, log = server
    text = log.read_text()
    assert "conform to the shapes" in text
    match = re.search(r"loaded (\d+) triples from (\d+) files in [\d.]+ s", text)
    assert match, text
    assert int(match.group(1)) > 1000


def test_a_stored_query_over_http_answers_as_the_cli_does(server: tuple[str, Path]) -> None:
    base, _ = server
    settings = Settings()
    from kompass_graph.queries import load_stored_queries
    from kompass_graph.sources import find_project_files

    stored = load_stored_queries(find_project_files().queries)["05-project-goals"]
    expected = json.loads(run_query(settings, "05-project-goals", fmt="json"))
    body = urllib.parse.urlencode({"query": stored.text}).encode()
    request = urllib.request.Request(
        f"{base}/sparql",
        data=body,
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.headers["Content-Type"].startswith("application/sparql-results+json")
        assert answer.headers["Kompass-Release"]
        got = json.loads(answer.read())
    # the HTTP query runs without the header default: the project variable is unbound,
    # so compare the goals of the default project only
    project = expected["results"]["bindings"][0]["project"]["value"]
    goals = sorted(
        b["goal"]["value"] for b in got["results"]["bindings"] if b["project"]["value"] == project
    )
    assert goals == sorted(b["goal"]["value"] for b in expected["results"]["bindings"])
    assert len(goals) == 9
