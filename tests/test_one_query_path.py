"""`kompass-graph query` and `/sparql` are one path: same answers, names, errors.

Each case runs once through the CLI (`run_query`, in-process store) and once through
the endpoint (the app over the project's data, worker processes), with the same format
name, and the two answers must be equal byte for byte (Turtle: as graphs, since blank
node labels are the engine's). Errors must carry the same message.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kompass_graph.cli.query import run_query
from kompass_graph.errors import KompassError
from kompass_graph.settings import Settings
from kompass_graph.web import create_app
from tests.web.conftest import AppClient

SETTINGS = Settings()
SELECT = (
    "PREFIX kg: <https://w3id.org/kompass-graph/ontology#>\n"
    "SELECT ?p WHERE { ?p a kg:Project } ORDER BY ?p"
)
ASK = "PREFIX kg: <https://w3id.org/kompass-graph/ontology#>\nASK { ?p a kg:Project }"
CONSTRUCT = (
    "PREFIX kg: <https://w3id.org/kompass-graph/ontology#>\n"
    "CONSTRUCT { ?p a kg:Project } WHERE { ?p a kg:Project }"
)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[AppClient]:
    client = AppClient(create_app(SETTINGS))
    yield client
    client.close()


def cli(tmp_path: Path, query: str, fmt: str) -> str:
    path = tmp_path / "query.rq"
    path.write_text(query, encoding="utf-8")
    return run_query(SETTINGS, str(path), fmt=fmt)


@pytest.mark.parametrize(
    ("query", "fmt"),
    [
        (SELECT, "json"), (SELECT, "xml"), (SELECT, "csv"), (SELECT, "tsv"),
        (ASK, "json"), (ASK, "xml"),
        (CONSTRUCT, "ntriples"), (CONSTRUCT, "nt"), (CONSTRUCT, "turtle"), (CONSTRUCT, "rdfxml"),
    ],
)  # fmt: skip
def test_the_same_answer_by_both_paths(
    endpoint: AppClient, tmp_path: Path, query: str, fmt: str
) -> None:
    by_cli = cli(tmp_path, query, fmt)
    by_http = endpoint.get("/sparql", params={"query": query, "format": fmt})
    assert by_http.status_code == 200
    if fmt in ("turtle", "rdfxml"):
        parse = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.RDF_XML
        assert set(ox.parse(by_cli.encode(), format=parse)) == set(
            ox.parse(by_http.content, format=parse)
        )
    else:
        assert by_cli == by_http.text
    assert by_cli.strip(), "an empty answer would prove nothing"


@pytest.mark.parametrize(
    "query",
    [
        "SELEC * WHERE { ?s ?p ?o }",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "SELECT * " + "{" * 100 + "}" * 100,
    ],
)
def test_the_same_error_by_both_paths(endpoint: AppClient, tmp_path: Path, query: str) -> None:
    with pytest.raises(KompassError) as by_cli:
        cli(tmp_path, query, "json")
    by_http = endpoint.get("/sparql", params={"query": query})
    problem = by_http.json()
    assert by_http.status_code == by_cli.value.http_status
    assert problem["detail"].split(": ", 1)[-1] in str(by_cli.value)


def test_a_format_name_neither_path_knows(endpoint: AppClient, tmp_path: Path) -> None:
    """The CLI refuses a name it does not know; the endpoint lets Accept decide, since
    clients send format values of their own (tests/web/test_clients.py)."""
    with pytest.raises(KompassError, match="unknown format 'yaml'"):
        cli(tmp_path, SELECT, "yaml")
    by_http = endpoint.get("/sparql", params={"query": SELECT, "format": "yaml"})
    assert by_http.status_code == 200
    assert by_http.headers["content-type"].startswith("application/sparql-results+json")
