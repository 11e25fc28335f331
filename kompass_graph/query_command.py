"""`kompass-graph query`: run a stored query, a .rq file or stdin over ontology + data."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from kompass_graph.errors import UsageError
from kompass_graph.namespaces import DEFAULT_BASE_IRI, our_namespaces, standard_prefixes
from kompass_graph.queries import (
    StoredQuery,
    find_stored_query,
    load_stored_queries,
    parse_parameter_value,
)
from kompass_graph.results import QUERY_OUTPUT_FORMATS, render_table
from kompass_graph.settings import Settings
from kompass_graph.sources import find_project_files
from kompass_graph.store.local import open_memory_store
from kompass_graph.store.rebase import Rebase

__all__ = ["list_queries", "run_query"]


def _prefixes(settings: Settings) -> dict[str, str]:
    return {**standard_prefixes(), **our_namespaces(settings.base_iri).prefixes()}


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
) -> dict[str, str]:
    """Variable → SPARQL term: defaults from the stored query's header, then --param."""
    bindings: dict[str, str] = {}
    if stored is not None:
        for parameter in stored.parameters:
            if parameter.default is not None:
                bindings[parameter.name] = parse_parameter_value(parameter.default, prefixes)
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
        bindings[name] = parse_parameter_value(value, prefixes)
    return bindings


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
    if fmt not in QUERY_OUTPUT_FORMATS:
        raise UsageError(
            f"unknown format {fmt!r}", hint=f"use one of {', '.join(QUERY_OUTPUT_FORMATS)}"
        )
    text, origin, stored = _resolve(settings, spec, stdin)
    prefixes = _prefixes(settings)
    project = find_project_files(settings.project_root)
    store = open_memory_store(
        [*project.graph_files, *extra_data], rebase=Rebase(DEFAULT_BASE_IRI, settings.base_iri)
    )
    result = store.query(
        text,
        bindings=_bindings(stored, params, prefixes),
        result_format=QUERY_OUTPUT_FORMATS[fmt],
        source=origin,
    )
    if fmt == "table":
        if result.kind == "graph":
            raise UsageError(
                "a CONSTRUCT or DESCRIBE query has no table", hint="use --format turtle"
            )
        return render_table(result.body.decode("utf-8"), prefixes)
    return result.body.decode("utf-8")
