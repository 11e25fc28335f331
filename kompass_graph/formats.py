"""Our format names ↔ media types, as one table with no engine in it.

`FORMATS` is the single source of truth for what a result can be written as: the
SPARQL endpoint's negotiation (`kompass_graph.web.negotiation`), its `format=`
parameter, the service description, the 406 message and the CLI's `--format` all read
it. The store maps these names to its engine's formats (`store/answers.py`). A query's
kind of answer (bindings, boolean, graph) is known only once it runs, so a choice is
one format per kind (`FormatChoice`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kompass_graph.errors import UsageError

__all__ = [
    "FORMATS",
    "AnswerKind",
    "FormatChoice",
    "MediaFormat",
    "format_by_name",
    "format_by_suffix",
    "format_choice_for",
    "formats_for",
    "is_format",
]

#: what a query returns: variable bindings (SELECT), a boolean (ASK), triples (CONSTRUCT/DESCRIBE)
AnswerKind = Literal["bindings", "boolean", "graph"]


@dataclass(frozen=True)
class FormatChoice:
    """The serialisation chosen for each kind of answer; None: the client accepts none."""

    bindings: str | None
    boolean: str | None
    graph: str | None

    def for_kind(self, kind: AnswerKind) -> str | None:
        return {"bindings": self.bindings, "boolean": self.boolean, "graph": self.graph}[kind]


_BINDINGS: frozenset[AnswerKind] = frozenset({"bindings"})
_RESULTS: frozenset[AnswerKind] = frozenset({"bindings", "boolean"})
_GRAPH: frozenset[AnswerKind] = frozenset({"graph"})
_W3C = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class MediaFormat:
    """One serialisation: its stable name, media type, and which answers it can carry."""

    name: str
    media_type: str
    kinds: frozenset[AnswerKind]
    #: other media types clients send for the same thing (e.g. application/json)
    aliases: tuple[str, ...] = ()
    #: values of the `format=` parameter that select it
    parameter_values: tuple[str, ...] = ()
    #: text formats say their charset in Content-Type
    textual: bool = True
    #: the W3C's IRI for the format, used in the service description
    format_iri: str = ""
    #: the file name extension of a document in this format (a resource's `<path>.ttl`,
    #: a release's dumps); empty for result formats that are not documents of a resource
    suffix: str = ""

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.textual else self.media_type


#: in order of our preference when the client has none (e.g. `*/*`)
FORMATS: tuple[MediaFormat, ...] = (
    MediaFormat(
        "json",
        "application/sparql-results+json",
        _RESULTS,
        aliases=("application/json",),
        parameter_values=("json", "srj"),
        textual=False,
        format_iri=_W3C + "SPARQL_Results_JSON",
    ),
    MediaFormat(
        "xml",
        "application/sparql-results+xml",
        _RESULTS,
        aliases=("application/xml", "text/xml"),
        parameter_values=("xml", "srx"),
        format_iri=_W3C + "SPARQL_Results_XML",
    ),
    MediaFormat(
        "csv",
        "text/csv",
        _BINDINGS,
        parameter_values=("csv",),
        format_iri=_W3C + "SPARQL_Results_CSV",
    ),
    MediaFormat(
        "tsv",
        "text/tab-separated-values",
        _BINDINGS,
        parameter_values=("tsv",),
        format_iri=_W3C + "SPARQL_Results_TSV",
    ),
    MediaFormat(
        "turtle",
        "text/turtle",
        _GRAPH,
        # Turtle is N3 without its extensions: an N3 reader reads it (SPARQLWrapper's N3)
        aliases=("application/x-turtle", "text/n3", "text/rdf+n3", "application/n3"),
        parameter_values=("turtle", "ttl", "n3"),
        format_iri=_W3C + "Turtle",
        suffix="ttl",
    ),
    MediaFormat(
        "ntriples",
        "application/n-triples",
        _GRAPH,
        parameter_values=("ntriples", "nt"),
        format_iri=_W3C + "N-Triples",
        suffix="nt",
    ),
    MediaFormat(
        "rdfxml",
        "application/rdf+xml",
        _GRAPH,
        aliases=("application/xml", "text/xml"),
        parameter_values=("rdfxml", "rdf", "xml", "rdf+xml"),
        format_iri=_W3C + "RDF_XML",
        suffix="rdf",
    ),
    MediaFormat(
        "jsonld",
        "application/ld+json",
        _GRAPH,
        aliases=("application/json", "application/x-json+ld"),
        parameter_values=("jsonld", "json-ld", "json"),
        textual=False,
        format_iri=_W3C + "JSON-LD",
        suffix="jsonld",
    ),
    MediaFormat(
        "trig",
        "application/trig",
        _GRAPH,
        parameter_values=("trig",),
        format_iri=_W3C + "TriG",
        suffix="trig",
    ),
    MediaFormat(
        "nquads",
        "application/n-quads",
        _GRAPH,
        parameter_values=("nquads", "nq"),
        format_iri=_W3C + "N-Quads",
        suffix="nq",
    ),
)

_BY_NAME = {f.name: f for f in FORMATS}
_BY_SUFFIX = {f.suffix: f for f in FORMATS if f.suffix}


def format_by_name(name: str) -> MediaFormat:
    return _BY_NAME[name]


def format_by_suffix(suffix: str) -> MediaFormat | None:
    """The graph format whose documents end in `.suffix` (ttl, nt, rdf, jsonld, …)."""
    return _BY_SUFFIX.get(suffix)


def formats_for(kind: AnswerKind) -> list[MediaFormat]:
    return [f for f in FORMATS if kind in f.kinds]


def format_choice_for(value: str) -> FormatChoice:
    """One format per kind of answer for a format name or media type, as the endpoint's
    `format=` parameter and the CLI's `--format` take it."""
    wanted = value.strip().lower()
    chosen: dict[AnswerKind, str | None] = {"bindings": None, "boolean": None, "graph": None}
    for fmt in FORMATS:
        if wanted in fmt.parameter_values or wanted in (fmt.media_type, *fmt.aliases):
            for kind in fmt.kinds:
                chosen[kind] = chosen[kind] or fmt.name
    if not any(chosen.values()):
        known = sorted({v for f in FORMATS for v in f.parameter_values})
        raise UsageError(
            f"unknown value {value!r} for the format parameter",
            hint=f"use one of {', '.join(known)} or a media type",
        )
    return FormatChoice(chosen["bindings"], chosen["boolean"], chosen["graph"])


def is_format(value: str) -> bool:
    """True when `value` names one of our formats (a format name or media type)."""
    wanted = value.strip().lower()
    return any(
        wanted in f.parameter_values or wanted in (f.media_type, *f.aliases) for f in FORMATS
    )
