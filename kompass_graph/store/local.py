"""An in-process Oxigraph store for the CLI: load files, run one query, serialise.

The server's store (with worker processes, timeouts and limits) lives beside this;
the CLI needs none of that, only exact answers and clear errors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kompass_graph.errors import ParseError, Position, QuerySyntaxError, UsageError
from kompass_graph.parse import check_syntax, oxigraph_format
from kompass_graph.store.execution import syntax_error
from kompass_graph.store.guard import has_dataset_clause
from kompass_graph.store.rebase import Rebase

__all__ = ["LocalResult", "LocalStore", "open_memory_store"]

_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}


@dataclass(frozen=True)
class LocalResult:
    kind: str  # "solutions" | "boolean" | "graph"
    body: bytes


def _term(text: str) -> ox.NamedNode | ox.Literal:
    """A SPARQL term as written by `queries.parse_parameter_value`."""
    if text.startswith("<") and text.endswith(">"):
        return ox.NamedNode(text[1:-1])
    match = re.fullmatch(r'"((?:[^"\\]|\\.)*)"(?:@([\w-]+)|\^\^<([^>]+)>)?', text, re.DOTALL)
    if not match:
        raise UsageError(f"cannot read {text!r} as an IRI or literal")
    value = match.group(1).replace('\\"', '"').replace("\\\\", "\\")
    if match.group(2):
        return ox.Literal(value, language=match.group(2))
    if match.group(3):
        return ox.Literal(value, datatype=ox.NamedNode(match.group(3)))
    return ox.Literal(value)


class LocalStore:
    """Ontology + data in one in-memory Oxigraph store. Queries see the union of all
    graphs as their default graph, as the server does by default: our data is one named
    graph per source."""

    def __init__(self, *, rebase: Rebase | None = None) -> None:
        self._store = ox.Store()
        self._rebase = rebase if rebase is not None and not rebase.is_identity else None

    def load(self, path: Path) -> None:
        check_syntax(path)
        try:
            if self._rebase is None:
                self._store.bulk_load(path=str(path), format=oxigraph_format(path))
            else:
                parsed = ox.parse(path=str(path), format=oxigraph_format(path))
                self._store.bulk_extend(self._rebase.quads(parsed))
        except (SyntaxError, ValueError, OSError) as error:
            raise ParseError(str(error), file=str(path)) from None

    def query(
        self,
        text: str,
        *,
        bindings: Mapping[str, str] | None = None,
        result_format: str = "json",
        source: str = "query",
    ) -> LocalResult:
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): _term(v) for k, v in (bindings or {}).items()
        }
        try:
            result = self._store.query(
                text,
                substitutions=substitutions,
                use_default_graph_as_union=not has_dataset_clause(text),
            )
        except SyntaxError as error:
            found = syntax_error(error, text)  # the server's reading of the parser's message
            if found.kind != "syntax":
                raise found.to_error() from None
            position = Position(found.line, found.column)
            raise QuerySyntaxError(found.message, position=position, source=source) from None
        except (ValueError, OSError, RuntimeError) as error:
            # Oxigraph raises RuntimeError for a substitution of a variable the query lacks
            raise UsageError(f"{source}: {error}") from None
        if isinstance(result, ox.QueryTriples):
            graph_format = _GRAPH_FORMATS.get(result_format)
            if graph_format is None:
                raise UsageError(
                    f"a graph result cannot be written as {result_format}",
                    hint=f"use one of {', '.join(_GRAPH_FORMATS)}",
                )
            return LocalResult("graph", result.serialize(format=graph_format) or b"")
        results_format = _RESULT_FORMATS.get(result_format)
        if results_format is None:
            raise UsageError(
                f"SELECT and ASK results cannot be written as {result_format}",
                hint=f"use one of {', '.join(_RESULT_FORMATS)}",
            )
        kind = "boolean" if isinstance(result, ox.QueryBoolean) else "solutions"
        return LocalResult(kind, result.serialize(format=results_format) or b"")


def open_memory_store(paths: Sequence[Path], *, rebase: Rebase | None = None) -> LocalStore:
    store = LocalStore(rebase=rebase)
    for path in paths:
        store.load(path)
    return store
