"""The language a page is written in: German by default, English on request.

One rule for every HTML page (resource pages, landing page, ontology documentation):
an explicit `?lang=de|en` wins; else the best of our languages by the request's
`Accept-Language` (quality values honoured, `en-GB` counts as `en`, `*` as our
default); else German, the language of the source. An unknown `lang` value is
ignored rather than refused, so a shared link with `?lang=fr` still shows a page.
The answer varies with Accept-Language, which the ETag already covers (caching.py).
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request

from kompass_graph.linked_data.labels import PAGE_LANGUAGES

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANGUAGE_PARAMETER",
    "language_links",
    "page_language",
    "preferred_language",
]

#: the languages our pages and labels are written in, the default first (labels.py
#: owns the tuple: linked_data/ picks labels in them and may not import web/)
LANGUAGES: tuple[str, ...] = PAGE_LANGUAGES
DEFAULT_LANGUAGE = LANGUAGES[0]
LANGUAGE_PARAMETER = "lang"

#: characters of an Accept-Language header that are read (no browser sends more)
_MAX_HEADER = 1024
_MAX_RANGES = 32


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def preferred_language(accept_language: str | None) -> str:
    """The best of LANGUAGES for an Accept-Language header (RFC 9110 12.5.4, basic
    filtering on the primary subtag); ties go to the header's order; DEFAULT_LANGUAGE
    when it names none of ours."""
    best, best_quality = DEFAULT_LANGUAGE, 0.0
    for item in (accept_language or "")[:_MAX_HEADER].split(",")[:_MAX_RANGES]:
        tag, *parameters = item.split(";")
        primary = tag.strip().lower().partition("-")[0]
        code = DEFAULT_LANGUAGE if primary == "*" else primary
        quality = _quality(parameters)
        if code in LANGUAGES and quality > best_quality:
            best, best_quality = code, quality
    return best


def page_language(request: Request) -> str:
    """The language of the page `request` asks for (see the module docstring)."""
    explicit = request.query_params.get(LANGUAGE_PARAMETER, "").strip().lower()
    if explicit in LANGUAGES:
        return explicit
    return preferred_language(request.headers.get("accept-language"))


def language_links(request: Request) -> dict[str, str]:
    """For base.html's language switch: each language's URL of this page (the path
    with `lang` set, every other query parameter kept), server-relative."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != LANGUAGE_PARAMETER]
    return {
        code: f"{request.url.path}?{urlencode([*kept, (LANGUAGE_PARAMETER, code)])}"
        for code in LANGUAGES
    }
