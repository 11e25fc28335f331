"""A remote SPARQL 1.1 store (Oxigraph server, Virtuoso, …) behind the `GraphStore`
protocol: every surface runs on it unchanged.

What stays ours over a remote store:
- the guard (`guard.check_query`: SERVICE, nesting) and the read-only refusal run
  before anything is sent; the store never sees a refused query;
- parameters are bound as inline data (`remote_binding.py`), never spliced;
- the deadline: the request is cancelled when `timeout` passes (`remote_http.py`),
  and a Virtuoso store is also told (`timeout`, ms); Oxigraph server has no request
  parameter for it, so run it with `--timeout-s`;
- the answer's bytes, limits and truncation notices: the store's SPARQL JSON or
  N-Triples are written again by our writers (`remote_answer.py`).

The union default graph (our data is one named graph per source): Oxigraph server
takes it per request (`union-default-graph`); over Virtuoso, whose own default graph
is every graph it holds (its system graphs too), each request names our graphs, those
the release record lists (`_virtuoso_dataset`); another store must be configured so
(Fuseki: `tdb2:unionDefaultGraph`). The kind is read from the store's `Server` header.
Virtuoso also writes xsd:boolean values as "1"/"0" (written `true`/`false` again) and
answers CONSTRUCT in SPARQL JSON unless N-Triples is asked for first.

The release served is the one `publish` recorded in the store: the literal of
`kg:release` in the graph `<base>graph/release`; without one it is `<version>+remote`.
It is read at start-up and again at most every few seconds while queries run, so the
`Kompass-Release` header and the ETags follow a new publication. Credentials go into
the HTTP client only: messages and logs name the store by scheme, host and port.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import SecretStr

from kompass_graph.errors import (
    ConfigurationError,
    KompassError,
    StoreBadAnswerError,
    StoreNotReadyError,
    StoreTimeoutError,
)
from kompass_graph.formats import FormatChoice
from kompass_graph.namespaces import prefix_map
from kompass_graph.store.execution import syntax_error
from kompass_graph.store.guard import (
    DEFAULT_MAX_NESTING,
    check_query,
    has_dataset_clause,
    looks_like_update,
    refuse_update,
)
from kompass_graph.store.interface import LoadReport, ProgressCallback, QueryAnswer, QueryRequest
from kompass_graph.store.lexer import tokenize, unescape_codepoints
from kompass_graph.store.remote_answer import GRAPH_ACCEPT, RESULTS_ACCEPT, rewrite_answer
from kompass_graph.store.remote_binding import bind_values, sparql_term
from kompass_graph.store.remote_http import StoreClient, StoreReply, public_name
from kompass_graph.terms import Term

__all__ = ["RemoteStore", "StoreKind"]

logger = logging.getLogger(__name__)

StoreKind = Literal["oxigraph", "virtuoso", "generic"]

#: how long a ping's answer (and the release read with it) is trusted
_PING_SECONDS = 1.0
#: queries re-read the release at most this often
_RELEASE_SECONDS = 5.0
_JSON = FormatChoice(bindings="json", boolean="json", graph=None)
_HAS_PART = "http://purl.org/dc/terms/hasPart"


def _kind_of(server: str) -> StoreKind:
    lowered = server.lower()
    if lowered.startswith("oxigraph"):
        return "oxigraph"
    if "virtuoso" in lowered:
        return "virtuoso"
    return "generic"


def _asks_for_a_graph(query: str) -> bool:
    """Whether the query's form is CONSTRUCT or DESCRIBE (its first form keyword)."""
    for token in tokenize(unescape_codepoints(query)):
        if token.is_keyword("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return token.is_keyword("CONSTRUCT", "DESCRIBE")
    return False


class RemoteStore:
    """A SPARQL 1.1 query endpoint as our store (see the module docstring)."""

    def __init__(
        self,
        url: str,
        *,
        base_iri: str,
        user: str | None = None,
        password: SecretStr | None = None,
        connect_timeout: float = 2.0,
        retries: int = 2,
        max_connections: int = 16,
        service_allow_list: Sequence[str] = (),
        max_nesting: int = DEFAULT_MAX_NESTING,
        prefixes: Sequence[tuple[str, str]] = (),
    ) -> None:
        self._url = url
        self._user = user
        self._password = password
        self._connect_timeout = connect_timeout
        self._retries = retries
        self._max_connections = max_connections
        self._allow = frozenset(service_allow_list)
        self._max_nesting = max_nesting
        self._prefixes = tuple(prefixes)
        graph = sparql_term(Term.iri(base_iri + "graph/release"))
        predicate = sparql_term(Term.iri(prefix_map(base_iri)["kg"] + "release"))
        self._release_query = (
            f"SELECT ?release WHERE {{ GRAPH {graph} {{ ?s {predicate} ?release }} }} "
            "ORDER BY DESC(STR(?release)) LIMIT 1"
        )
        # as the embedded store counts: every quad, the release record not among them
        self._count_query = (
            "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION "
            f"{{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != {graph}) }} }}"
        )
        self._release_graph = base_iri + "graph/release"
        self._default_graph = base_iri + "graph/default"
        self._parts_query = (
            f"SELECT ?part WHERE {{ GRAPH {graph} {{ ?s {sparql_term(Term.iri(_HAS_PART))} "
            "?part } } ORDER BY ?part"
        )
        #: the named graphs the recorded release wrote (dcterms:hasPart of the record)
        self._parts: tuple[str, ...] = ()
        self._http: StoreClient | None = None
        self.kind: StoreKind | None = None
        self._report = LoadReport([], 0, 0.0, "remote")
        self._counted = False
        self._reachable = False
        self._checked_at = float("-inf")
        self._refreshing: asyncio.Task[bool] | None = None

    @property
    def name(self) -> str:
        """The store as messages may name it: scheme, host and port."""
        return public_name(self._url)

    # ---- the GraphStore protocol ---------------------------------------------------

    @property
    def is_ready(self) -> bool:
        """Started, and the store answered the last time it was asked."""
        return self._http is not None and self._reachable

    @property
    def load_report(self) -> LoadReport:
        return self._report

    def load(
        self, files: Sequence[Path], *, progress: ProgressCallback | None = None
    ) -> LoadReport:
        raise ConfigurationError(
            f"the remote store at {self.name} cannot load files",
            hint="load it with `kompass-graph publish --to URL`; serve serves what it holds",
        )

    def dump(self, format_name: str = "nquads") -> bytes:
        raise ConfigurationError(
            f"the remote store at {self.name} is not dumped by the server",
            hint="use the store's own dump (oxigraph dump) or the release's files",
        )

    async def start(self) -> None:
        if self._http is None:
            self._http = StoreClient(
                self._url,
                user=self._user,
                password=self._password.get_secret_value() if self._password else None,
                connect_timeout=self._connect_timeout,
                retries=self._retries,
                max_connections=self._max_connections,
            )
        if not await self.ping():
            logger.warning(
                "the store at %s does not answer yet; serving 503 until it does", self.name
            )

    async def close(self) -> None:
        http, self._http = self._http, None
        task, self._refreshing = self._refreshing, None
        if task is not None:
            task.cancel()
        if http is not None:
            await http.close()

    async def ping(self) -> bool:
        """Whether the store answers (its release is read on the way); the answer is
        reused for a second, so probes cost the store at most one query a second."""
        now = time.monotonic()
        if now - self._checked_at < _PING_SECONDS:
            return self._reachable
        self._checked_at = now
        try:
            await self._read_release(timeout=self._connect_timeout + 1.0)
        except KompassError as error:
            if self._reachable:
                logger.warning("the store at %s: %s", self.name, error.message)
            self._reachable = False
        else:
            self._reachable = True
        return self._reachable

    async def execute(self, request: QueryRequest, *, timeout: float) -> QueryAnswer:
        if self._http is None:
            raise StoreNotReadyError("the server has not connected to its store yet")
        # ours, before anything is sent: the store must never see a refused query
        check_query(request.query, service_allow_list=self._allow, max_nesting=self._max_nesting)
        if looks_like_update(request.query):
            raise refuse_update()
        if self.kind is None:
            await self.ping()  # the kind decides how the dataset is asked for
        self._refresh_release_soon()
        reply = await self._send(request, timeout=timeout)
        return self._answer(reply, request)

    # ---- one query -----------------------------------------------------------------

    def _form(self, request: QueryRequest, timeout: float) -> list[tuple[str, str]]:
        query = bind_values(request.query, request.bindings, source=request.source)
        if request.base_iri:  # as Oxigraph's base_iri option: the query's own BASE wins
            query = f"BASE {sparql_term(Term.iri(request.base_iri))} {query}"
        form = [("query", query)]
        form += [("default-graph-uri", iri) for iri in request.default_graphs]
        form += [("named-graph-uri", iri) for iri in request.named_graphs]
        own_dataset = not (
            request.default_graphs or request.named_graphs or has_dataset_clause(request.query)
        )
        union = request.union_default_graph and own_dataset
        if union and self.kind == "oxigraph":
            form.append(("union-default-graph", ""))
        if own_dataset and self.kind == "virtuoso":
            form += self._virtuoso_dataset(request.union_default_graph)
        if self.kind == "virtuoso":  # its own deadline, in milliseconds
            form.append(("timeout", str(max(1, int(timeout * 1000)))))
        return form

    def _virtuoso_dataset(self, union: bool) -> list[tuple[str, str]]:
        """Our graphs as the request's dataset. Virtuoso's own dataset is every graph
        it holds, its system graphs (`virtrdf:`, the DAV and SPARQL service graphs, some
        7,400 statements on a fresh database) among them, and it keeps no default graph
        of its own: publish put the release's default graph in `<base>graph/default`.
        So the dataset is named as the embedded store has it: the default graph is that
        graph (with union: the merge of every graph of the release), the named graphs
        are the release's others, and the release record's graph as over Oxigraph.
        Before the record is read (a store with no release): the record's graph only."""
        named = [g for g in self._parts if g != self._default_graph] + [self._release_graph]
        if not union:
            default = [self._default_graph]
        elif self._parts:
            default = [*self._parts, self._release_graph]
        else:
            default = [self._release_graph]
        return [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in named]

    async def _send(self, request: QueryRequest, *, timeout: float) -> StoreReply:
        http = self._http
        if http is None:
            raise StoreNotReadyError("the server is closing its connection to the store")
        try:
            accept = GRAPH_ACCEPT if _asks_for_a_graph(request.query) else RESULTS_ACCEPT
            reply = await http.post_form(
                self._form(request, timeout), accept=accept, timeout=timeout
            )
        except KompassError as error:
            if not isinstance(error, StoreTimeoutError):
                self._reachable = False
            raise
        self._reachable = True
        if self.kind is None and reply.server:
            self.kind = _kind_of(reply.server)
        return reply

    def _answer(self, reply: StoreReply, request: QueryRequest) -> QueryAnswer:
        if reply.status == 200:
            return rewrite_answer(
                reply.body,
                reply.content_type,
                request,
                store=self.name,
                prefixes=self._prefixes,
                boolean_words=self.kind == "virtuoso",
            )
        if reply.status == 400:  # the store's parser refused it: the client's query
            raise syntax_error(SyntaxError(reply.text), request.query).to_error(request.source)
        if reply.status in (401, 403, 407):
            raise StoreBadAnswerError(
                f"the store at {self.name} refused our credentials (HTTP {reply.status})",
                hint="check store_user and store_password",
            )
        if "timeout" in reply.text.lower() or "timed out" in reply.text.lower():
            raise StoreTimeoutError(
                f"the store at {self.name} stopped the query at its own timeout",
                hint="simplify the query or add LIMIT",
            )
        raise StoreBadAnswerError(
            f"the store at {self.name} answered HTTP {reply.status}: {reply.text}"
        )

    # ---- the release recorded in the store -----------------------------------------

    def _refresh_release_soon(self) -> None:
        stale = time.monotonic() - self._checked_at > _RELEASE_SECONDS
        if stale and (self._refreshing is None or self._refreshing.done()):
            self._refreshing = asyncio.get_running_loop().create_task(self.ping())

    async def _read_release(self, *, timeout: float) -> None:
        request = QueryRequest(query=self._release_query, formats=_JSON, source="store release")
        reply = await self._send(request, timeout=timeout)
        answer = self._answer(reply, request)
        bindings = json.loads(answer.body)["results"]["bindings"]
        recorded = bindings[0]["release"]["value"] if bindings else None
        # `0.1.0+1f5d2a1dd0a8`: the content hash part names the data (facts.py)
        content_hash = recorded.rpartition("+")[2] if recorded else "remote"
        if content_hash != self._report.content_hash or not self._counted:
            logger.info("the store at %s holds release %s", self.name, recorded or "(none)")
            self._parts = await self._read_parts(timeout=timeout) if recorded else ()
            triples = await self._count(timeout=timeout)
            self._report = LoadReport([], triples or 0, 0.0, content_hash)
            self._counted = triples is not None

    async def _read_parts(self, *, timeout: float) -> tuple[str, ...]:
        """The graphs the release record lists (dcterms:hasPart)."""
        request = QueryRequest(query=self._parts_query, formats=_JSON, source="store graphs")
        answer = self._answer(await self._send(request, timeout=timeout), request)
        rows = json.loads(answer.body)["results"]["bindings"]
        return tuple(row["part"]["value"] for row in rows if "part" in row)

    async def _count(self, *, timeout: float) -> int | None:
        """The store's quads (for /readyz, /metrics and the landing page); None when the
        store cannot count them in time."""
        request = QueryRequest(query=self._count_query, formats=_JSON, source="store size")
        try:
            answer = self._answer(await self._send(request, timeout=timeout), request)
            return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])
        except (KompassError, LookupError, ValueError):
            return None
