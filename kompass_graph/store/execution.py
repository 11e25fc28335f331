"""Run one QueryRequest against a pyoxigraph store and serialise the answer.

This runs inside a worker process (see `workers.py`), so its outcome is plain data
(`Outcome`) that crosses the process boundary by pickle: either the answer or the
error a client caused, never an exception object.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kompass_graph.errors import (
    KompassError,
    Position,
    QuerySyntaxError,
    UpdateRefusedError,
    UsageError,
)
from kompass_graph.store.answers import (
    BINDINGS_WRITERS,
    NATIVE_BYTE_CAP,
    cut_answer,
    fit_within_bytes,
    take,
    write_bindings_natively,
    write_boolean,
    write_graph,
)
from kompass_graph.store.guard import has_dataset_clause, looks_like_update, refuse_update
from kompass_graph.store.interface import AnswerKind, QueryAnswer, QueryRequest
from kompass_graph.store.keywords import unknown_word
from kompass_graph.terms import Term

__all__ = ["ClientError", "Outcome", "execute_query", "syntax_error"]

_POSITION = re.compile(r"^error at (\d+):(\d+):\s*")


@dataclass(frozen=True)
class ClientError:
    """A KompassError as plain data: exceptions with keyword arguments do not pickle."""

    kind: str  # "syntax" | "update" | "usage"
    message: str
    line: int | None = None
    column: int | None = None

    @classmethod
    def of(cls, error: KompassError) -> ClientError:
        if isinstance(error, UpdateRefusedError):
            return cls("update", error.message)
        return cls("usage", str(error))

    def to_error(self, source: str = "query") -> KompassError:
        if self.kind == "syntax":
            return QuerySyntaxError(
                self.message, position=Position(self.line, self.column), source=source
            )
        if self.kind == "update":
            return refuse_update()
        return UsageError(self.message)


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back: an answer, a client error, or 'no acceptable format'."""

    answer: QueryAnswer | None = None
    error: ClientError | None = None
    not_acceptable: AnswerKind | None = None


def syntax_error(error: SyntaxError, query: str) -> ClientError:
    """The parser's message with its line and column; an update gets 'read-only' instead."""
    if looks_like_update(query):
        return ClientError("update", "read-only")
    message = str(error.msg if error.msg else error)
    match = _POSITION.match(message)
    if not match:
        return ClientError("syntax", message)
    line, column = int(match.group(1)), int(match.group(2))
    # Oxigraph names where its parser gave up; a typo of a keyword before that point
    # is what the writer needs to see (`SELEC * WHERE`: the SELEC, not column 10)
    offset = sum(len(text) + 1 for text in query.split("\n")[: line - 1]) + column - 1
    typo = unknown_word(query, before=offset + 1)
    if typo is not None:
        where, found = typo
        typo_line, typo_column = (int(n) for n in where.split(":"))
        return ClientError(
            "syntax", f"{found}; the parser said: {message[match.end() :]}", typo_line, typo_column
        )
    return ClientError("syntax", message[match.end() :], line, column)


def _graphs(iris: tuple[str, ...], parameter: str) -> list[ox.NamedNode]:
    nodes = []
    for iri in iris:
        try:
            nodes.append(ox.NamedNode(iri))
        except ValueError as error:
            raise UsageError(f"{parameter}={iri!r} is not an absolute IRI: {error}") from None
    return nodes


def _substitution(term: Term) -> ox.NamedNode | ox.Literal:
    if term.kind == "iri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        raise ValueError("a blank node cannot be bound to a variable")
    datatype = ox.NamedNode(term.datatype) if term.datatype else None
    return ox.Literal(term.value, language=term.language, datatype=datatype)


def _substitutions(
    request: QueryRequest,
) -> dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]:
    try:
        return {ox.Variable(name): _substitution(term) for name, term in request.bindings}
    except ValueError as error:
        raise UsageError(
            f"{request.source}: a parameter value is not a valid term: {error}"
        ) from None


def _evaluate(
    store: ox.Store, request: QueryRequest
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None
    named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None
    if request.default_graphs or request.named_graphs:
        # a protocol dataset replaces the store's (and FROM in the query); what it
        # leaves out is empty (SPARQL 1.1 Protocol, 2.1.4)
        default_graph = list(_graphs(request.default_graphs, "default-graph-uri"))
        named_graphs = list(_graphs(request.named_graphs, "named-graph-uri"))
    return store.query(
        request.query,
        base_iri=request.base_iri,
        use_default_graph_as_union=request.union_default_graph
        and default_graph is None
        and not has_dataset_clause(request.query),
        default_graph=default_graph,
        named_graphs=named_graphs,
        substitutions=_substitutions(request),
    )


def _bindings(
    store: ox.Store, request: QueryRequest, first: ox.QuerySolutions, fmt: str
) -> Outcome:
    """Oxigraph writes the answer when it fits the limits (the common case, at native
    speed); otherwise the query runs again and at most `max_rows` rows, and at most
    `max_bytes` bytes, are written."""
    cap = min(NATIVE_BYTE_CAP, request.max_bytes)
    native = write_bindings_natively(first, fmt, request.max_rows, byte_cap=cap)
    if native is not None:
        body, count = native
        return Outcome(answer=QueryAnswer("bindings", fmt, body, count, truncated=False))
    solutions = _evaluate(store, request)  # the native writer consumed `first`
    assert isinstance(solutions, ox.QuerySolutions)
    variables = [v.value for v in solutions.variables]
    taken, over_rows = take(solutions, request.max_rows)
    rows = [tuple(solution) for solution in taken]  # values in variable order
    writer = BINDINGS_WRITERS[fmt]

    def write(count: int) -> bytes:
        cut = over_rows or count < len(rows)
        return writer(variables, rows[:count], count if cut else None)

    body, count = fit_within_bytes(write, len(rows), request.max_bytes)
    return Outcome(answer=cut_answer("bindings", fmt, len(rows), body, over_rows, count))


def _run(store: ox.Store, request: QueryRequest, prefixes: Sequence[tuple[str, str]]) -> Outcome:
    try:
        result = _evaluate(store, request)
    except SyntaxError as error:
        return Outcome(error=syntax_error(error, request.query))
    kind: AnswerKind
    if isinstance(result, ox.QuerySolutions):
        kind = "bindings"
    elif isinstance(result, ox.QueryBoolean):
        kind = "boolean"
    else:
        kind = "graph"
    format_name = request.formats.for_kind(kind)
    if format_name is None:
        return Outcome(not_acceptable=kind)
    if isinstance(result, ox.QuerySolutions):
        return _bindings(store, request, result, format_name)
    if isinstance(result, ox.QueryBoolean):
        body = write_boolean(result, format_name)
        return Outcome(answer=QueryAnswer(kind, format_name, body, 1, truncated=False))
    triples, over_rows = take(result, request.max_rows)
    body, count = fit_within_bytes(
        lambda n: write_graph(triples[:n], format_name, prefixes),
        len(triples),
        request.max_bytes,
    )
    return Outcome(answer=cut_answer(kind, format_name, len(triples), body, over_rows, count))


def execute_query(
    store: ox.Store, request: QueryRequest, *, prefixes: Sequence[tuple[str, str]] = ()
) -> Outcome:
    """Run `request`; every error a client can cause comes back as data. `prefixes`
    (prefix, namespace) are those a Turtle, TriG or RDF/XML answer may use."""
    try:
        return _run(store, request, prefixes)
    except KompassError as error:
        return Outcome(error=ClientError.of(error))
    except (ValueError, OSError, RuntimeError) as error:
        # Oxigraph reports evaluation failures as these; the message is the engine's,
        # with nothing internal in it.
        return Outcome(error=ClientError("usage", f"the query could not be evaluated: {error}"))
