"""`run_checks`: passes on the project's data, and fails on each kind of problem.

Each failing case is a small fixture: a file that does not parse, an undeclared term,
a SHACL violation, a quality-rule failure (tests/ontology/failing/), stored queries
that answer other than they say, a DCAT description without a required property, and
a server that does not start or answers wrongly.
"""

from __future__ import annotations

import json
import shutil
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF

from kompass_graph.publish import smoke
from kompass_graph.publish.check import default_dcat_shapes, run_checks
from kompass_graph.publish.check_report import CheckReport
from kompass_graph.settings import Settings
from kompass_graph.sources import find_project_files

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
TESTS = HERE.parent
PROJECT = find_project_files()
SHAPES = default_dcat_shapes(PROJECT)
NO_SHAPES = f"the official DCAT-AP.de shapes are not at {SHAPES}"


def statuses(report: CheckReport) -> dict[str, str]:
    return {r.name: r.status for r in report.results}


@pytest.fixture(scope="module")
def real_report() -> CheckReport:
    return run_checks(Settings(), serve=False)


def test_the_real_data_passes_every_step(real_report: CheckReport) -> None:
    assert statuses(real_report) == {
        "validation": "passed",
        "queries": "passed",
        "release": "passed",
        "dcat": "passed" if SHAPES.is_dir() else "skipped",
        "serve": "skipped",
    }
    assert [f for r in real_report.results for f in r.findings] == []
    assert real_report.result("queries").summary == "13 of 13 stored queries answered as expected"
    assert real_report.result("serve").summary == "not asked for (--serve)"
    assert (real_report.passed, real_report.exit_code) == (True, 0)


def test_the_dcat_step_runs_the_official_shapes(real_report: CheckReport) -> None:
    if not SHAPES.is_dir():
        pytest.skip(NO_SHAPES)
    assert real_report.result("dcat").summary.startswith(
        "conforms to the DCAT-AP.de shapes: 0 violation(s)"
    )


@pytest.mark.parametrize(
    ("fixture", "line", "starts"),
    [
        (FIXTURES / "broken.ttl", 4, f"{FIXTURES / 'broken.ttl'}:4:1: "),
        (
            FIXTURES / "undeclared-term.ttl",
            5,
            "UndeclaredTerm https://w3id.org/kompass-graph/id/actor/check-fixture: "
            "https://w3id.org/kompass-graph/ontology#Actr is not declared",
        ),
        (
            TESTS / "shapes" / "fixtures" / "funding-share.min-exclusive.ttl",
            54,
            "MinExclusive https://w3id.org/kompass-graph/id/funding/test-funding: The share",
        ),
    ],
    ids=["syntax-error", "undeclared-term", "shacl-violation"],
)
def test_a_data_problem_fails_the_validation_step(fixture: Path, line: int, starts: str) -> None:
    report = run_checks(Settings(only_data=[fixture]), serve=False)
    validation = report.result("validation")
    assert validation.status == "failed"
    assert [(f.level, f.file, f.line) for f in validation.findings] == [
        ("error", str(fixture), line)
    ]
    assert validation.findings[0].message.startswith(starts), validation.findings[0].message
    # data that fails validation is neither built nor served: said, not silently passed
    assert statuses(report)["release"] == statuses(report)["dcat"] == "skipped"
    assert report.result("release").summary == "the data does not pass validation"
    assert report.exit_code == 1


def project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for folder in ("ontology", "data", "shapes", "sparql"):
        shutil.copytree(PROJECT.root / folder, root / folder)
    return root


def test_a_quality_rule_failure_fails_the_validation_step(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    failing = TESTS / "ontology" / "failing" / "labels-in-both-languages.ttl"
    shutil.copy(failing, root / "ontology" / "extra.ttl")
    report = run_checks(Settings(project_root=root), serve=False)
    validation = report.result("validation")
    assert validation.status == "failed"
    assert [f.message.split(" ")[:2] for f in validation.findings] == [
        ["QualityRule", "labels-in-both-languages"]
    ]
    assert validation.findings[0].file == str(root / "ontology" / "extra.ttl")
    assert report.exit_code == 1


QUERIES = {
    # no rows and no expectation: the default, at least one row, fails
    "90-nothing.rq": "# title: Nothing\nSELECT ?s WHERE { ?s a <urn:kompass-check:none> }\n",
    # no rows, as declared: passes
    "91-declared-empty.rq": (
        "# title: Declared empty\n# expect: empty\n"
        "SELECT ?s WHERE { ?s a <urn:kompass-check:none> }\n"
    ),
    # one row where two are declared: fails
    "92-wrong-count.rq": (
        "# title: Wrong count\n# expect: rows = 2\n"
        "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
        "SELECT ?o WHERE { ?o a owl:Ontology } LIMIT 1\n"
    ),
    # does not parse: fails, with the line
    "93-broken.rq": "# title: Broken\n\nSELECT ?s WHERE {\n  ?s ?p\n",
}


def test_stored_queries_that_answer_otherwise_fail_the_queries_step(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    for name, text in QUERIES.items():
        (root / "sparql" / name).write_text(text, encoding="utf-8")
    report = run_checks(Settings(project_root=root), serve=False)
    queries = report.result("queries")
    assert queries.status == "failed"
    assert queries.summary == "14 of 17 stored queries answered as expected"
    found = {f.query: f for f in queries.findings}
    assert sorted(found) == ["90-nothing", "92-wrong-count", "93-broken"]
    assert found["90-nothing"].message == "90-nothing: 0 row(s), expected rows >= 1"
    assert found["92-wrong-count"].message == "92-wrong-count: 1 row(s), expected rows = 2"
    assert found["93-broken"].file == str(root / "sparql" / "93-broken.rq")
    assert found["93-broken"].line is not None
    assert report.exit_code == 1
    # the copy has no ../shared/reference/dcat-ap-de/: the DCAT step says so
    assert statuses(report)["release"] == "passed"
    dcat = report.result("dcat")
    assert dcat.status == "skipped"
    assert dcat.summary.startswith("the DCAT-AP.de shapes are not there")


def test_a_project_without_stored_queries_fails(tmp_path: Path) -> None:
    root = project_copy(tmp_path)
    shutil.rmtree(root / "sparql")
    report = run_checks(Settings(project_root=root), serve=False)
    assert report.result("queries").status == "failed"
    assert report.result("queries").summary == "no stored queries to run"


def test_a_dcat_description_without_a_title_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    if not SHAPES.is_dir():
        pytest.skip(NO_SHAPES)
    from kompass_graph.publish import build

    original = build.describe_catalog

    def untitled(*args: object) -> rdflib.Graph:
        graph: rdflib.Graph = original(*args)
        for catalog in list(graph.subjects(RDF.type, DCAT.Catalog)):
            graph.remove((catalog, DCTERMS.title, None))
        return graph

    monkeypatch.setattr(build, "describe_catalog", untitled)  # the name the build calls
    report = run_checks(Settings(), serve=False)
    step = report.result("dcat")
    assert step.status == "failed"
    assert step.summary.startswith("does not conform to the DCAT-AP.de shapes")
    errors = [f for f in step.findings if f.level == "error"]
    assert errors
    assert all(str(DCTERMS.title) in f.message for f in errors), errors
    assert report.exit_code == 1


class _Agreeable(BaseHTTPRequestHandler):
    """A broken server: 200 and an empty JSON result to everything (updates too)."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = json.dumps({"head": {"vars": []}, "results": {"bindings": []}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer  # noqa: N815 (the handler's protocol names them)
    do_POST = _answer  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads the findings, not the log."""


@pytest.fixture
def broken_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Agreeable)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.server
def test_the_smoke_test_fails_against_a_broken_server(broken_server: str) -> None:
    findings = smoke.probe_server(broken_server, base_iri=Settings().base_iri)
    names = [f.message.split(" ", 1)[0] for f in findings]
    assert names == [
        "select-get-json",
        "select-get-csv",
        "select-post-form-json",
        "select-post-direct-csv",
        "ask",
        "construct-turtle",
        "syntax-error",
        "update-refused",
        "resource:",
    ]
    update = findings[names.index("update-refused")]
    assert update.message == "update-refused (POST): status 200, expected 403"
    assert update.url == broken_server + "/sparql"
    assert all(f.level == "error" and f.url for f in findings)


@pytest.mark.server
def test_a_server_that_does_not_start_fails_the_serve_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def exits(settings: Settings, port: int) -> list[str]:
        return [sys.executable, "-c", "raise SystemExit(3)"]

    monkeypatch.setattr(smoke, "server_command", exits)
    report = run_checks(Settings(), serve=True)
    serve = report.result("serve")
    assert serve.status == "failed"
    assert [f.message.splitlines()[0] for f in serve.findings] == [
        "`kompass-graph serve` exited with 3:"
    ]
    assert report.exit_code == 1


@pytest.mark.server
def test_the_real_server_passes_the_smoke_test() -> None:
    report = run_checks(Settings(), serve=True)
    serve = report.result("serve")
    assert (serve.status, serve.findings) == ("passed", ())
    assert report.exit_code == 0


def test_the_default_shapes_folder_is_beside_a_relative_project_root(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`--project-root .` (the README's CI snippet): the parent of `.` is not `.`."""
    monkeypatch.chdir(PROJECT.root)
    relative = default_dcat_shapes(find_project_files(Path()))
    assert relative == PROJECT.root.resolve().parent / "shared" / "reference" / "dcat-ap-de"
