"""The page language: ?lang wins, then Accept-Language, then German."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from kompass_graph.web.language import language_links, page_language, preferred_language


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "de"),
        ("", "de"),
        ("en", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("fr-FR,fr;q=0.9,en;q=0.8,de;q=0.7", "en"),
        ("en;q=0.5,de;q=0.8", "de"),
        ("en,de", "en"),  # a tie: the header's order
        ("fr", "de"),
        ("*", "de"),
        ("en;q=0", "de"),
        ("en;q=nonsense", "de"),
        ("de-CH;q=0.3, EN-us;q=0.2", "de"),
    ],
)
def test_preferred_language(header: str | None, expected: str) -> None:
    assert preferred_language(header) == expected


def request(query: str, accept_language: str | None = None) -> Request:
    headers = [(b"accept-language", accept_language.encode())] if accept_language else []
    return Request(
        {
            "type": "http",
            "method": "GET",
            "path": "/x",
            "query_string": query.encode(),
            "headers": headers,
        }
    )


def test_an_explicit_choice_wins_and_an_unknown_one_is_ignored() -> None:
    assert page_language(request("lang=en", "de")) == "en"
    assert page_language(request("lang=DE", "en")) == "de"
    assert page_language(request("lang=fr", "en")) == "en"
    assert page_language(request("", None)) == "de"


def test_the_switch_keeps_the_other_parameters() -> None:
    assert language_links(request("page=2&lang=de")) == {
        "de": "/x?page=2&lang=de",
        "en": "/x?page=2&lang=en",
    }
