"""The release's dumps: every statement of the store in one fixed order, in every format.

Determinism is the point: the same files loaded give byte-identical dumps. So the
statements are put in the order of their N-Quads lines (code-point order of the UTF-8
bytes, as `LC_ALL=C sort` orders them), blank nodes, should the data ever hold any,
are renamed by RDF Dataset Canonicalization (RDFC-1.0, labels `c14n0`, `c14n1`, …)
instead of the random labels a parser assigns, and gzip writes no time and no file name
into its header. The formats are written by `store.documents.write_statements`, the
writer of every RDF document we serve.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from kompass_graph.store.documents import Statement, write_statements
from kompass_graph.terms import Term

__all__ = [
    "QUAD_FORMATS",
    "TRIPLE_FORMATS",
    "canonical_statements",
    "gzip_bytes",
    "nquads_lines",
    "write_dump",
]

#: formats that keep the named graphs
QUAD_FORMATS = ("nquads", "trig")
#: formats of the union of the graphs, each triple once
TRIPLE_FORMATS = ("ntriples", "turtle", "jsonld", "rdfxml")

_NQ = ox.RdfFormat.N_QUADS
_NT = ox.RdfFormat.N_TRIPLES


def _term(node: ox.NamedNode | ox.BlankNode | ox.Literal) -> Term:
    if isinstance(node, ox.NamedNode):
        return Term.iri(node.value)
    if isinstance(node, ox.BlankNode):
        return Term.bnode(node.value)
    if node.language:
        return Term.literal(node.value, language=node.language)
    return Term.literal(node.value, datatype=node.datatype.value)


def _statement(quad: ox.Quad) -> Statement:
    graph = None if isinstance(quad.graph_name, ox.DefaultGraph) else _term(quad.graph_name)
    subject = quad.subject
    assert not isinstance(subject, ox.Triple), "RDF-star triple terms are not published"
    obj = quad.object
    assert not isinstance(obj, ox.Triple), "RDF-star triple terms are not published"
    return Statement(_term(subject), _term(quad.predicate), _term(obj), graph)


def _has_blank_node(quad: ox.Quad) -> bool:
    return any(
        isinstance(term, ox.BlankNode) for term in (quad.subject, quad.object, quad.graph_name)
    )


def _lines(quads: Sequence[ox.Quad], fmt: ox.RdfFormat) -> list[bytes]:
    """One line per quad (N-Quads/N-Triples escape every line break in a literal)."""
    if fmt == _NQ:
        document = ox.serialize(quads, format=fmt)
    else:
        document = ox.serialize([q.triple for q in quads], format=fmt)
    lines = (document or b"").splitlines()
    assert len(lines) == len(quads), "the N-Quads writer wrote other than one line a quad"
    return lines


def canonical_statements(nquads: bytes) -> list[Statement]:
    """The statements of an N-Quads document, each once, blank nodes renamed by
    RDFC-1.0, in the order of their N-Quads lines."""
    quads = list(ox.parse(nquads, format=_NQ))
    if any(_has_blank_node(q) for q in quads):
        # a parser's blank-node labels are random; canonical labels depend on the data only
        dataset = ox.Dataset(quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        quads = list(dataset)
    ordered = dict(sorted(zip(_lines(quads, _NQ), quads, strict=True), key=lambda kv: kv[0]))
    return [_statement(q) for q in ordered.values()]


def _triples_in_order(statements: Sequence[Statement]) -> list[Statement]:
    """The union of the graphs: each triple once, in the order of its N-Triples line."""
    quads = [
        ox.Quad(_node(s.subject), ox.NamedNode(s.predicate.value), _ox(s.object))
        for s in statements
    ]
    unique = dict(sorted(zip(_lines(quads, _NT), statements, strict=True), key=lambda kv: kv[0]))
    return [Statement(s.subject, s.predicate, s.object) for s in unique.values()]


def _node(term: Term) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(term.value) if term.kind == "bnode" else ox.NamedNode(term.value)


def _ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if term.kind != "literal":
        return _node(term)
    datatype = ox.NamedNode(term.datatype) if term.datatype else None
    return ox.Literal(term.value, language=term.language, datatype=datatype)


def write_dump(
    statements: Sequence[Statement], format_name: str, *, prefixes: Mapping[str, str]
) -> bytes:
    """The dump in one format, from `canonical_statements`: N-Quads in line order; TriG
    one block per graph (the default graph first, then by graph IRI), each in line order;
    the triple formats the union of the graphs in N-Triples line order."""
    if format_name == "nquads":
        ordered = list(statements)
    elif format_name == "trig":
        # stable: within a graph the N-Quads line order stays
        ordered = sorted(statements, key=lambda s: "" if s.graph is None else s.graph.value)
    elif format_name in TRIPLE_FORMATS:
        ordered = _triples_in_order(statements)
    else:
        raise ValueError(f"no dump format {format_name!r}")
    return write_statements(ordered, format_name, prefixes=prefixes)


def nquads_lines(document: bytes) -> list[str]:
    """The statement lines of an N-Quads document (blank lines and comments left out)."""
    return [
        line
        for line in document.decode("utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def gzip_bytes(data: bytes) -> bytes:
    """`data` gzip-compressed with no time stamp and no file name in the header, so the
    same bytes compress to the same bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as compressed:
        compressed.write(data)
    return buffer.getvalue()
