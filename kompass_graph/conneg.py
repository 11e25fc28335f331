"""Media types ↔ result formats, as one table, and HTTP content negotiation over it.

`FORMATS` is the single source of truth: the SPARQL endpoint, the service description
and the 406 message all read it. `negotiate()` turns an Accept header (quality values,
wildcards, browsers' defaults) or a `format=` parameter into one format per kind of
answer, because the kind (bindings, boolean, graph) is known only once the query runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from kompass_graph.errors import NotAcceptableError, UsageError
from kompass_graph.store.interface import AnswerKind, FormatChoice

__all__ = [
    "FORMATS",
    "MediaFormat",
    "MediaRange",
    "best_media_type",
    "format_by_name",
    "format_choice_for",
    "formats_for",
    "negotiate",
    "not_acceptable",
    "parse_accept",
]

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
        aliases=("application/x-turtle",),
        parameter_values=("turtle", "ttl"),
        format_iri=_W3C + "Turtle",
    ),
    MediaFormat(
        "ntriples",
        "application/n-triples",
        _GRAPH,
        parameter_values=("ntriples", "nt"),
        format_iri=_W3C + "N-Triples",
    ),
    MediaFormat(
        "rdfxml",
        "application/rdf+xml",
        _GRAPH,
        aliases=("application/xml", "text/xml"),
        parameter_values=("rdfxml", "rdf", "xml"),
        format_iri=_W3C + "RDF_XML",
    ),
    MediaFormat(
        "jsonld",
        "application/ld+json",
        _GRAPH,
        aliases=("application/json",),
        parameter_values=("jsonld", "json-ld", "json"),
        textual=False,
        format_iri=_W3C + "JSON-LD",
    ),
    MediaFormat(
        "trig", "application/trig", _GRAPH, parameter_values=("trig",), format_iri=_W3C + "TriG"
    ),
    MediaFormat(
        "nquads",
        "application/n-quads",
        _GRAPH,
        parameter_values=("nquads", "nq"),
        format_iri=_W3C + "N-Quads",
    ),
)

_BY_NAME = {f.name: f for f in FORMATS}


def format_by_name(name: str) -> MediaFormat:
    return _BY_NAME[name]


def formats_for(kind: AnswerKind) -> list[MediaFormat]:
    return [f for f in FORMATS if kind in f.kinds]


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header."""

    type: str
    subtype: str
    quality: float
    position: int

    @property
    def specificity(self) -> int:
        """2 for type/subtype, 1 for type/*, 0 for */*: the most specific match decides."""
        if self.type == "*":
            return 0
        return 1 if self.subtype == "*" else 2

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        return self.type in ("*", main) and self.subtype in ("*", sub)


def _quality(value: str) -> float:
    try:
        quality = float(value)
    except ValueError:
        return 1.0  # a malformed q is ignored rather than failing the whole request
    return min(max(quality, 0.0), 1.0)


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; a missing or empty header accepts anything."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0, 0)]
    ranges: list[MediaRange] = []
    for position, item in enumerate(header.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        main, slash, sub = media.lower().partition("/")
        if not slash or not main or not sub:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                quality = _quality(value.strip())
        ranges.append(MediaRange(main, sub, quality, position))
    return ranges or [MediaRange("*", "*", 1.0, 0)]


def _score(media_types: Iterable[str], ranges: Sequence[MediaRange]) -> tuple[float, int, int]:
    """(quality, specificity, -position) of the most specific range matching any type."""
    best: MediaRange | None = None
    for media_type in media_types:
        for candidate in ranges:
            if not candidate.matches(media_type):
                continue
            if best is None or (candidate.specificity, -candidate.position) > (
                best.specificity,
                -best.position,
            ):
                best = candidate
    if best is None:
        return (0.0, 0, 0)
    return (best.quality, best.specificity, -best.position)


def _choose(kind: AnswerKind, ranges: Sequence[MediaRange]) -> str | None:
    """Highest quality wins; then an explicit type over a wildcard, then the client's
    order, then ours (FORMATS order: JSON first, so `*/*` and browsers get JSON)."""
    best_name: str | None = None
    best_score = (0.0, 0, 0)
    for fmt in formats_for(kind):
        score = _score((fmt.media_type, *fmt.aliases), ranges)
        if score[0] > 0 and (best_name is None or score > best_score):
            best_name, best_score = fmt.name, score
    return best_name


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


@lru_cache(maxsize=512)
def negotiate(accept: str | None, format_parameter: str | None = None) -> FormatChoice:
    """One format per answer kind; `format_parameter` (a name or media type) wins over Accept.

    Cached: clients send the same few Accept headers, and this runs on every query.
    """
    if format_parameter:
        return format_choice_for(format_parameter)
    ranges = parse_accept(accept)
    if any(r.type == "text" and r.subtype == "html" and r.quality > 0 for r in ranges):
        # A browser navigating to a query link: its Accept ranks application/xml above
        # */*, but people want our default (JSON / Turtle), which browsers show readably.
        ranges = [MediaRange("*", "*", 1.0, 0)]
    return FormatChoice(
        bindings=_choose("bindings", ranges),
        boolean=_choose("boolean", ranges),
        graph=_choose("graph", ranges),
    )


def not_acceptable(kind: AnswerKind, accept: str | None) -> NotAcceptableError:
    """The 406 error for a query whose kind of answer the client accepts in no format."""
    what = {"bindings": "SELECT results", "boolean": "ASK results", "graph": "RDF graphs"}[kind]
    return NotAcceptableError(
        f"cannot write {what} as {accept or 'requested'}",
        available=[f.media_type for f in formats_for(kind)],
    )


def best_media_type(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the client prefers (ties: the order of `offered`), or None."""
    ranges = parse_accept(accept)
    best: str | None = None
    best_score = (0.0, 0, 0)
    for media_type in offered:
        score = _score((media_type,), ranges)
        if score[0] > 0 and (best is None or score > best_score):
            best, best_score = media_type, score
    return best
