"""`kompass-graph query`: run a stored query, a .rq file or stdin over ontology + data.

The query runs on the server's own path: an `EmbeddedStore` loaded with the same files,
a `QueryRequest` with typed parameter bindings, `EmbeddedStore.run` (in this process,
without workers). Format names are those of the endpoint's `format=` parameter
(`kompass_graph.formats.FORMATS`), plus `table` for people.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from kompass_graph.cli.table import render_table
from kompass_graph.errors import KompassError, UsageError
from kompass_graph.formats import FORMATS, format_choice_for
from kompass_graph.namespaces import prefix_map
from kompass_graph.queries import StoredQuery, find_stored_query, load_stored_queries
from kompass_graph.settings import Settings
from kompass_graph.sources import find_project_files
from kompass_graph.store import FormatChoice, NoFormatForAnswerError, QueryRequest
from kompass_graph.store.factory import embedded_store
from kompass_graph.terms import Term, parse_term

__all__ = ["OUTPUT_FORMATS", "add_parser", "list_queries", "run", "run_query"]

#: what --format takes: a table for people, or any name the endpoint's format= takes
OUTPUT_FORMATS: tuple[str, ...] = ("table", *(f.name for f in FORMATS))


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    query = commands.add_parser(
        "query",
        help="run a stored query, a .rq file or a query from stdin over ontology + data",
        description="Run SPARQL over the project's ontology and data, as the endpoint does.",
    )
    query.add_argument(
        "query",
        nargs="?",
        metavar="NAME|FILE|-",
        help="stored query name, .rq file, or - for stdin",
    )
    query.add_argument("--list", action="store_true", help="list the stored queries and exit")
    query.add_argument(
        "--format",
        default="table",
        help="table (default), or a result format as the endpoint's format= parameter "
        f"names it: {', '.join(OUTPUT_FORMATS[1:])}",
    )
    query.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind a query variable: an IRI <…>, a prefixed name or a literal",
    )
    query.add_argument(
        "--data", action="append", type=Path, default=[], metavar="FILE", help="extra RDF file"
    )
    query.set_defaults(run=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.list:
        sys.stdout.write(list_queries(settings))
        return 0
    if not args.query:
        raise KompassError("name a stored query, a .rq file or '-'", hint="or use --list")
    sys.stdout.write(
        run_query(
            settings,
            args.query,
            params=args.param,
            extra_data=args.data,
            fmt=args.format,
            stdin=sys.stdin,
        )
    )
    return 0


def list_queries(settings: Settings) -> str:
    """One line per stored query: name and title."""
    project = find_project_files(settings.project_root)
    queries = load_stored_queries(project.queries)
    if not queries:
        raise UsageError(f"no stored queries in {project.root / 'sparql'}")
    width = max(len(name) for name in queries)
    return "".join(f"{name:<{width}}  {q.title}\n" for name, q in queries.items())


def _resolve(
    settings: Settings, spec: str, stdin: TextIO | None
) -> tuple[str, str, StoredQuery | None]:
    """(query text, where it came from, the stored query if it is one)."""
    if spec == "-":
        if stdin is None:
            raise UsageError("'-' reads the query from standard input, but there is none")
        return stdin.read(), "<stdin>", None
    path = Path(spec)
    if path.suffix == ".rq" or path.is_file():
        if not path.is_file():
            raise UsageError(f"query file not found: {path}")
        return path.read_text(encoding="utf-8"), str(path), None
    project = find_project_files(settings.project_root)
    stored = find_stored_query(
        load_stored_queries(project.queries, base_iri=settings.base_iri), spec
    )
    return stored.text, str(stored.path), stored


def _bindings(
    stored: StoredQuery | None, params: Sequence[str], prefixes: dict[str, str]
) -> dict[str, Term]:
    """Variable → term: defaults from the stored query's header, then --param."""
    bindings: dict[str, Term] = {}
    if stored is not None:
        for parameter in stored.parameters:
            if parameter.default is not None:
                bindings[parameter.name] = parse_term(parameter.default, prefixes)
    known = {p.name for p in stored.parameters} if stored is not None else None
    for param in params:
        name, sep, value = param.partition("=")
        if not sep or not re.fullmatch(r"\w+", name):
            raise UsageError(f"--param {param!r}: expected NAME=VALUE")
        if known is not None and name not in known:
            raise UsageError(
                f"--param {name}: the stored query has no such parameter",
                hint=f"its parameters: {', '.join(sorted(known)) or '(none)'}",
            )
        bindings[name] = parse_term(value, prefixes)
    return bindings


def _formats(fmt: str) -> FormatChoice:
    """--format as one format per kind of answer, the way the endpoint reads format=."""
    if fmt == "table":
        return FormatChoice(bindings="json", boolean="json", graph=None)
    try:
        return format_choice_for(fmt)
    except UsageError:
        raise UsageError(
            f"unknown format {fmt!r}", hint=f"use one of {', '.join(OUTPUT_FORMATS)}"
        ) from None


def run_query(
    settings: Settings,
    spec: str,
    *,
    params: Sequence[str] = (),
    extra_data: Sequence[Path] = (),
    fmt: str = "table",
    stdin: TextIO | None = None,
) -> str:
    """Run the query over the project's ontology and data and return the output text."""
    formats = _formats(fmt)
    text, origin, stored = _resolve(settings, spec, stdin)
    prefixes = prefix_map(settings.base_iri)
    project = find_project_files(settings.project_root)
    # the server's store, in memory (never a server's on-disk one), entailments and all:
    # the CLI answers what /sparql answers
    store = embedded_store(settings.model_copy(update={"store": None}))
    store.load([*project.graph_files, *extra_data])
    request = QueryRequest(
        query=text,
        formats=formats,
        union_default_graph=settings.union_default_graph,
        max_rows=settings.max_result_rows,
        max_bytes=settings.max_result_bytes,
        bindings=tuple(_bindings(stored, params, prefixes).items()),
        source=origin,
    )
    try:
        answer = store.run(request)
    except NoFormatForAnswerError as error:
        if fmt == "table":
            raise UsageError(
                "a CONSTRUCT or DESCRIBE query has no table", hint="use --format turtle"
            ) from None
        raise UsageError(
            f"a {error.kind} answer cannot be written as {fmt}",
            hint="for CONSTRUCT and DESCRIBE use turtle, ntriples, rdfxml, jsonld, trig or "
            "nquads; for SELECT and ASK json, xml, csv or tsv",
        ) from None
    if answer.truncated:
        limit = "max_result_bytes" if answer.cut_by == "bytes" else "max_result_rows"
        print(f"kompass-graph: the answer was cut at {answer.rows} rows ({limit})", file=sys.stderr)
    body = answer.body.decode("utf-8")
    return render_table(body, prefixes) if fmt == "table" else body
