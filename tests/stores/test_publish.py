"""`kompass-graph publish --to URL` against real stores: a private `oxigraph serve` and
the Virtuoso of tests/stores/virtuoso.py (each test gets an emptied store).

Release A is the project's data; release B the same and a file of 300 more statements,
so a reader can tell them apart by a count.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

import httpx
import pyoxigraph
import pytest

from kompass_graph.cli import main
from kompass_graph.errors import StoreUnavailableError
from kompass_graph.publish import remote
from kompass_graph.publish.build import build_release
from kompass_graph.publish.remote import ReleaseRecord, publish_release, update_operations
from kompass_graph.settings import Settings
from tests.shapes.manifest_cases import FIXTURES as SHAPE_FIXTURES
from tests.stores.virtuoso import VirtuosoServer

BASE = "https://w3id.org/kompass-graph/"
VIOLATING = SHAPE_FIXTURES / "funding-share.min-exclusive.ttl"
EXTRA_STATEMENTS = 300
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


@dataclass(frozen=True)
class Store:
    """A store under test: where to query and write it, and how."""

    kind: str
    query_url: str
    update_url: str
    user: str | None = None
    password: str | None = None

    def settings(self, **more: object) -> Settings:
        values: dict[str, object] = {"store_update_url": self.update_url, **more}
        if self.user is not None:
            values.update(store_user=self.user, store_password=self.password)
        return Settings(**values)  # type: ignore[arg-type]

    def select(self, query: str) -> list[dict[str, dict[str, str]]]:
        url = self.query_url + ("?union-default-graph" if self.kind == "oxigraph" else "")
        response = httpx.post(
            url,
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        response.raise_for_status()
        rows: list[dict[str, dict[str, str]]] = response.json()["results"]["bindings"]
        return rows

    def update(self, update: str) -> None:
        auth = httpx.DigestAuth(self.user, self.password or "") if self.user else None
        httpx.post(self.update_url, data={"update": update}, auth=auth, timeout=60)

    def quads(self) -> set[str]:
        """Every statement in our graphs (and Oxigraph's default graph), as N-Quads."""
        named = self.select(
            "SELECT ?s ?p ?o ?g { GRAPH ?g { ?s ?p ?o } "
            f"FILTER (STRSTARTS(STR(?g), {_literal(BASE)})) }}"
        )
        found = {_quad(row) for row in named}
        if self.kind == "oxigraph":  # its real default graph, not the union
            response = httpx.post(
                self.query_url,
                data={"query": "SELECT ?s ?p ?o { ?s ?p ?o }"},
                headers={"Accept": "application/sparql-results+json"},
            )
            found |= {_quad(row) for row in response.json()["results"]["bindings"]}
        return found

    def count(self) -> int:
        rows = self.select(
            # Virtuoso's default graph is every graph it holds, its own among them
            "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } "
            f"FILTER (STRSTARTS(STR(?g), {_literal(BASE)})) }}"
            if self.kind == "virtuoso"
            else "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
        )
        return int(rows[0]["n"]["value"])

    def clear(self) -> None:
        graphs = self.select(
            "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } "
            f"FILTER (STRSTARTS(STR(?g), {_literal(BASE)})) }}"
        )
        drops = [f"DROP SILENT GRAPH <{row['g']['value']}>" for row in graphs]
        if self.kind == "oxigraph":
            drops.append("DROP SILENT DEFAULT")
        if drops:
            self.update(" ;\n".join(drops))
        assert self.quads() == set()


def _literal(text: str) -> str:
    return str(pyoxigraph.Literal(text))


def _term(binding: dict[str, str]) -> str:
    if binding["type"] == "uri":
        return str(pyoxigraph.NamedNode(binding["value"]))
    if binding["type"] == "bnode":
        return "_:" + binding["value"]
    language = binding.get("xml:lang")
    datatype = binding.get("datatype")
    value = binding["value"]
    if datatype == _BOOLEAN:  # Virtuoso answers "true"^^xsd:boolean as "1", same value
        value = {"1": "true", "0": "false"}.get(value, value)
    return str(
        pyoxigraph.Literal(
            value,
            language=language,
            datatype=pyoxigraph.NamedNode(datatype) if datatype and not language else None,
        )
    )


def _quad(row: dict[str, dict[str, str]]) -> str:
    graph = f" {_term(row['g'])}" if "g" in row else ""
    return f"{_term(row['s'])} {_term(row['p'])} {_term(row['o'])}{graph} ."


def expected_quads(release: Path, store: Store, identifier: str) -> set[str]:
    """The release's dump as the store should hold it, with the release record."""
    default = f" <{BASE}graph/default>" if store.kind == "virtuoso" else ""
    quads, graphs = set(), set()
    with (release / "kompass-graph.nq").open("rb") as stream:
        for quad in pyoxigraph.parse(stream, format=pyoxigraph.RdfFormat.N_QUADS):
            named = isinstance(quad.graph_name, pyoxigraph.NamedNode)
            graph = f" {quad.graph_name}" if named else default
            if graph:
                graphs.add(graph.strip())
            quads.add(f"{quad.subject} {quad.predicate} {quad.object}{graph} .")
    record = f"<{BASE}graph/release>"
    quads.add(f'{record} <{BASE}ontology#release> "{identifier}" {record} .')
    quads |= {f"{record} <http://purl.org/dc/terms/hasPart> {g} {record} ." for g in graphs}
    return quads


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def oxigraph_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A private `oxigraph serve` (the shared one holds the suite's data)."""
    beside = Path(sys.executable).parent / "oxigraph"
    binary = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if binary is None:
        pytest.skip("the `oxigraph` CLI is not installed (pip install oxigraph)")
    port = _free_port()
    location = tmp_path_factory.mktemp("publish-oxigraph")
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "oxigraph serve did not start"
                time.sleep(0.05)
        root = f"http://127.0.0.1:{port}"
        yield Store("oxigraph", f"{root}/query", f"{root}/update")
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(params=["oxigraph", "virtuoso"])
def store(request: pytest.FixtureRequest) -> Store:
    """An emptied store of each kind."""
    if request.param == "oxigraph":
        chosen: Store = request.getfixturevalue("oxigraph_store")
    else:
        server: VirtuosoServer = request.getfixturevalue("virtuoso_server")
        chosen = Store(
            "virtuoso", server.query_url, server.update_url, server.user, server.password
        )
    chosen.clear()
    return chosen


@pytest.fixture(scope="module")
def extra_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("extra") / "extra.ttl"
    lines = [
        f'<{BASE}id/project/extra> <http://www.w3.org/2000/01/rdf-schema#comment> "note {n}"@en .'
        for n in range(EXTRA_STATEMENTS)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory, extra_data: Path) -> dict[str, Path]:
    """Releases A and B, built as publish builds them."""
    folder = tmp_path_factory.mktemp("releases")
    return {
        "A": build_release(Settings(), folder / "A").folder,
        "B": build_release(Settings(data=[extra_data]), folder / "B").folder,
    }


def _identifier(release: Path) -> str:
    return str(json.loads((release / "release.json").read_text(encoding="utf-8"))["identifier"])


def test_publish_puts_exactly_the_release_and_its_record_in_the_store(
    store: Store, releases: dict[str, Path]
) -> None:
    report = publish_release(store.settings(), store.query_url)
    identifier = _identifier(releases["A"])
    assert (report.release, report.previous, report.published) == (identifier, None, True)
    assert store.quads() == expected_quads(releases["A"], store, identifier)


def test_publishing_the_same_release_twice_changes_nothing(
    store: Store, releases: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    publish_release(store.settings(), store.query_url)
    before = store.quads()
    flags = ["publish", "--to", store.query_url, "--store-update-url", store.update_url]
    if store.user:
        flags += ["--store-user", store.user]
    code = main(flags) if not store.password else _main_with_password(flags, store.password)
    assert code == 0
    identifier = _identifier(releases["A"])
    assert capsys.readouterr().out == (
        f"the store at {store.query_url} already holds release {identifier}; nothing written\n"
    )
    assert store.quads() == before
    again = publish_release(store.settings(), store.query_url)
    assert (again.published, again.previous) == (False, identifier)


def _main_with_password(flags: list[str], password: str) -> int:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KOMPASS_STORE_PASSWORD", password)
        return main(flags)


def test_a_new_release_replaces_the_old_one_whole(
    store: Store, releases: dict[str, Path], extra_data: Path
) -> None:
    publish_release(store.settings(data=[extra_data]), store.query_url)
    report = publish_release(store.settings(), store.query_url)
    assert report.previous == _identifier(releases["B"])
    assert store.quads() == expected_quads(releases["A"], store, _identifier(releases["A"]))


def test_readers_polling_a_count_see_the_old_release_or_the_new_one(
    store: Store, releases: dict[str, Path], extra_data: Path
) -> None:
    publish_release(store.settings(), store.query_url)
    old = store.count()
    seen: list[int] = []
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            seen.append(store.count())

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        for data in ([extra_data], [], [extra_data]):
            publish_release(store.settings(data=data), store.query_url)
    finally:
        stop.set()
        reader.join()
    new = store.count()
    assert new == old + EXTRA_STATEMENTS
    assert len(seen) > 10, "the reader hardly ran during the publishes"
    assert set(seen) <= {old, new}


def test_a_publish_killed_between_graphs_leaves_the_old_release(
    store: Store, releases: dict[str, Path], extra_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_release(store.settings(), store.query_url)
    before = store.quads()
    calls = 0
    insert = remote._insert

    def dies_after_the_first_graph(graph: str | None, triples: list[str]) -> Iterator[str]:
        nonlocal calls
        calls += 1
        if calls > 1:
            raise KeyboardInterrupt  # as the publisher killed
        yield from insert(graph, triples)

    monkeypatch.setattr(remote, "_insert", dies_after_the_first_graph)
    with pytest.raises(KeyboardInterrupt):
        publish_release(store.settings(data=[extra_data]), store.query_url)
    assert calls == 2
    assert store.quads() == before


def test_an_update_cut_off_mid_body_changes_nothing(
    store: Store, releases: dict[str, Path]
) -> None:
    """The connection drops while the store reads the request: it must not run a part."""
    publish_release(store.settings(), store.query_url)
    before = store.quads()
    operations = update_operations(
        {f"{BASE}graph/cut": [f'<{BASE}id/x> <{BASE}p> "{n}" .' for n in range(5000)]},
        base=BASE,
        identifier="cut",
        recorded=ReleaseRecord(identifier=None, graphs=()),
        default_graph=f"{BASE}graph/default",
    )
    body = b"update=" + quote_plus(" ;\n".join(operations)).encode("ascii")
    where = urlsplit(store.update_url)
    headers = (
        f"POST {where.path} HTTP/1.1\r\nHost: {where.netloc}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode("ascii")
    with socket.create_connection((where.hostname, where.port or 80)) as connection:
        connection.sendall(headers + body[: len(body) // 2])
    time.sleep(0.5)
    assert store.quads() == before


def test_invalid_data_exits_1_and_the_store_is_untouched(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    publish_release(store.settings(), store.query_url)
    before = store.quads()
    flags = ["publish", "--to", store.query_url, "--store-update-url", store.update_url]
    code = main([*flags, "--data", str(VIOLATING)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert "funding-share.min-exclusive.ttl:54" in captured.err
    assert store.quads() == before


def test_a_store_that_is_not_there_is_a_clear_error() -> None:
    port = _free_port()
    with pytest.raises(StoreUnavailableError, match=f"127.0.0.1:{port}/query cannot be"):
        publish_release(Settings(), f"http://127.0.0.1:{port}/query")
