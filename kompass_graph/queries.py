"""Stored queries: the `sparql/*.rq` files, their comment headers and safe parameters.

A stored query starts with a comment header:

    # title: Participating municipalities
    # description: Which municipalities take part in a project?
    # param: project (iri) — IRI of the project (default: project:interkulturelle-…)
    # expect: rows >= 1

Parameters are SPARQL variables bound by the store's substitution mechanism, never
spliced into the text, so a value cannot change the query's shape. The word in
parentheses after the name is the parameter's type (`PARAMETER_TYPES`): what the
REST API accepts and documents for it; without one, a parameter whose default is an
IRI or prefixed name is an IRI, any other a string.

`# expect:` says how many rows the query answers with its default parameters, for
`kompass-graph check`: `rows >= N`, `rows = N` or `empty`; without one, a stored
query must return at least one row (a question with no answer is mostly a broken
query or missing data).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from kompass_graph.errors import SourceNotFoundError, UsageError
from kompass_graph.namespaces import DEFAULT_BASE_IRI
from kompass_graph.settings import Settings
from kompass_graph.sources import find_project_files

__all__ = [
    "PARAMETER_TYPES",
    "QueryParameter",
    "RowExpectation",
    "StoredQuery",
    "find_stored_query",
    "load_stored_queries",
    "parse_stored_query",
    "project_queries",
]

_HEADER = re.compile(r"^#\s*(title|description|param|returns|expect)\s*:\s*(.*)$", re.IGNORECASE)
_PARAM = re.compile(r"^(\w+)\s*(?:\((\w+)\))?\s*(?:[—-]+\s*(.*?))?\s*(?:\(default:\s*(.+)\))?\s*$")
_EXPECT = re.compile(r"^(?:rows\s*(>=|=)\s*(\d+)|(empty))$", re.IGNORECASE)
# a default written as an IRI: <…>, http(s)://… or prefix:local
_IRI_LIKE = re.compile(r"^(<[^<>]*>|https?://\S+|[A-Za-z][\w-]*:[\w.-]*)$")

#: the types a parameter may declare, and the XSD datatype its value is bound as
#: (None: an IRI; string: a plain literal)
PARAMETER_TYPES: dict[str, str | None] = {
    "iri": None,
    "string": "http://www.w3.org/2001/XMLSchema#string",
    "integer": "http://www.w3.org/2001/XMLSchema#integer",
    "decimal": "http://www.w3.org/2001/XMLSchema#decimal",
    "boolean": "http://www.w3.org/2001/XMLSchema#boolean",
    "date": "http://www.w3.org/2001/XMLSchema#date",
    "year": "http://www.w3.org/2001/XMLSchema#gYear",
}


@dataclass(frozen=True)
class QueryParameter:
    name: str
    description: str = ""
    default: str | None = None
    #: one of PARAMETER_TYPES
    type: str = "string"


@dataclass(frozen=True)
class RowExpectation:
    """How many rows a stored query answers with its default parameters: at least
    `minimum`, and at most `maximum` when there is one."""

    minimum: int = 1
    maximum: int | None = None

    def admits(self, rows: int) -> bool:
        return rows >= self.minimum and (self.maximum is None or rows <= self.maximum)

    def __str__(self) -> str:
        """The header's own wording: `rows >= 1`, `rows = 3`, `empty`."""
        if self.maximum is None:
            return f"rows >= {self.minimum}"
        return "empty" if self.maximum == 0 else f"rows = {self.maximum}"


@dataclass(frozen=True)
class StoredQuery:
    """One `.rq` file: its name (file stem), header fields and text."""

    name: str
    title: str
    description: str
    text: str
    path: Path
    parameters: tuple[QueryParameter, ...] = field(default_factory=tuple)
    #: the `# expect:` header; by default at least one row
    expect: RowExpectation = field(default_factory=RowExpectation)


def parse_stored_query(path: Path) -> StoredQuery:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[str]] = {"title": [], "description": [], "param": [], "expect": []}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if match and match.group(1).lower() in fields:
            fields[match.group(1).lower()].append(match.group(2).strip())
    if not fields["title"]:
        raise UsageError(f"{path}: a stored query needs a '# title: …' line in its comment header")
    parameters = tuple(_parse_param(path, spec) for spec in fields["param"])
    if len(fields["expect"]) > 1:
        raise UsageError(f"{path}: a stored query has at most one '# expect: …' line")
    expect = _parse_expect(path, fields["expect"][0]) if fields["expect"] else RowExpectation()
    return StoredQuery(
        name=path.stem,
        title=fields["title"][0],
        description=" ".join(fields["description"]),
        text=text,
        path=path,
        parameters=parameters,
        expect=expect,
    )


def _parse_expect(path: Path, spec: str) -> RowExpectation:
    match = _EXPECT.match(spec.strip())
    if not match:
        raise UsageError(
            f"{path}: cannot read '# expect: {spec}'",
            hint="write 'rows >= N', 'rows = N' or 'empty'",
        )
    operator, count, empty = match.groups()
    if empty:
        return RowExpectation(minimum=0, maximum=0)
    if operator == "=":
        return RowExpectation(minimum=int(count), maximum=int(count))
    return RowExpectation(minimum=int(count))


def _parse_param(path: Path, spec: str) -> QueryParameter:
    match = _PARAM.match(spec)
    if not match:
        raise UsageError(f"{path}: cannot read parameter line '# param: {spec}'")
    name, declared, description, default = match.groups()
    if declared is None:
        declared = "iri" if default is not None and _IRI_LIKE.match(default) else "string"
    if declared not in PARAMETER_TYPES:
        raise UsageError(
            f"{path}: parameter {name!r} has the unknown type {declared!r}",
            hint=f"use one of {', '.join(PARAMETER_TYPES)}",
        )
    return QueryParameter(name=name, description=description or "", default=default, type=declared)


def load_stored_queries(
    files: list[Path], *, base_iri: str = DEFAULT_BASE_IRI
) -> dict[str, StoredQuery]:
    """Every stored query by name, in file order; our IRIs written under the canonical
    base are moved to `base_iri`, as the loaded data is (see store/rebase.py)."""
    queries = {}
    for path in files:
        query = parse_stored_query(path)
        if base_iri != DEFAULT_BASE_IRI:
            query = replace(query, text=query.text.replace(DEFAULT_BASE_IRI, base_iri))
        queries[query.name] = query
    return queries


def find_stored_query(queries: dict[str, StoredQuery], name: str) -> StoredQuery:
    try:
        return queries[name]
    except KeyError:
        known = ", ".join(sorted(queries)) or "(none)"
        raise SourceNotFoundError(
            f"no stored query named {name!r}",
            hint=f"known: {known}; see 'kompass-graph query --list'",
        ) from None


def project_queries(settings: Settings) -> dict[str, StoredQuery]:
    """The project's stored queries (sparql/*.rq) under `settings.base_iri`, in file
    order: the registry the server's query page (and, next, its API) is built from."""
    files = find_project_files(settings.project_root).queries
    return load_stored_queries(files, base_iri=settings.base_iri)
