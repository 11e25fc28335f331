"""`/.well-known/void`: the VoID description of the served release (RFC 5785, VoID 7.2).

The release's void.ttl, written by the build (kompass_graph/publish/void.py): Turtle
by default, byte for byte as in the release (also at /download/void.ttl), and by
`Accept` as N-Triples, JSON-LD or RDF/XML (its statements rewritten, in the file's
order). Answers vary with Accept; the ETag middleware covers that.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from kompass_graph.errors import NotAcceptableError
from kompass_graph.formats import MediaFormat, format_by_name
from kompass_graph.publish.release_files import VOID_NAME, void_document
from kompass_graph.web.downloads import DOWNLOAD_PREFIX
from kompass_graph.web.negotiation import best_media_type
from kompass_graph.web.published import published_release

__all__ = ["VOID_PATH", "router", "void_format"]

VOID_PATH = "/.well-known/void"
#: what VoID is offered in, Turtle (the file as built) first
_OFFERED: tuple[MediaFormat, ...] = tuple(
    format_by_name(name) for name in ("turtle", "ntriples", "jsonld", "rdfxml")
)

router = APIRouter()


def void_format(accept: str | None) -> MediaFormat:
    """The format of the VoID answer for `accept` (Turtle when any will do)."""
    if not accept:
        return _OFFERED[0]
    offered = [media for fmt in _OFFERED for media in (fmt.media_type, *fmt.aliases)]
    chosen = best_media_type(accept, offered)
    for fmt in _OFFERED:
        if chosen in (fmt.media_type, *fmt.aliases):
            return fmt
    raise NotAcceptableError(
        f"the VoID description cannot be written as {accept}",
        available=[fmt.media_type for fmt in _OFFERED],
    )


@router.api_route(VOID_PATH, methods=["GET", "HEAD"], include_in_schema=False)
async def _void(request: Request) -> Response:
    """The VoID description of the served release, in the format Accept asks for."""
    release = published_release(request).require()
    fmt = void_format(request.headers.get("accept"))
    body = await asyncio.to_thread(void_document, release, fmt.name)
    headers = {
        "Vary": "Accept",
        "Link": f'<{DOWNLOAD_PREFIX}{VOID_NAME}>; rel="alternate"; type="text/turtle"',
    }
    return Response(body, 200, headers, fmt.content_type)
