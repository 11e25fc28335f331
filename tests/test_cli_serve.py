"""`kompass-graph serve`, the README's main command, as a real process on 127.0.0.1."""

import json
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kompass_graph.cli.query import run_query
from kompass_graph.settings import Settings
from tests.serving import running_server

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    log = tmp_path_factory.mktemp("serve") / "server.log"
    with running_server([], log) as (base, _):
        yield base, log


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
