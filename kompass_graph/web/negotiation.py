"""HTTP content negotiation over the format table (`kompass_graph.formats`).

`negotiate()` turns an Accept header (quality values, wildcards, browsers' defaults) or
a `format=` parameter into one format per kind of answer. Accept headers are read in
bounded time and cached by a bounded key: only the first `MAX_ACCEPT_LENGTH`
characters count (no client needs more), so a megabyte header costs what 8 KB do, and
the cache holds no large strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from kompass_graph.errors import NotAcceptableError
from kompass_graph.formats import (
    AnswerKind,
    FormatChoice,
    format_choice_for,
    formats_for,
)

__all__ = [
    "MAX_ACCEPT_LENGTH",
    "MediaRange",
    "best_media_type",
    "negotiate",
    "not_acceptable",
    "parse_accept",
]

#: characters of an Accept header that are read; the rest is ignored
MAX_ACCEPT_LENGTH = 8192
#: media ranges of an Accept header that are read
_MAX_RANGES = 64


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
    """The media ranges of an Accept header (its first `MAX_ACCEPT_LENGTH` characters and
    `_MAX_RANGES` ranges); a missing or empty header accepts anything."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0, 0)]
    ranges: list[MediaRange] = []
    items = header[:MAX_ACCEPT_LENGTH].split(",", _MAX_RANGES)[:_MAX_RANGES]
    for position, item in enumerate(items):
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


def negotiate(accept: str | None, format_parameter: str | None = None) -> FormatChoice:
    """One format per answer kind; `format_parameter` (a name or media type) wins over Accept."""
    bounded = accept[:MAX_ACCEPT_LENGTH] if accept else accept
    parameter = format_parameter[:MAX_ACCEPT_LENGTH] if format_parameter else format_parameter
    return _negotiate(bounded, parameter)


@lru_cache(maxsize=512)
def _negotiate(accept: str | None, format_parameter: str | None) -> FormatChoice:
    """Cached by bounded keys: clients send the same few Accept headers, and this runs
    on every query."""
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
