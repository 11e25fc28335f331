"""Serialise query answers inside the worker process, never past `max_rows`.

Oxigraph's own writers are fast but write every solution. So a SELECT answer is
written by Oxigraph into a sink capped in bytes, and its rows are counted at C speed
(exactly, by `count_rows`); only an answer over the row or byte limit is computed again and
written here row by row, cut at `max_rows` and marked as cut. CONSTRUCT answers take
at most `max_rows` triples and hand them to Oxigraph's writer.
Only `kompass_graph.store` imports this module: it touches pyoxigraph terms.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import IO, TypeVar, cast
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kompass_graph.store.interface import AnswerKind, QueryAnswer

__all__ = [
    "BINDINGS_WRITERS",
    "GRAPH_FORMATS",
    "NATIVE_BYTE_CAP",
    "count_rows",
    "cut_answer",
    "fit_within_bytes",
    "take",
    "write_bindings_natively",
    "write_boolean",
    "write_graph",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Row = Sequence[object | None]
BindingsWriter = Callable[[list[str], Sequence[Row], int | None], bytes]

GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}
_BOOLEAN_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
_RESULTS_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
#: answers up to this size are written by Oxigraph (fast); larger ones row by row (bounded)
NATIVE_BYTE_CAP = 64 << 20


class _OverCapError(Exception):
    """Raised from inside Oxigraph's writer to stop it past the byte cap."""


class _BoundedSink:
    """A write-only binary stream that refuses to grow past `cap` bytes."""

    def __init__(self, cap: int) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.cap = cap

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.cap:
            raise _OverCapError
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None


def count_rows(body: bytes, format_name: str) -> int:
    """Solutions in a results document as Oxigraph writes it, counted exactly, at C speed
    where the format allows it."""
    if format_name == "json":
        # A solution starts with `[{"` or `,{"`; inside a literal the quote would be
        # escaped (`{\"`), so those never occur in text. Only an empty solution `{}`
        # cannot be told from text that contains `{}`: then parse.
        if b"[{}" in body or b",{}" in body:
            return len(json.loads(body)["results"]["bindings"])
        return body.count(b'[{"') + body.count(b',{"')
    if format_name == "xml":
        return body.count(b"<result>")  # `<` in text is always escaped as &lt;
    if format_name == "tsv":
        return body.count(b"\n") - 1  # newlines inside literals are escaped as \\n
    rows = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
    return sum(1 for _ in rows) - 1


def write_bindings_natively(
    solutions: ox.QuerySolutions,
    format_name: str,
    max_rows: int,
    *,
    byte_cap: int = NATIVE_BYTE_CAP,
) -> tuple[bytes, int] | None:
    """Oxigraph's own serialisation and its row count; None when it must be cut
    (more than `max_rows` rows, or more than `byte_cap` bytes)."""
    sink = _BoundedSink(byte_cap)
    try:
        solutions.serialize(cast(IO[bytes], sink), format=_RESULTS_FORMATS[format_name])
    except _OverCapError:
        return None
    body = b"".join(sink.parts)
    rows = count_rows(body, format_name)
    return (body, rows) if rows <= max_rows else None


T = TypeVar("T")


def take(items: Iterable[T], limit: int) -> tuple[list[T], bool]:
    """At most `limit` items, and whether there were more."""
    taken = list(islice(items, limit + 1))
    if len(taken) > limit:
        return taken[:limit], True
    return taken, False


_XSD_STRING_NODE = ox.NamedNode(_XSD_STRING)


def _json_term(term: object) -> dict[str, object]:
    # exact type checks, most frequent first: this runs for every value of every row
    kind = type(term)
    if kind is ox.NamedNode:
        return {"type": "uri", "value": term.value}  # type: ignore[attr-defined]
    if kind is ox.Literal:
        literal: ox.Literal = term  # type: ignore[assignment]
        if literal.language:
            return {"type": "literal", "value": literal.value, "xml:lang": literal.language}
        datatype = literal.datatype
        if datatype == _XSD_STRING_NODE:
            return {"type": "literal", "value": literal.value}
        return {"type": "literal", "value": literal.value, "datatype": datatype.value}
    if kind is ox.BlankNode:
        return {"type": "bnode", "value": term.value}  # type: ignore[attr-defined]
    if kind is ox.Triple:
        triple: ox.Triple = term  # type: ignore[assignment]
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(triple.subject),
                "predicate": _json_term(triple.predicate),
                "object": _json_term(triple.object),
            },
        }
    raise TypeError(f"unexpected term {term!r}")


def _write_json(variables: list[str], rows: Sequence[Row], limit: int | None) -> bytes:
    bindings = [
        {
            name: _json_term(term)
            for name, term in zip(variables, row, strict=True)
            if term is not None
        }
        for row in rows
    ]
    document: dict[str, object] = {"head": {"vars": variables}}
    if limit is not None:
        # Never silently: the body says it was cut, not only the header. Placed before
        # "results" because streaming parsers (Oxigraph's) stop reading after it.
        document["kompass"] = {
            "truncated": True,
            "maxRows": limit,
            "message": f"the result was cut after {limit} rows (the endpoint's limit); "
            "add LIMIT/OFFSET to page through it",
        }
    document["results"] = {"bindings": bindings}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != _XSD_STRING:
            datatype = quoteattr(term.datatype.value)
            return f"<literal datatype={datatype}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    raise TypeError(f"unexpected term {term!r}")


def _write_xml(variables: list[str], rows: Sequence[Row], limit: int | None) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if limit is not None:
        out.append(f"<!-- the result was cut after {limit} rows (the endpoint's limit) -->")
    out.append("<head>")
    out.extend(f"<variable name={quoteattr(v)}/>" for v in variables)
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        for name, term in zip(variables, row, strict=True):
            if term is not None:
                out.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode()


def _csv_value(term: object | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _write_csv(variables: list[str], rows: Sequence[Row], limit: int | None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([_csv_value(term) for term in row] for row in rows)
    return buffer.getvalue().encode()


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", '"': '\\"'})
_XSD = "http://www.w3.org/2001/XMLSchema#"
# SPARQL 1.1 TSV may write these four bare, when the lexical form is the Turtle token
# that reads back as the same datatype; every other literal keeps its quotes and type.
_BARE_TSV = {
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    _XSD + "double": re.compile(r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    _XSD + "boolean": re.compile(r"true|false"),
}


def _tsv_value(term: object | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        bare = _BARE_TSV.get(term.datatype.value)
        if bare is not None and not term.language and bare.fullmatch(term.value):
            return term.value
        lexical = '"' + term.value.translate(_TSV_ESCAPES) + '"'
        if term.language:
            return f"{lexical}@{term.language}"
        if term.datatype.value != _XSD_STRING:
            return f"{lexical}^^<{term.datatype.value}>"
        return lexical
    return str(term)


def _write_tsv(variables: list[str], rows: Sequence[Row], limit: int | None) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines.extend("\t".join(_tsv_value(term) for term in row) for row in rows)
    return ("\n".join(lines) + "\n").encode()


#: format name → writer(variables, rows, limit-if-truncated)
BINDINGS_WRITERS: dict[str, BindingsWriter] = {
    "json": _write_json,
    "xml": _write_xml,
    "csv": _write_csv,
    "tsv": _write_tsv,
}


def write_boolean(answer: ox.QueryBoolean, format_name: str) -> bytes:
    return answer.serialize(format=_BOOLEAN_FORMATS[format_name]) or b""


#: graph formats that can write prefixed names
_PREFIXED_FORMATS = frozenset({"turtle", "trig", "rdfxml"})


def write_graph(
    triples: list[ox.Triple], format_name: str, prefixes: Sequence[tuple[str, str]] = ()
) -> bytes:
    """The triples in `format_name`; Turtle, TriG and RDF/XML with those of `prefixes`
    (prefix, namespace) that the triples use, so answers read as people write RDF."""
    used: dict[str, str] | None = None
    if prefixes and format_name in _PREFIXED_FORMATS:
        used = _used_prefixes(triples, prefixes)
    return ox.serialize(triples, format=GRAPH_FORMATS[format_name], prefixes=used) or b""


def _used_prefixes(
    triples: Sequence[ox.Triple], prefixes: Sequence[tuple[str, str]]
) -> dict[str, str]:
    """The prefixes whose namespace is exactly the namespace part (up to the last '/' or
    '#') of an IRI in `triples`: one dictionary look-up per IRI."""
    by_namespace = {namespace: prefix for prefix, namespace in prefixes}
    found: dict[str, str] = {}
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                iri = term.value
                namespace = iri[: max(iri.rfind("/"), iri.rfind("#")) + 1]
                prefix = by_namespace.get(namespace)
                if prefix is not None:
                    found[prefix] = namespace
    return found


def fit_within_bytes(
    write: Callable[[int], bytes], count: int, max_bytes: int
) -> tuple[bytes, int]:
    """`write(n)` for the largest n ≤ `count` it tried whose body fits `max_bytes`: the
    count shrinks in proportion to the overshoot until the body fits."""
    body = write(count)
    while len(body) > max_bytes and count > 0:
        count = max(0, min(count - 1, int(count * max_bytes / len(body) * 0.95)))
        body = write(count)
    return body, count


def cut_answer(
    kind: AnswerKind, fmt: str, items: int, body: bytes, over_rows: bool, cut: int
) -> QueryAnswer:
    """An answer of `cut` of `items` rows: cut by bytes when fewer than it took."""
    if cut < items:
        return QueryAnswer(kind, fmt, body, cut, truncated=True, cut_by="bytes")
    if over_rows:
        return QueryAnswer(kind, fmt, body, cut, truncated=True, cut_by="rows")
    return QueryAnswer(kind, fmt, body, cut, truncated=False)
