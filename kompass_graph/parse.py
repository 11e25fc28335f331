"""One RDF file → an rdflib graph, or a clear ParseError naming file, line and column.

Syntax is checked with Oxigraph's parsers first: they are fast and report exact
positions. RDF/XML never expands DTD entities and JSON-LD never fetches remote
contexts (see `_refuse_unsafe_rdfxml`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kompass_graph.errors import ParseError, Position, UsageError
from kompass_graph.sources import RDF_SUFFIXES

__all__ = [
    "check_syntax",
    "oxigraph_format",
    "parse_graph",
    "parse_into",
    "rdf_format_of",
]

_OX_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "xml": ox.RdfFormat.RDF_XML,
    "json-ld": ox.RdfFormat.JSON_LD,
    "n3": ox.RdfFormat.N3,
}

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def rdf_format_of(path: Path) -> str:
    try:
        return RDF_SUFFIXES[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(RDF_SUFFIXES))
        raise UsageError(
            f"{path}: unknown RDF file type {path.suffix or '(no suffix)'!r}",
            hint=f"use one of {known}",
        ) from None


def oxigraph_format(path: Path) -> ox.RdfFormat:
    return _OX_FORMATS[rdf_format_of(path)]


def _refuse_unsafe_rdfxml(path: Path, content: bytes) -> None:
    """Entity declarations are how XML bombs and file disclosure work; we read none."""
    match = _DOCTYPE.search(content)
    if match:
        line = content.count(b"\n", 0, match.start()) + 1
        raise ParseError(
            "RDF/XML with a DOCTYPE or ENTITY declaration is refused (entities are never expanded)",
            file=str(path),
            position=Position(line),
        )


def check_syntax(path: Path) -> None:
    """Parse the file once with Oxigraph; raise ParseError with the first error's position."""
    if not path.is_file():
        raise ParseError("file not found", file=str(path))
    fmt = oxigraph_format(path)
    content = path.read_bytes()
    if fmt == ox.RdfFormat.RDF_XML:
        _refuse_unsafe_rdfxml(path, content)
    try:
        for _ in ox.parse(content, format=fmt, base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as error:
        raise ParseError(
            str(error.msg or error), file=str(path), position=Position(error.lineno, error.offset)
        ) from None
    except (ValueError, OSError) as error:
        raise ParseError(str(error), file=str(path)) from None


def parse_into(target: Graph, path: Path) -> None:
    """Add the triples (or quads) of `path` to `target`, after a syntax check."""
    check_syntax(path)
    fmt = rdf_format_of(path)
    try:
        target.parse(path, format=fmt)
    except Exception as error:  # rdflib raises many types; the syntax was already checked
        raise ParseError(str(error), file=str(path)) from None


def parse_graph(paths: list[Path]) -> Graph:
    """All files merged into one rdflib graph (quads land in their named graphs)."""
    dataset = Dataset(default_union=True)
    for path in paths:
        parse_into(dataset, path)
    return dataset
