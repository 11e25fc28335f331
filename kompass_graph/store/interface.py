"""The store interface: what a query asks for and what comes back.

The HTTP layer and the CLI never touch an engine; they build a `QueryRequest`, run it
(`GraphStore.execute` in the server, `EmbeddedStore.run` in the CLI: the same code path
behind both), and use the `QueryAnswer` bytes. An embedded Oxigraph store implements it
today (`kompass_graph.store.embedded`); a remote SPARQL store can implement the same
protocol later without any change to `kompass_graph.web`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from kompass_graph.errors import NotAcceptableError
from kompass_graph.formats import AnswerKind, FormatChoice
from kompass_graph.terms import Term

__all__ = [
    "AnswerKind",
    "FormatChoice",
    "GraphStore",
    "LoadReport",
    "NoFormatForAnswerError",
    "ProgressCallback",
    "QueryAnswer",
    "QueryRequest",
]

#: called while a large file loads: (file, bytes read, file size)
ProgressCallback = Callable[[Path, int, int], None]


class NoFormatForAnswerError(NotAcceptableError):
    """The query's kind of answer has no format the client accepts; the web layer,
    which knows the Accept header, turns it into the 406 it sends."""

    def __init__(self, kind: AnswerKind) -> None:
        self.kind: AnswerKind = kind
        super().__init__(f"no acceptable format for a {kind} answer", available=[])


@dataclass(frozen=True)
class QueryRequest:
    """One read-only SPARQL query with its protocol-level dataset and output wishes.

    Format names are the `name`s of `kompass_graph.formats.FORMATS`. An empty
    `default_graphs` and `named_graphs` means: the store's own dataset. `bindings` are
    typed values for the query's variables, bound by the engine (never spliced into
    the text); `source` names where the text came from, for error messages.
    """

    query: str
    formats: FormatChoice
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    union_default_graph: bool = False
    max_rows: int = 100_000
    max_bytes: int = 64 << 20
    base_iri: str | None = None
    bindings: tuple[tuple[str, Term], ...] = ()
    source: str = "query"


@dataclass(frozen=True)
class QueryAnswer:
    """A serialised answer: bytes ready to send, and what they hold."""

    kind: AnswerKind
    format_name: str
    body: bytes
    rows: int
    truncated: bool
    #: which limit cut a truncated answer: "rows" (max_rows) or "bytes" (max_bytes)
    cut_by: Literal["rows", "bytes"] | None = None


@dataclass(frozen=True)
class LoadReport:
    """What a store holds after start-up; `release` names this exact content."""

    files: list[Path]
    triples: int
    seconds: float
    content_hash: str
    reused: bool = False


@runtime_checkable
class GraphStore(Protocol):
    """A read-only SPARQL store the HTTP layer can serve from."""

    @property
    def is_ready(self) -> bool:
        """True once the data is loaded and queries can run."""
        ...

    @property
    def load_report(self) -> LoadReport | None:
        """What was loaded (files, triple count, content hash); None before loading."""
        ...

    def load(
        self, files: Sequence[Path], *, progress: ProgressCallback | None = None
    ) -> LoadReport:
        """Load RDF files (any format; TriG/N-Quads keep named graphs). A remote store
        that cannot take files raises ConfigurationError."""
        ...

    def dump(self, format_name: str = "nquads") -> bytes:
        """The whole dataset serialised as `format_name` (a graph format name)."""
        ...

    async def start(self) -> None:
        """Acquire what queries need (worker processes, connections)."""
        ...

    async def close(self) -> None:
        """Release everything `start` acquired; idempotent."""
        ...

    async def execute(self, request: QueryRequest, *, timeout: float) -> QueryAnswer:
        """Run one query; raises KompassError subclasses for every failure a client causes."""
        ...

    async def ping(self) -> bool:
        """Whether queries can run now (a remote store: whether it answers; cheap, and
        cached briefly, for /readyz)."""
        ...
