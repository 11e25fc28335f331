"""One pattern for every IRI we serve: 200 with Content-Location, by content negotiation.

A resource (`/id/project/x`, `/concept/role/participant`, `/ontology`, …) answers with
the representation the client prefers (`Accept`, or an explicit document URL): HTML
for browsers; Turtle, N-Triples, RDF/XML, JSON-LD, TriG or N-Quads for machines. The
answer is a 200 whose `Content-Location` names the document it is (`/id/project/x.ttl`,
`/id/project/x.html`), with `Vary: Accept` and a `Link` header listing every alternate
document. The document URLs answer the same bytes without negotiating. We chose this
over 303 redirects: one round trip, and caches key on the document URL anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kompass_graph.errors import NotAcceptableError
from kompass_graph.formats import MediaFormat, formats_for
from kompass_graph.web.negotiation import best_media_type

__all__ = [
    "HTML",
    "HTML_SUFFIX",
    "Alternate",
    "Representation",
    "alternates",
    "choose_representation",
    "link_header",
]

HTML = "text/html"
HTML_SUFFIX = "html"
_XHTML = "application/xhtml+xml"

#: the graph formats a resource is offered in, in our order of preference after HTML
_DOCUMENT_FORMATS: tuple[MediaFormat, ...] = tuple(f for f in formats_for("graph") if f.suffix)


@dataclass(frozen=True)
class Representation:
    """What to answer: HTML (`format` None) or an RDF document in `format`."""

    format: MediaFormat | None

    @property
    def is_html(self) -> bool:
        return self.format is None

    @property
    def suffix(self) -> str:
        return HTML_SUFFIX if self.format is None else self.format.suffix

    @property
    def content_type(self) -> str:
        return "text/html; charset=utf-8" if self.format is None else self.format.content_type


@dataclass(frozen=True)
class Alternate:
    """One document URL of a resource, for `<link rel="alternate">` and the Link header."""

    href: str
    media_type: str
    label: str


def choose_representation(accept: str | None) -> Representation:
    """The client's preferred representation; browsers (and `*/*`) get HTML. Raises
    NotAcceptableError, listing what is offered, when nothing offered is acceptable."""
    offered = [HTML, _XHTML]
    for fmt in _DOCUMENT_FORMATS:
        offered += [fmt.media_type, *fmt.aliases]
    chosen = best_media_type(accept, offered)
    if chosen is None:
        raise NotAcceptableError(
            f"cannot write this resource as {accept}",
            available=[HTML, *(f.media_type for f in _DOCUMENT_FORMATS)],
        )
    if chosen in (HTML, _XHTML):
        return Representation(None)
    for fmt in _DOCUMENT_FORMATS:
        if chosen in (fmt.media_type, *fmt.aliases):
            return Representation(fmt)
    raise AssertionError(f"offered {chosen} without a format")  # offered is built from formats


def alternates(document_stem: str) -> list[Alternate]:
    """Every document URL of the resource whose documents are `<document_stem>.<suffix>`."""
    found = [Alternate(f"{document_stem}.{HTML_SUFFIX}", HTML, "HTML")]
    for fmt in _DOCUMENT_FORMATS:
        found.append(Alternate(f"{document_stem}.{fmt.suffix}", fmt.media_type, _LABELS[fmt.name]))
    return found


def link_header(items: Sequence[Alternate]) -> str:
    """The `Link` header naming every alternate document (RFC 8288)."""
    return ", ".join(f'<{a.href}>; rel="alternate"; type="{a.media_type}"' for a in items)


_LABELS = {
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "rdfxml": "RDF/XML",
    "jsonld": "JSON-LD",
    "trig": "TriG",
    "nquads": "N-Quads",
}
