"""Read a SPARQL 1.1 Protocol request: which operation, which query, which dataset.

Kept apart from the route so the rules of the Protocol (three ways to send a query,
one query per request, UTF-8 only, updates refused) are in one small module.
"""

from __future__ import annotations

import binascii
import logging
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.requests import ClientDisconnect, Request

from kompass_graph.errors import (
    ClientDisconnectedError,
    QueryRejectedError,
    QueryTooLargeError,
    UnsupportedMediaTypeError,
    UsageError,
)
from kompass_graph.formats import is_format
from kompass_graph.store.guard import refuse_update

__all__ = ["ProtocolRequest", "parse_query_string", "read_protocol_request"]

logger = logging.getLogger("kompass_graph.http")

_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class ProtocolRequest:
    """The parts of a request the endpoint acts on; `query` None: none was sent."""

    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None


# a `%` not followed by two hex digits: left to parse_qsl, which keeps it as it is
_STRAY_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def _unquote(field: bytes) -> str:
    """Percent-decoding at C speed: with every `=` escaped first and every `%` followed
    by two hex digits, quoted-printable decoding of `%`→`=` is exactly percent-decoding
    (urllib's unquote loops in Python over each escape: a third of a lookup's CPU)."""
    field = field.replace(b"+", b" ")
    if b"%" in field:
        field = binascii.a2b_qp(field.replace(b"=", b"=3D").replace(b"%", b"="))
    return field.decode("utf-8", "replace")


def parse_query_string(raw: bytes) -> list[tuple[str, str]]:
    """The name/value pairs of a URL query string, exactly as
    `parse_qsl(raw.decode("latin-1"), keep_blank_values=True)` (what Starlette does)."""
    if not raw.isascii() or _STRAY_PERCENT.search(raw):
        return parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    pairs = []
    for field in raw.split(b"&"):
        if field:
            name, _, value = field.partition(b"=")
            pairs.append((_unquote(name), _unquote(value)))
    return pairs


def _content_type(request: Request) -> tuple[str, str | None]:
    header = request.headers.get("content-type", "")
    media, *params = (part.strip() for part in header.split(";"))
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(int(declared), limit)
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise _too_large(len(body), limit)
    except ClientDisconnect:
        logger.info("client went away after %d bytes of its request body", len(body))
        raise ClientDisconnectedError("the client closed the connection mid-body") from None
    return bytes(body)


#: room in a form body for the other parameters (graphs, format) and their names
_FORM_SLACK = 64 << 10


def _too_large(size: int, limit: int) -> QueryTooLargeError:
    return QueryTooLargeError(
        f"the request holds {size} bytes; this endpoint accepts queries up to {limit} bytes",
        hint="shorten the query, e.g. move long VALUES lists into several requests",
    )


def _utf8(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"{what} is not valid UTF-8 (byte {error.start})") from None


def _single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise QueryRejectedError(
            f"{len(values)} {name} parameters were sent; the SPARQL protocol takes exactly one",
            hint="send one query per request",
        )
    return values[0] if values else None


def _format_parameter(values: list[str]) -> str | None:
    """The first `format` value we know (a name, a media type, or a comma list of media
    types); None lets Accept decide. Clients send the parameter twice, empty, or with
    values of their own (SPARQLWrapper: `format=tsv&format=text/tab-separated-values`,
    `format=json-ld&format=application/ld+json,application/x-json+ld`): a value we do
    not know is no reason to refuse a query that Accept can answer."""
    for value in values:
        for candidate in (part.strip() for part in value.split(",")):
            if candidate and is_format(candidate):
                return candidate
    return None


def _pairs(params: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in params if key == name]


def _parse_form(body: bytes) -> list[tuple[str, str]]:
    try:
        return parse_qsl(body.decode("ascii"), keep_blank_values=True, errors="strict")
    except (UnicodeError, ValueError):
        raise UsageError("the form body is not valid URL-encoded UTF-8") from None


async def read_protocol_request(request: Request, *, max_query_length: int) -> ProtocolRequest:
    """The query and dataset of a GET, form POST or direct POST; raises for everything else."""
    url_params = parse_query_string(request.scope["query_string"])
    body_params: list[tuple[str, str]] = []
    direct_query: str | None = None
    if request.method == "POST":
        media, charset = _content_type(request)
        if media == _UPDATE:
            raise refuse_update()
        if media == _FORM:
            # percent-encoding takes up to 3 bytes a byte: the limit is on the decoded
            # query (below), the same for GET, form POST and direct POST
            encoded_limit = 3 * max_query_length + _FORM_SLACK
            body_params = _parse_form(await _body(request, encoded_limit))
        elif media == _QUERY:
            if charset not in (None, "utf-8", "utf8"):
                raise UnsupportedMediaTypeError(
                    f"a query sent as {_QUERY} must be UTF-8, not {charset}",
                    hint="send the query encoded as UTF-8",
                )
            direct_query = _utf8(await _body(request, max_query_length), "the query")
        else:
            raise UnsupportedMediaTypeError(
                f"a POST with Content-Type {media or '(none)'!r} is not a SPARQL query",
                hint=f"use {_FORM} (query=…) or {_QUERY} (the query as the body)",
            )
    all_params = url_params + body_params
    if _pairs(all_params, "update"):
        raise refuse_update()
    queries = _pairs(all_params, "query") + ([direct_query] if direct_query is not None else [])
    query = _single(queries, "query")
    if query is not None and len(query.encode("utf-8")) > max_query_length:
        raise _too_large(len(query.encode("utf-8")), max_query_length)
    return ProtocolRequest(
        query=query,
        default_graphs=tuple(_pairs(all_params, "default-graph-uri")),
        named_graphs=tuple(_pairs(all_params, "named-graph-uri")),
        format=_format_parameter(_pairs(all_params, "format")),
    )
