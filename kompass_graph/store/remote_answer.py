"""A remote store's answer, re-written by our writers under our limits.

The remote store answers SELECT and ASK in SPARQL JSON and graph queries in N-Triples;
both are parsed into Oxigraph terms and written again as the embedded store writes
them (`answers.py`: Oxigraph's writers when within the limits, ours row by row when the
answer must be cut), so every store gives the same bytes, the same row and byte limits
and the same truncation notices. A body that does not parse is the store's fault (502).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pyoxigraph as ox

from kompass_graph.errors import StoreBadAnswerError
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
from kompass_graph.store.interface import (
    AnswerKind,
    NoFormatForAnswerError,
    QueryAnswer,
    QueryRequest,
)

__all__ = ["GRAPH_ACCEPT", "RESULTS_ACCEPT", "rewrite_answer"]

_JSON_RESULTS = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
#: what we ask a remote store for: SPARQL JSON for solutions and booleans, N-Triples
#: for graphs (both exact, streamable, and parsed by Oxigraph)
RESULTS_ACCEPT = f"{_JSON_RESULTS}, {_NTRIPLES};q=0.9, text/plain;q=0.1"
#: for CONSTRUCT and DESCRIBE: Virtuoso answers them in SPARQL JSON (?s ?p ?o rows)
#: when that is what the client prefers
GRAPH_ACCEPT = f"{_NTRIPLES}, text/plain;q=0.1"
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BOOLEAN_WORDS = {"1": "true", "0": "false"}


def _boolean_words(body: bytes) -> bytes:
    """Virtuoso's SPARQL JSON with xsd:boolean values as `true`/`false`: it stores
    them as numbers and writes `"1"`/`"0"`, the same values in the other lexical form,
    where every other store writes back the data's `true`/`false`."""
    try:
        parsed = json.loads(body)
        rows = parsed["results"]["bindings"]
    except (ValueError, KeyError, TypeError):
        return body  # an ASK answer, or one the parser will refuse with its message
    changed = False
    for row in rows:
        for term in row.values() if isinstance(row, dict) else ():
            if isinstance(term, dict) and term.get("datatype") == _BOOLEAN:
                word = _BOOLEAN_WORDS.get(term.get("value", ""))
                if word is not None:
                    term["value"], changed = word, True
    return json.dumps(parsed).encode() if changed else body


def _parse_results(body: bytes, store: str) -> ox.QuerySolutions | ox.QueryBoolean:
    try:
        return ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as error:
        raise StoreBadAnswerError(
            f"the store at {store} sent SPARQL JSON results that do not parse: {error}"
        ) from None


def _bindings(
    first: ox.QuerySolutions, body: bytes, request: QueryRequest, fmt: str, store: str
) -> QueryAnswer:
    cap = min(NATIVE_BYTE_CAP, request.max_bytes)
    native = write_bindings_natively(first, fmt, request.max_rows, byte_cap=cap)
    if native is not None:
        written, count = native
        return QueryAnswer("bindings", fmt, written, count, truncated=False)
    solutions = _parse_results(body, store)  # the native writer consumed `first`
    assert isinstance(solutions, ox.QuerySolutions)
    variables = [v.value for v in solutions.variables]
    taken, over_rows = take(solutions, request.max_rows)
    rows = [tuple(solution) for solution in taken]
    writer = BINDINGS_WRITERS[fmt]

    def write(count: int) -> bytes:
        cut = over_rows or count < len(rows)
        return writer(variables, rows[:count], count if cut else None)

    written, count = fit_within_bytes(write, len(rows), request.max_bytes)
    return cut_answer("bindings", fmt, len(rows), written, over_rows, count)


def _graph(
    body: bytes, request: QueryRequest, fmt: str, store: str, prefixes: Sequence[tuple[str, str]]
) -> QueryAnswer:
    try:
        quads = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        triples, over_rows = take((quad.triple for quad in quads), request.max_rows)
    except (SyntaxError, ValueError) as error:
        raise StoreBadAnswerError(
            f"the store at {store} sent N-Triples that do not parse: {error}"
        ) from None
    written, count = fit_within_bytes(
        lambda n: write_graph(triples[:n], fmt, prefixes), len(triples), request.max_bytes
    )
    return cut_answer("graph", fmt, len(triples), written, over_rows, count)


def rewrite_answer(
    body: bytes,
    content_type: str,
    request: QueryRequest,
    *,
    store: str,
    prefixes: Sequence[tuple[str, str]] = (),
    boolean_words: bool = False,
) -> QueryAnswer:
    """The answer of `request` from the store's `body` of `content_type`, written in the
    format the request chose for its kind; `store` names the store in messages;
    `boolean_words`: a Virtuoso's `"1"`/`"0"` booleans are written `true`/`false`."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type in (_NTRIPLES, "text/plain"):
        fmt = request.formats.for_kind("graph")
        if fmt is None:
            raise NoFormatForAnswerError("graph")
        return _graph(body, request, fmt, store, prefixes)
    if media_type not in (_JSON_RESULTS, "application/json"):
        raise StoreBadAnswerError(
            f"the store at {store} answered with {media_type or 'no media type'}, "
            f"not SPARQL JSON results or N-Triples"
        )
    if boolean_words:
        body = _boolean_words(body)
    result = _parse_results(body, store)
    kind: AnswerKind = "boolean" if isinstance(result, ox.QueryBoolean) else "bindings"
    fmt = request.formats.for_kind(kind)
    if fmt is None:
        raise NoFormatForAnswerError(kind)
    if isinstance(result, ox.QueryBoolean):
        return QueryAnswer("boolean", fmt, write_boolean(result, fmt), 1, truncated=False)
    return _bindings(result, body, request, fmt, store)
