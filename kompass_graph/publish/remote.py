"""Publish a release into a remote SPARQL 1.1 store, atomically for its readers.

    publish_release(settings, to)     build (check) the release, then load it: a PublishReport
    read_release_record(...)          the release a store holds, as publish recorded it

Order. The release is built first, exactly as `kompass-graph build` does (the data is
checked; on violations `DataNotConformingError`, exit 1, before any request to the
store). Then the store's release record is read: when it names this release, nothing
is written (publishing twice changes nothing; the report says so).

Design: ONE SPARQL Update request per publish. It drops the graphs the recorded release
had (the record lists them), the graphs the new release writes, the default graph, and
inserts every statement of `kompass-graph.nq` (INSERT DATA, one operation per graph and
per 1,000 statements) and the new release record. A store runs one update request as one
transaction, so a reader sees the old release or the new one, and a request that does
not arrive whole (the publisher killed, the connection dropped mid-body) is never
executed: the published graphs stay as they were.
What was measured, and why not staging graphs:
- Staging graphs uploaded by the Graph Store Protocol and swapped in by one update
  (MOVE) are visible while they are uploaded to every reader of the union default
  graph, which is what our server queries (`oxigraph serve` with `union-default-graph`:
  a graph PUT to `<…/staging/1>` at once counts in `SELECT (COUNT(*) …) {?s ?p ?o}`;
  Virtuoso's default graph is always the union). So they would show readers a mix.
- Oxigraph server 0.5: a reader polling COUNT while update requests `DROP …; INSERT DATA
  {20,000 | 30,000 statements}` ran saw only 20,000 and 30,000 (tests/stores/
  test_publish.py repeats this with releases). No staging graph is ever written, so
  there is nothing to clean up after a failed publish.
- Virtuoso 7.2: one update request with several operations commits all or nothing (a
  request its SPARQL compiler refuses changes nothing), but its readers run READ
  COMMITTED, not on a snapshot. Counting every graph it held (the release record's
  among them), a reader once saw a mixed count in about 1,400 polls (20,001 statements
  between releases of 20,000 and 30,000); counting one graph replaced by such requests,
  two readers saw none in 15,477 polls over 30 publishes (/tmp experiment, 2026-12-02),
  and tests/stores/test_publish.py's readers see none over our releases. So over
  Virtuoso a publish is atomic for writers and failures, and for readers as far as
  measured, not by a snapshot guarantee. Its compiler also refuses one INSERT DATA of about
  5,000 statements ("memory exhausted"), hence the operations of 1,000. It keeps no
  statements outside named graphs, so there the default graph's statements (the
  provenance records) go to the graph `<base>graph/default`, which its union default
  graph shows to readers (the store is recognised by its `Server: Virtuoso` header).

The release record, in the graph `<base>graph/release` (kg: is `<base>ontology#`, as in
`namespaces.prefix_map`; store/remote.py reads `?s kg:release ?id` there):
    <base>graph/release kg:release "0.1.0+…" ; dcterms:hasPart <graph> … .
(one dcterms:hasPart per named graph the release wrote, so the next publish drops them).

Credentials (`store_user`, `store_password`) go to the update URL by HTTP Basic, or
Digest where the store asks for it (Virtuoso's /sparql-auth); they are never logged and
never in an error message.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus

import httpx
import pyoxigraph

from kompass_graph.errors import (
    ConfigurationError,
    StoreBadAnswerError,
    StoreTimeoutError,
    StoreUnavailableError,
)
from kompass_graph.namespaces import prefix_map
from kompass_graph.publish.build import build_release
from kompass_graph.publish.layout import dump_name
from kompass_graph.settings import Settings

__all__ = [
    "PublishReport",
    "ReleaseRecord",
    "publish_release",
    "read_release_record",
    "update_operations",
]

logger = logging.getLogger(__name__)

_HAS_PART = "<http://purl.org/dc/terms/hasPart>"
_STATEMENTS_PER_OPERATION = 1000  # Virtuoso's compiler refuses ~5,000 in one INSERT DATA
_UPDATE_SECONDS = 600.0  # a whole release in one request: minutes for a large one


@dataclass(frozen=True)
class ReleaseRecord:
    """What the store's `<base>graph/release` says: the release and its named graphs."""

    identifier: str | None
    graphs: tuple[str, ...]


@dataclass(frozen=True)
class PublishReport:
    """What a publish did."""

    release: str
    #: the release the store held before (None: none recorded)
    previous: str | None
    #: False when the store already held this release and nothing was written
    published: bool
    graphs: int
    statements: int
    #: the named graph the default graph's statements went to (None: the default graph)
    default_graph: str | None
    seconds: float


def _release_graph(base: str) -> str:
    return f"{base}graph/release"


def _record_subject(base: str) -> str:
    # the graph names the release it holds: what RemoteStore reads (`?s kg:release ?id`)
    return _release_graph(base)


def _release_predicate(base: str) -> str:
    return f"<{prefix_map(base)['kg']}release>"


def _update_url(settings: Settings, to: str) -> str:
    if settings.store_update_url:
        return settings.store_update_url
    if to.endswith("/query"):  # `oxigraph serve`
        return to.removesuffix("/query") + "/update"
    return to  # a store that takes queries and updates at one URL


def _where(url: str) -> str:
    """The URL for messages: without user information or query string."""
    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}{parsed.path}"


def _answered(response: httpx.Response, what: str) -> httpx.Response:
    if response.status_code in (401, 403):
        raise ConfigurationError(
            f"the store at {_where(str(response.url))} refused {what} "
            f"(HTTP {response.status_code})",
            hint="set store_user and KOMPASS_STORE_PASSWORD to an account that may write",
        )
    if response.status_code >= 300:
        excerpt = response.text[:300].strip().replace("\n", " ")
        raise StoreBadAnswerError(
            f"the store at {_where(str(response.url))} answered {what} with HTTP "
            f"{response.status_code}: {excerpt}"
        )
    return response


def _send(
    client: httpx.Client, request: httpx.Request, what: str, auth: httpx.Auth | None = None
) -> httpx.Response:
    """One request; the store's failures as our errors, naming the URL, not the secrets."""
    try:
        return _answered(client.send(request, auth=auth), what)
    except httpx.TimeoutException as error:
        raise StoreTimeoutError(
            f"the store at {_where(str(request.url))} did not answer {what} in time ({error})"
        ) from None
    except httpx.TransportError as error:
        raise StoreUnavailableError(
            f"the store at {_where(str(request.url))} cannot be reached for {what} ({error})"
        ) from None


def read_release_record(
    client: httpx.Client, query_url: str, base: str
) -> tuple[ReleaseRecord, httpx.Headers]:
    """The store's release record (empty when none) and the answer's headers."""
    subject = f"<{_record_subject(base)}>"
    query = (
        f"SELECT ?id ?part WHERE {{ GRAPH <{_release_graph(base)}> {{ "
        f"{subject} {_release_predicate(base)} ?id . "
        f"OPTIONAL {{ {subject} {_HAS_PART} ?part }} }} }}"
    )
    request = client.build_request(
        "POST",
        query_url,
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    response = _send(client, request, "the release record query")
    try:
        rows = response.json()["results"]["bindings"]
    except (ValueError, KeyError, TypeError):
        raise StoreBadAnswerError(
            f"the store at {_where(query_url)} answered the release record query "
            "with no SPARQL JSON results"
        ) from None
    identifiers = sorted({row["id"]["value"] for row in rows if "id" in row})
    parts = sorted({row["part"]["value"] for row in rows if "part" in row})
    return ReleaseRecord(identifiers[0] if identifiers else None, tuple(parts)), response.headers


def _quads(dump: Path) -> dict[str | None, list[str]]:
    """The dump's statements as SPARQL triple text, by graph (None: the default graph)."""
    graphs: dict[str | None, list[str]] = {}
    with dump.open("rb") as stream:
        for quad in pyoxigraph.parse(stream, format=pyoxigraph.RdfFormat.N_QUADS):
            graph = quad.graph_name
            name = graph.value if isinstance(graph, pyoxigraph.NamedNode) else None
            graphs.setdefault(name, []).append(f"{quad.subject} {quad.predicate} {quad.object} .")
    return graphs


def _insert(graph: str | None, triples: list[str]) -> Iterator[str]:
    """INSERT DATA operations for one graph: of 1,000 statements, or one when blank nodes
    are among them (a label names one node only inside its operation)."""
    size = len(triples) if any("_:" in t for t in triples) else _STATEMENTS_PER_OPERATION
    for start in range(0, len(triples), size):
        body = "\n".join(triples[start : start + size])
        if graph is not None:
            yield f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}"
        else:
            yield f"INSERT DATA {{\n{body}\n}}"


def update_operations(
    graphs: dict[str | None, list[str]],
    *,
    base: str,
    identifier: str,
    recorded: ReleaseRecord,
    default_graph: str | None,
) -> Iterator[str]:
    """The operations of the one update request (see the module docstring), in order."""
    # where each graph's statements go: None is the store's default graph
    named: dict[str | None, list[str]] = {
        (default_graph if g is None else g): t for g, t in graphs.items()
    }
    parts = sorted(g for g in named if g is not None)
    if default_graph is None:  # the store keeps a default graph: the release's replaces it
        yield "DROP SILENT DEFAULT"
    for graph in sorted({*recorded.graphs, *parts, _release_graph(base)}):
        yield f"DROP SILENT GRAPH <{graph}>"
    if None in named:
        yield from _insert(None, named[None])
    for graph in parts:
        yield from _insert(graph, named[graph])
    subject = f"<{_record_subject(base)}>"
    record = [f"{subject} {_release_predicate(base)} {pyoxigraph.Literal(identifier)} ."]
    record += [f"{subject} {_HAS_PART} <{g}> ." for g in parts]
    yield from _insert(_release_graph(base), record)


def _request_body(operations: Iterable[str]) -> bytes:
    """The form-encoded `update=` body. Whole, with a Content-Length: Virtuoso 7.2 reads
    a chunked request body as an empty update (answering 200), and a body cut short
    by a dropped connection never reaches the store's parser complete either way."""
    return b"update=" + quote_plus(" ;\n".join(operations)).encode("ascii")


def _auth(client: httpx.Client, update_url: str, settings: Settings) -> httpx.Auth | None:
    """Basic, or Digest when the store's challenge asks for it; None without a user."""
    if settings.store_user is None:
        return None
    password = settings.store_password.get_secret_value() if settings.store_password else ""
    empty = {"update": ""}  # a valid update request that changes nothing
    challenge = _probe(client, client.build_request("POST", update_url, data=empty))
    if not challenge.lower().startswith("digest"):
        return httpx.BasicAuth(settings.store_user, password)
    return httpx.DigestAuth(settings.store_user, password)


def _probe(client: httpx.Client, request: httpx.Request) -> str:
    """The authentication challenge the store answers an unauthorised request with."""
    try:
        return str(client.send(request).headers.get("www-authenticate", ""))
    except httpx.TransportError as error:
        raise StoreUnavailableError(
            f"the store at {_where(str(request.url))} cannot be reached ({error})"
        ) from None


def publish_release(settings: Settings, to: str) -> PublishReport:
    """Build the release of the data `settings` select and load it into the store whose
    query URL is `to` (see the module docstring). Raises DataNotConformingError before
    anything is sent; StoreUnavailableError / StoreTimeoutError / StoreBadAnswerError
    when the store fails, which then holds what it held before."""
    started = time.perf_counter()
    base = settings.base_iri
    if httpx.URL(to).path in ("", "/"):  # a store's root (`oxigraph serve`): its /query
        to = to.rstrip("/") + "/query"
    timeout = httpx.Timeout(_UPDATE_SECONDS, connect=settings.store_connect_timeout)
    with tempfile.TemporaryDirectory(prefix="kompass-publish-") as folder:
        release = build_release(settings, Path(folder) / "release")
        identifier = release.facts.identifier
        graphs = _quads(release.folder / dump_name("nquads"))
        with httpx.Client(timeout=timeout) as client:
            recorded, headers = read_release_record(client, to, base)
            virtuoso = headers.get("server", "").lower().startswith("virtuoso")
            default_graph = f"{base}graph/default" if virtuoso else None
            statements = sum(map(len, graphs.values()))
            report = PublishReport(
                release=identifier,
                previous=recorded.identifier,
                published=recorded.identifier != identifier,
                graphs=sum(1 for g in graphs if g is not None),
                statements=statements,
                default_graph=default_graph if None in graphs else None,
                seconds=0.0,
            )
            if report.published:
                update_url = _update_url(settings, to)
                auth = _auth(client, update_url, settings)
                operations = update_operations(
                    graphs,
                    base=base,
                    identifier=identifier,
                    recorded=recorded,
                    default_graph=default_graph,
                )
                request = client.build_request(
                    "POST",
                    update_url,
                    content=_request_body(operations),
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                )
                logger.info("publishing %s to %s", identifier, _where(update_url))
                _send(client, request, "the publishing update", auth)
    seconds = time.perf_counter() - started
    return PublishReport(**{**report.__dict__, "seconds": seconds})
