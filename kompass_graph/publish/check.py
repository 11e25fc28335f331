"""`kompass-graph check`: everything a data maintainer's CI should run, as one report.

    validation   the validate command's checks (syntax, declared terms, consistency,
                 provenance, quality rules, SHACL) over the data the server would serve
    queries      every stored query (sparql/*.rq) runs on the loaded store with its
                 default parameters and answers as its `# expect:` header says (by
                 default: at least one row)
    release      the release builds (`publish.build.build_release`, into a temporary folder)
    dcat         the release's dcat.ttl conforms to the official DCAT-AP 3.0 and
                 DCAT-AP.de shapes (`publish.dcat_check.check_dcat`)
    serve        with `serve`: the protocol smoke test against `kompass-graph serve` as a
                 process on a free loopback port (smoke.py)

Each step runs the code the other commands run; nothing is re-implemented here. A step
that cannot check anything says so: it is "skipped" with the reason (the DCAT shapes are
not there), and data that fails validation is not built or served (the build and the
server refuse it anyway). A check that finds nothing to check (no stored queries) fails.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import rdflib

from kompass_graph.errors import DataNotConformingError, KompassError, ParseError
from kompass_graph.formats import FormatChoice
from kompass_graph.namespaces import prefix_map
from kompass_graph.publish.check_report import CheckFinding, CheckReport, CheckResult, Status
from kompass_graph.publish.smoke import smoke_test
from kompass_graph.queries import StoredQuery, project_queries
from kompass_graph.settings import Settings
from kompass_graph.sources import ProjectFiles, find_project_files
from kompass_graph.store.factory import embedded_store, served_files
from kompass_graph.store.interface import QueryRequest
from kompass_graph.terms import parse_term
from kompass_graph.validate import ValidationReport, validate_paths

__all__ = ["default_dcat_shapes", "run_checks"]

#: the severities of validate's findings as GitHub's annotation levels
_LEVELS = {"Violation": "error", "Warning": "warning"}
_ANSWER_FORMATS = FormatChoice(bindings="json", boolean="json", graph="ntriples")


def default_dcat_shapes(project: ProjectFiles) -> Path:
    """Where the official DCAT-AP(.de) shapes are kept: `../shared/reference/dcat-ap-de/`
    beside the project root (they are not ours to ship)."""
    # resolved first: the parent of a relative root such as `.` is `.` itself
    return project.root.resolve().parent / "shared" / "reference" / "dcat-ap-de"


def _timed(name: str, step: Callable[[], CheckResult]) -> CheckResult:
    started = time.perf_counter()
    result = step()
    return replace(result, name=name, seconds=time.perf_counter() - started)


def _result(status: Status, summary: str, *findings: CheckFinding) -> CheckResult:
    return CheckResult(name="", status=status, summary=summary, findings=findings)


def _validation_findings(report: ValidationReport) -> tuple[CheckFinding, ...]:
    return tuple(
        CheckFinding(
            f"{r.constraint}{' ' + r.rule if r.rule else ''} {r.focus_node}: {r.message}",
            level="error"
            if r.severity == "Violation"
            else "warning"
            if r.severity == "Warning"
            else "notice",
            file=r.file,
            line=r.line,
        )
        for r in report.results
    )


def _validation(settings: Settings, project: ProjectFiles) -> CheckResult:
    # the files a server with these settings checks before it serves (store/factory.py)
    checked = list(settings.only_data) or [*project.data, *settings.data]
    try:
        report = validate_paths(checked, project=project, check_provenance=not settings.only_data)
    except ParseError as error:
        line = error.position.line
        return _result(
            "failed", "a file does not parse", CheckFinding(str(error), file=error.file, line=line)
        )
    counts = {s: sum(r.severity == s for r in report.results) for s in ("Violation", "Warning")}
    summary = (
        f"{'conforms' if report.conforms else 'does not conform'}: "
        f"{counts['Violation']} violation(s), {counts['Warning']} warning(s) in "
        f"{len(report.files)} file(s), {report.triple_count} triples"
    )
    return CheckResult(
        name="",
        status="passed" if report.conforms else "failed",
        summary=summary,
        findings=_validation_findings(report),
        validation=report,
    )


def _run_query(
    store_run: Callable[[QueryRequest], int], query: StoredQuery, settings: Settings
) -> CheckFinding | None:
    prefixes = prefix_map(settings.base_iri)
    bindings = tuple(
        (p.name, parse_term(p.default, prefixes)) for p in query.parameters if p.default is not None
    )
    request = QueryRequest(
        query=query.text,
        formats=_ANSWER_FORMATS,
        union_default_graph=settings.union_default_graph,
        max_rows=settings.max_result_rows,
        max_bytes=settings.max_result_bytes,
        bindings=bindings,
        source=str(query.path),
    )
    try:
        rows = store_run(request)
    except KompassError as error:
        line = getattr(getattr(error, "position", None), "line", None)
        return CheckFinding(
            f"{query.name}: {error}", file=str(query.path), line=line, query=query.name
        )
    if query.expect.admits(rows):
        return None
    return CheckFinding(
        f"{query.name}: {rows} row(s), expected {query.expect}",
        file=str(query.path),
        query=query.name,
    )


def _queries(settings: Settings, project: ProjectFiles) -> CheckResult:
    queries = project_queries(settings)
    if not queries:
        # a check that finds nothing to check fails
        return _result(
            "failed",
            "no stored queries to run",
            CheckFinding(
                f"no stored queries in {project.root / 'sparql'}", file=str(project.root / "sparql")
            ),
        )
    store = embedded_store(settings)
    store.load(served_files(settings))

    def count(request: QueryRequest) -> int:
        return store.run(request).rows

    findings = [f for f in (_run_query(count, q, settings) for q in queries.values()) if f]
    wrong = len(findings)
    summary = f"{len(queries) - wrong} of {len(queries)} stored queries answered as expected"
    return _result("failed" if findings else "passed", summary, *findings)


def _release(settings: Settings, folder: Path) -> tuple[CheckResult, Path | None]:
    """The build into `folder`; with the release folder when it was built."""
    try:
        from kompass_graph.publish.build import build_release
    except ModuleNotFoundError as error:
        return _result("skipped", f"not available: {error.name} is not written yet"), None
    try:
        release = build_release(settings, folder)
    except DataNotConformingError as error:
        return _result("failed", "the release does not build", CheckFinding(str(error))), None
    files = len(release.facts.distributions)
    return _result(
        "passed", f"built release {release.facts.identifier}: {files} file(s)"
    ), release.folder


def _dcat_finding(finding: object, level: str) -> CheckFinding:
    focus = getattr(finding, "focus_node", "")
    path = getattr(finding, "path", "")
    message = getattr(finding, "message", str(finding))
    where = " ".join(part for part in (focus, path) if part)
    return CheckFinding(
        f"{where}: {message}" if where else message,
        level="error" if level == "error" else "warning",
    )


def _dcat(release: Path | None, shapes: Path | None, release_step: CheckResult) -> CheckResult:
    if release is None:
        reason = (
            "the release was not built" if release_step.status == "failed" else release_step.summary
        )
        return _result("skipped", reason)
    if shapes is None or not shapes.is_dir():
        return _result(
            "skipped", f"the DCAT-AP.de shapes are not there ({shapes}); use --dcat-shapes DIR"
        )
    try:
        from kompass_graph.publish.dcat_check import check_dcat
    except ModuleNotFoundError as error:
        return _result("skipped", f"not available: {error.name} is not written yet")
    document = release / "dcat.ttl"
    if not document.is_file():
        return _result(
            "skipped", f"not available: the release has no {document.name} (publish/dcat.py)"
        )
    try:
        graph = rdflib.Graph().parse(document, format="turtle")
    except Exception as error:  # rdflib's parsers raise many kinds; this is the release's file
        return _result(
            "failed",
            f"{document.name} does not parse",
            CheckFinding(f"{error}", file=document.name),
        )
    report = check_dcat(graph, shapes)
    findings = [_dcat_finding(v, "error") for v in report.violations]
    findings += [_dcat_finding(w, "warning") for w in report.warnings]
    summary = (
        f"{'conforms' if report.conforms else 'does not conform'} to the DCAT-AP.de shapes: "
        f"{len(report.violations)} violation(s), {len(report.warnings)} warning(s)"
    )
    return _result("passed" if report.conforms else "failed", summary, *findings)


def _serve(settings: Settings) -> CheckResult:
    findings = smoke_test(settings)
    if findings:
        return _result("failed", f"{len(findings)} probe(s) of the server failed", *findings)
    return _result("passed", "the server answered every probe of the protocol smoke test")


def run_checks(settings: Settings, *, serve: bool, dcat_shapes: Path | None = None) -> CheckReport:
    """Run every step on the data `settings` select; `dcat_shapes` defaults to
    `default_dcat_shapes`. Raises KompassError only when the check itself cannot start
    (no project, no data, no shapes): the exit-2 errors of `validate`."""
    project = find_project_files(settings.project_root)
    shapes = dcat_shapes or default_dcat_shapes(project)
    results = [_timed("validation", lambda: _validation(settings, project))]
    parses = results[0].status == "passed" or results[0].validation is not None
    conforms = results[0].status == "passed"
    if parses:
        results.append(_timed("queries", lambda: _queries(settings, project)))
    else:
        results.append(_named("queries", _result("skipped", "the data does not parse")))
    with tempfile.TemporaryDirectory(prefix="kompass-check-") as scratch:
        folder: Path | None = None
        if conforms:
            started = time.perf_counter()
            built, folder = _release(settings, Path(scratch) / "release")
            release_step = _named("release", built, seconds=time.perf_counter() - started)
        else:
            refused = _result("skipped", "the data does not pass validation")
            release_step = _named("release", refused)
        results.append(release_step)
        results.append(_timed("dcat", lambda: _dcat(folder, shapes, release_step)))
    if not serve:
        results.append(_named("serve", _result("skipped", "not asked for (--serve)")))
    elif conforms:
        results.append(_timed("serve", lambda: _serve(settings)))
    else:
        refused = _result("skipped", "the server refuses data that does not pass validation")
        results.append(_named("serve", refused))
    return CheckReport(results=tuple(results))


def _named(name: str, result: CheckResult, *, seconds: float = 0.0) -> CheckResult:
    return replace(result, name=name, seconds=seconds)
