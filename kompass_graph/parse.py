"""One RDF file → an rdflib graph, or a clear ParseError naming file, line and column.

Syntax is checked with Oxigraph's parsers first: they are fast and report exact
positions. RDF/XML never expands DTD entities and JSON-LD never fetches remote
contexts (see `_refuse_unsafe_rdfxml`).

`parse_file` keeps graph membership: a TriG or N-Quads file comes back as its default
graph and its named graphs. Those are read with Oxigraph's parser and converted to
rdflib terms, because rdflib 7.6's `Dataset` raises its own DeprecationWarnings while
parsing; files of the other formats are one default graph, read by rdflib as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kompass_graph.errors import ParseError, Position, UsageError
from kompass_graph.sources import RDF_SUFFIXES

__all__ = [
    "QUAD_FORMATS",
    "ParsedFile",
    "check_syntax",
    "oxigraph_format",
    "parse_error",
    "parse_file",
    "parse_into",
    "rdf_format_of",
]

#: our format names that can hold named graphs (read graph by graph by `parse_file`)
QUAD_FORMATS = frozenset({"trig", "nquads"})

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


def _oxigraph_quads(path: Path) -> Iterator[ox.Quad]:
    """The file's quads as Oxigraph parses them; errors become ParseError with position."""
    if not path.is_file():
        raise ParseError("file not found", file=str(path))
    fmt = oxigraph_format(path)
    content = path.read_bytes()
    if fmt == ox.RdfFormat.RDF_XML:
        _refuse_unsafe_rdfxml(path, content)
    try:
        yield from ox.parse(content, format=fmt, base_iri=path.resolve().as_uri())
    except SyntaxError as error:
        raise parse_error(error, path) from None
    except (ValueError, OSError) as error:
        raise ParseError(str(error), file=str(path)) from None


def parse_error(error: SyntaxError, path: Path) -> ParseError:
    """Oxigraph's SyntaxError for a file as our ParseError, with line and column."""
    message = str(error.msg or error)
    return ParseError(message, file=str(path), position=Position(error.lineno, error.offset))


def check_syntax(path: Path) -> None:
    """Parse the file once with Oxigraph; raise ParseError with the first error's position."""
    for _ in _oxigraph_quads(path):
        pass


def parse_into(target: Graph, path: Path) -> None:
    """Add the triples (or quads) of `path` to `target`, after a syntax check."""
    check_syntax(path)
    fmt = rdf_format_of(path)
    try:
        target.parse(path, format=fmt)
    except Exception as error:  # rdflib raises many types; the syntax was already checked
        raise ParseError(str(error), file=str(path)) from None


@dataclass(frozen=True)
class ParsedFile:
    """One RDF file graph by graph. `union` holds every triple of the file; for a file
    without named graphs it is the default graph itself."""

    path: Path
    format: str
    default: Graph
    named: dict[Node, Graph] = field(default_factory=dict)
    union: Graph = field(default_factory=Graph)

    @property
    def can_name_graphs(self) -> bool:
        """True for TriG and N-Quads, the formats whose default graph is a graph of its own."""
        return self.format in QUAD_FORMATS


def parse_file(path: Path) -> ParsedFile:
    """`path` with the named graph of every triple kept (see the module docstring)."""
    fmt = rdf_format_of(path)
    if fmt not in QUAD_FORMATS:
        graph = Graph()
        parse_into(graph, path)
        return ParsedFile(path=path, format=fmt, default=graph, union=graph)
    default, union = Graph(), Graph()
    named: dict[Node, Graph] = {}
    blanks: dict[str, BNode] = {}  # Oxigraph keeps labels; a file's blank nodes are its own
    for quad in _oxigraph_quads(path):
        s, p, o = (
            _rdflib_term(t, blanks, path) for t in (quad.subject, quad.predicate, quad.object)
        )
        name = quad.graph_name
        target = (
            default
            if isinstance(name, ox.DefaultGraph)
            else named.setdefault(_rdflib_term(name, blanks, path), Graph())
        )
        target.add((s, p, o))
        union.add((s, p, o))
    return ParsedFile(path=path, format=fmt, default=default, named=named, union=union)


def _rdflib_term(term: object, blanks: dict[str, BNode], path: Path) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return blanks.setdefault(term.value, BNode())
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)  # as rdflib's own parsers write a plain string
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise ParseError("RDF-star quoted triples are not supported", file=str(path))
