"""The protocol smoke test of `kompass-graph check --serve`: our server, as a process.

`kompass-graph serve` starts on a free 127.0.0.1 port with the data the check was
given, and the probes ask it what a SPARQL 1.1 Protocol client and a linked-data
browser ask: readiness; a SELECT by GET, by POST form and by POST direct, with JSON
and CSV results; an ASK; a CONSTRUCT as Turtle; a syntax error (400, a problem
document); an update (refused: the endpoint is read-only); and one resource page as
HTML and as Turtle. The server is stopped afterwards, whatever happened.

The probes are data (`PROBES`): each says what it sends and what answer it expects,
and reports a `CheckFinding` with the URL when the answer differs. HTTP is the
standard library's, so the check needs nothing beyond the package's dependencies.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from rdflib import Graph, URIRef

from kompass_graph.publish.check_report import CheckFinding
from kompass_graph.settings import Settings

__all__ = ["PROBES", "Probe", "Reply", "probe_server", "server_command", "smoke_test"]

#: the server checks the data with SHACL before it listens
STARTUP_SECONDS = 120
REQUEST_SECONDS = 30

_SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 5"
_ASK = "ASK { ?s ?p ?o }"
_CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5"
_UPDATE = "INSERT DATA { <urn:kompass-check:s> <urn:kompass-check:p> <urn:kompass-check:o> }"
_FORM = "application/x-www-form-urlencoded"
_JSON = "application/sparql-results+json"


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes


#: reads a reply's body; returns what is wrong with it, or None
BodyCheck = Callable[[bytes], str | None]


@dataclass(frozen=True)
class Probe:
    """One request and the answer it expects (status, media type, body)."""

    name: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    status: int = 200
    media_type: str = _JSON
    check: BodyCheck | None = None


def _bindings(body: bytes) -> str | None:
    rows = json.loads(body)["results"]["bindings"]
    return None if rows else "no rows in the JSON results"


def _csv_rows(body: bytes) -> str | None:
    lines = body.decode("utf-8").splitlines()
    return None if len(lines) >= 2 and lines[0] == "s,p,o" else "no header and rows in the CSV"


def _true(body: bytes) -> str | None:
    return None if json.loads(body).get("boolean") is True else "the ASK answer is not true"


def _triples(body: bytes) -> str | None:
    graph = Graph().parse(data=body.decode("utf-8"), format="turtle")
    return None if len(graph) else "no triples in the Turtle"


def _problem(status: int) -> BodyCheck:
    def check(body: bytes) -> str | None:
        problem = json.loads(body)
        if problem.get("status") != status or not problem.get("type"):
            return f"not an RFC 9457 problem with status {status}: {problem}"
        return None

    return check


def _query(text: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": text})


PROBES: tuple[Probe, ...] = (
    Probe("readiness", "GET", "/readyz", media_type=""),
    Probe("select-get-json", "GET", _query(_SELECT), {"Accept": _JSON}, check=_bindings),
    Probe(
        "select-get-csv",
        "GET",
        _query(_SELECT),
        {"Accept": "text/csv"},
        media_type="text/csv",
        check=_csv_rows,
    ),
    Probe(
        "select-post-form-json",
        "POST",
        "/sparql",
        {"Accept": _JSON, "Content-Type": _FORM},
        urllib.parse.urlencode({"query": _SELECT}).encode(),
        check=_bindings,
    ),
    Probe(
        "select-post-direct-csv",
        "POST",
        "/sparql",
        {"Accept": "text/csv", "Content-Type": "application/sparql-query"},
        _SELECT.encode(),
        media_type="text/csv",
        check=_csv_rows,
    ),
    Probe("ask", "GET", _query(_ASK), {"Accept": _JSON}, check=_true),
    Probe(
        "construct-turtle",
        "POST",
        "/sparql",
        {"Accept": "text/turtle", "Content-Type": "application/sparql-query"},
        _CONSTRUCT.encode(),
        media_type="text/turtle",
        check=_triples,
    ),
    Probe(
        "syntax-error",
        "GET",
        _query("SELEKT * WHERE { ?s ?p ?o }"),
        {"Accept": _JSON},
        status=400,
        media_type="application/problem+json",
        check=_problem(400),
    ),
    Probe(
        "update-refused",
        "POST",
        "/sparql",
        {"Content-Type": "application/sparql-update"},
        _UPDATE.encode(),
        status=403,
        media_type="application/problem+json",
        check=_problem(403),
    ),
)


def _fetch(method: str, url: str, headers: dict[str, str], body: bytes | None) -> Reply:
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_SECONDS) as answer:
            return Reply(answer.status, answer.headers.get("Content-Type", ""), answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, error.headers.get("Content-Type", ""), error.read())


def _ask(url: str, probe: Probe) -> CheckFinding | None:
    """The probe's request; a finding when the answer is not the expected one."""
    target = url + probe.path
    try:
        reply = _fetch(probe.method, target, probe.headers, probe.body)
    except OSError as error:
        return CheckFinding(f"{probe.name}: no answer ({error})", url=target)
    problem: str | None = None
    if reply.status != probe.status:
        problem = f"status {reply.status}, expected {probe.status}"
    elif probe.media_type and not reply.content_type.startswith(probe.media_type):
        problem = f"Content-Type {reply.content_type!r}, expected {probe.media_type}"
    elif probe.check is not None:
        try:
            problem = probe.check(reply.body)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            problem = f"unreadable body ({error})"
    if problem is None:
        return None
    return CheckFinding(f"{probe.name} ({probe.method}): {problem}", url=target)


def _resource_probes(url: str, base_iri: str) -> list[CheckFinding]:
    """One of our resources, found by asking the server, as HTML and as Turtle."""
    ours = base_iri + "id/"
    text = (
        f'SELECT ?s WHERE {{ ?s a ?type FILTER(STRSTARTS(STR(?s), "{ours}")) }} ORDER BY ?s LIMIT 1'
    )
    target = url + _query(text)
    try:
        reply = _fetch("GET", target, {"Accept": _JSON}, None)
        rows = json.loads(reply.body)["results"]["bindings"] if reply.status == 200 else []
    except (OSError, ValueError, KeyError) as error:
        return [CheckFinding(f"resource: cannot find one of our resources ({error})", url=target)]
    if not rows:
        return [CheckFinding(f"resource: the server holds no resource under {ours}", url=target)]
    iri = rows[0]["s"]["value"]
    path = "/" + iri.removeprefix(base_iri)

    def describes(body: bytes) -> str | None:
        graph = Graph().parse(data=body.decode("utf-8"), format="turtle")
        return None if (URIRef(iri), None, None) in graph else f"no statement about <{iri}>"

    def is_html(body: bytes) -> str | None:
        return None if b"<html" in body[:2000].lower() else "not an HTML page"

    html = {"Accept": "text/html"}
    turtle = {"Accept": "text/turtle"}
    pages = (
        Probe("resource-html", "GET", path, html, media_type="text/html", check=is_html),
        Probe("resource-turtle", "GET", path, turtle, media_type="text/turtle", check=describes),
    )
    return [f for f in (_ask(url, p) for p in pages) if f is not None]


def probe_server(url: str, *, base_iri: str) -> list[CheckFinding]:
    """Every probe against the server at `url`; the findings of those that failed."""
    findings = [f for f in (_ask(url, probe) for probe in PROBES) if f is not None]
    return findings + _resource_probes(url, base_iri)


def server_command(settings: Settings, port: int) -> list[str]:
    """`kompass-graph serve` on `port` with the check's data selection; the other
    settings reach it through the environment (KOMPASS_*), as they reached the check."""
    command = [sys.executable, "-m", "kompass_graph"]
    if settings.project_root is not None:
        command += ["--project-root", str(settings.project_root)]
    command += ["serve", "--host", "127.0.0.1", "--port", str(port)]
    if settings.data:
        command += ["--data", *map(str, settings.data)]
    if settings.only_data:
        command += ["--only-data", *map(str, settings.only_data)]
    return command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _tail(log: IO[bytes], lines: int = 15) -> str:
    log.seek(0)
    return "\n".join(log.read().decode(errors="replace").splitlines()[-lines:])


def _wait_until_ready(url: str, process: subprocess.Popen[bytes], log: IO[bytes]) -> str | None:
    """None once /readyz answers 200; else what went wrong. Only 'not listening yet'
    and 503 (still loading) are worth waiting for: any other answer is not our server."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"`kompass-graph serve` exited with {process.returncode}:\n{_tail(log)}"
        try:
            status = _fetch("GET", url + "/readyz", {}, None).status
        except OSError:
            status = None
        if status == 200:
            return None
        if status not in (None, 503):
            return f"{url}/readyz answered {status} while the server started"
        time.sleep(0.2)
    return f"`kompass-graph serve` was not ready within {STARTUP_SECONDS} s:\n{_tail(log)}"


def smoke_test(settings: Settings) -> list[CheckFinding]:
    """Start the server, run every probe, stop it; the findings (none: it passed)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            server_command(settings, port), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            not_ready = _wait_until_ready(url, process, log)
            if not_ready is not None:
                return [CheckFinding(not_ready, url=url + "/readyz")]
            return probe_server(url, base_iri=settings.base_iri)
        finally:
            process.terminate()
            try:
                process.wait(timeout=settings.shutdown_grace + 5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
