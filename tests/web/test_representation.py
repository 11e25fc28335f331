"""Choosing a resource's representation: HTML for browsers, RDF by Accept, 406 else."""

from __future__ import annotations

import pytest

from kompass_graph.errors import NotAcceptableError
from kompass_graph.web.representation import alternates, choose_representation, link_header

FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CHROMIUM = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)


@pytest.mark.parametrize(
    ("accept", "suffix"),
    [
        (None, "html"),
        ("*/*", "html"),
        (FIREFOX, "html"),
        (CHROMIUM, "html"),
        ("text/turtle", "ttl"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "rdf"),
        ("application/ld+json", "jsonld"),
        ("application/json", "jsonld"),
        ("application/trig", "trig"),
        ("application/n-quads", "nq"),
        ("text/turtle;q=0.5, application/ld+json", "jsonld"),
        ("text/html;q=0.1, text/turtle", "ttl"),
    ],
)
def test_the_client_preference_picks_the_representation(accept: str | None, suffix: str) -> None:
    assert choose_representation(accept).suffix == suffix


def test_nothing_acceptable_is_a_406_listing_what_is_offered() -> None:
    with pytest.raises(NotAcceptableError) as raised:
        choose_representation("image/png")
    assert "text/turtle" in raised.value.available
    assert "text/html" in raised.value.available


def test_the_link_header_names_every_alternate_document() -> None:
    header = link_header(alternates("/id/project/x"))
    for document in ("x.html", "x.ttl", "x.nt", "x.rdf", "x.jsonld", "x.trig", "x.nq"):
        assert f'</id/project/{document}>; rel="alternate"' in header
