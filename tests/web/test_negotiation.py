"""Content negotiation over the one format table."""

from __future__ import annotations

import pytest

from kompass_graph.errors import UsageError
from kompass_graph.formats import FORMATS, FormatChoice
from kompass_graph.web.negotiation import (
    MAX_ACCEPT_LENGTH,
    best_media_type,
    negotiate,
    not_acceptable,
    parse_accept,
)

FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, FormatChoice("json", "json", "turtle")),
        ("", FormatChoice("json", "json", "turtle")),
        ("*/*", FormatChoice("json", "json", "turtle")),
        (FIREFOX, FormatChoice("json", "json", "turtle")),
        ("text/csv", FormatChoice("csv", None, None)),
        ("application/json", FormatChoice("json", "json", "jsonld")),
        # equal quality: the client's order decides
        (
            "application/sparql-results+xml, application/sparql-results+json",
            FormatChoice("xml", "xml", None),
        ),
        # quality values decide over order
        (
            "application/sparql-results+xml;q=0.5, application/sparql-results+json",
            FormatChoice("json", "json", None),
        ),
        # the most specific range sets a type's quality, even below a wildcard's
        ("text/*;q=0.9, text/csv;q=0.1", FormatChoice("xml", "xml", "turtle")),
        ("text/*;q=0.9, text/csv;q=0.1, text/xml;q=0", FormatChoice("tsv", None, "turtle")),
        # q=0 excludes
        ("*/*, application/sparql-results+json;q=0", FormatChoice("xml", "xml", "turtle")),
        ("text/turtle;q=0.5, application/ld+json", FormatChoice(None, None, "jsonld")),
        ("image/png", FormatChoice(None, None, None)),
        ("garbage, text/csv;q=nonsense", FormatChoice("csv", None, None)),
    ],
)
def test_negotiate(accept: str | None, expected: FormatChoice) -> None:
    assert negotiate(accept) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("json", FormatChoice("json", "json", "jsonld")),
        ("xml", FormatChoice("xml", "xml", "rdfxml")),
        ("csv", FormatChoice("csv", None, None)),
        ("ttl", FormatChoice(None, None, "turtle")),
        ("text/tab-separated-values", FormatChoice("tsv", None, None)),
    ],
)
def test_format_parameter_wins_over_accept(value: str, expected: FormatChoice) -> None:
    assert negotiate("text/csv", value) == expected


def test_unknown_format_parameter_names_the_known_ones() -> None:
    with pytest.raises(UsageError, match="unknown value 'yaml'") as caught:
        negotiate(None, "yaml")
    assert "turtle" in (caught.value.hint or "")


def test_parse_accept_reads_quality_and_ignores_other_parameters() -> None:
    ranges = parse_accept("text/csv; charset=utf-8; q=0.3, */*;q=0.1")
    assert [(r.type, r.subtype, r.quality) for r in ranges] == [
        ("text", "csv", 0.3),
        ("*", "*", 0.1),
    ]


def test_not_acceptable_lists_what_is_available() -> None:
    error = not_acceptable("graph", "text/csv")
    assert error.http_status == 406
    assert error.available == [f.media_type for f in FORMATS if "graph" in f.kinds]
    assert "text/turtle" in str(error)


def test_best_media_type_prefers_offered_order_on_ties() -> None:
    assert best_media_type("*/*", ["text/turtle", "text/html"]) == "text/turtle"
    assert best_media_type(FIREFOX, ["text/turtle", "text/html"]) == "text/html"
    assert best_media_type("application/ld+json", ["text/turtle"]) is None


def test_every_format_is_complete() -> None:
    names = [f.name for f in FORMATS]
    assert len(names) == len(set(names))
    for fmt in FORMATS:
        assert (
            fmt.kinds
            and fmt.parameter_values
            and fmt.format_iri.startswith("http://www.w3.org/ns/formats/")
        )


def test_a_huge_accept_header_is_read_in_bounded_time_and_cached_by_a_bounded_key() -> None:
    """A megabyte of Accept costs what its first 8 KB do, and the cache keeps no more."""
    import time

    from kompass_graph.web.negotiation import _negotiate

    huge = "text/csv," + "x/y;q=0.1," * 100_000  # about 1 MB
    started = time.perf_counter()
    ranges = parse_accept(huge)
    choice = negotiate(huge)
    assert time.perf_counter() - started < 0.05
    assert len(ranges) <= 64
    assert choice == FormatChoice("csv", None, None)
    # the cache key is the bounded header: the first 8 KB give the very same entry
    assert negotiate(huge[:MAX_ACCEPT_LENGTH]) is choice
    assert _negotiate.cache_info().maxsize == 512  # at most 512 keys of at most 8 KB
