"""The one place where errors become HTTP responses: RFC 9457 problem details.

Every KompassError, every HTTP error Starlette raises (404, 405) and anything
unexpected end here. The body is `application/problem+json`, or plain text when the
client prefers `text/plain`; never a stack trace (the unexpected ones are logged).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from kompass_graph.errors import (
    InvalidParameterError,
    KompassError,
    NotAcceptableError,
    NotAuthenticatedError,
    OverloadedError,
    QuerySyntaxError,
    RangeNotSatisfiableError,
    ReleaseNotServedError,
)
from kompass_graph.web.negotiation import best_media_type
from kompass_graph.web.observability import RELEASE_HEADER

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "error_response",
    "install_problem_handlers",
    "problem_document",
    "problem_response",
]

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
_OFFERED = (PROBLEM_MEDIA_TYPE, "application/json", "text/plain")
_HTTP_SLUGS = {404: ("not-found", "Not found"), 405: ("method-not-allowed", "Method not allowed")}

ErrorListener = Callable[[KompassError], None]


def _problem_type(base_iri: str, slug: str) -> str:
    return f"{base_iri.rstrip('/')}/problems/{slug}"


def problem_document(
    *, base_iri: str, status: int, slug: str, title: str, detail: str, instance: str | None
) -> bytes:
    """The RFC 9457 problem JSON (our one error shape), for callers without a Request."""
    body: dict[str, object] = {
        "type": _problem_type(base_iri, slug),
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance is not None:
        body["instance"] = instance
    return json.dumps(body, ensure_ascii=False).encode()


def problem_response(
    *,
    request: Request,
    status: int,
    slug: str,
    title: str,
    detail: str,
    extra: dict[str, object] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    base_iri = getattr(request.app.state, "base_iri", "https://w3id.org/kompass-graph/")
    if best_media_type(request.headers.get("accept"), _OFFERED) == "text/plain":
        return Response(
            f"{status} {title}: {detail}\n", status, headers, "text/plain; charset=utf-8"
        )
    body: dict[str, object] = {
        "type": _problem_type(base_iri, slug),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **(extra or {}),
    }
    return Response(json.dumps(body, ensure_ascii=False), status, headers, PROBLEM_MEDIA_TYPE)


def _extra_members(error: KompassError) -> dict[str, object]:
    extra: dict[str, object] = {}
    if error.hint:
        extra["hint"] = error.hint
    if isinstance(error, QuerySyntaxError) and error.position.line is not None:
        extra["line"] = error.position.line
        extra["column"] = error.position.column
    if isinstance(error, NotAcceptableError) and error.available:
        extra["available"] = error.available
    if isinstance(error, InvalidParameterError):
        extra["parameter"] = error.parameter
        extra["expected"] = error.expected
    if isinstance(error, ReleaseNotServedError):
        extra["requested_release"] = error.requested
        extra["served_release"] = error.served
    return extra


def _invalid_request(request: Request, error: RequestValidationError) -> Response:
    """FastAPI's validation of a route's parameters, as our 422 problem: the first
    failing parameter by name, FastAPI's message saying what it takes."""
    first = error.errors()[0] if error.errors() else {}
    location = [str(part) for part in first.get("loc", ())]
    name = location[-1] if location else "request"
    message = str(first.get("msg", "invalid value"))
    received = first.get("input")
    what = f"{received!r} is not valid" if isinstance(received, str | int | float) else "invalid"
    return _kompass_error(
        request, InvalidParameterError(what, parameter=name, expected=_expected(message))
    )


def _expected(message: str) -> str:
    # pydantic says "Input should be a valid integer" / "String should match pattern …"
    for lead in ("Input should be ", "Value should be "):
        if message.startswith(lead):
            return message[len(lead) :]
    return message[:1].lower() + message[1:]


def _kompass_error(request: Request, error: KompassError) -> Response:
    listener: ErrorListener | None = getattr(request.app.state, "on_error", None)
    if listener is not None:
        listener(error)
    headers = {}
    if isinstance(error, OverloadedError):
        headers["Retry-After"] = str(error.retry_after_seconds)
    if isinstance(error, RangeNotSatisfiableError):
        headers["Content-Range"] = f"bytes */{error.size}"
    if isinstance(error, NotAuthenticatedError):  # RFC 9110 15.5.2: a 401 names its scheme
        headers["WWW-Authenticate"] = 'Bearer realm="kompass-graph"'
    if error.http_status >= 500 and error.slug == KompassError.slug:
        logger.error("internal error: %s", error)
    return problem_response(
        request=request,
        status=error.http_status,
        slug=error.slug,
        title=error.title,
        detail=error.message,
        extra=_extra_members(error),
        headers=headers,
    )


def _http_error(request: Request, error: HTTPException) -> Response:
    slug, title = _HTTP_SLUGS.get(error.status_code, ("http-error", "HTTP error"))
    detail = error.detail if isinstance(error.detail, str) else title
    if error.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    return problem_response(
        request=request,
        status=error.status_code,
        slug=slug,
        title=title,
        detail=detail,
        headers=dict(error.headers or {}),
    )


def _unexpected(request: Request, error: Exception, *, add_release: bool = True) -> Response:
    logger.exception("unexpected error answering %s %s", request.method, request.url.path)
    # answered outside the observability middleware, so the release is added here
    state = getattr(request.app.state, "kompass", None)
    headers = {RELEASE_HEADER: state.release} if state is not None and add_release else None
    return problem_response(
        request=request,
        status=500,
        slug=KompassError.slug,
        title=KompassError.title,
        detail="the server failed to answer this request; the error was logged",
        headers=headers,
    )


def error_response(request: Request, error: Exception) -> Response:
    """What the installed handlers answer for `error`, for a route called directly
    (inside the observability middleware, which adds the release header)."""
    if isinstance(error, KompassError):
        return _kompass_error(request, error)
    if isinstance(error, HTTPException):
        return _http_error(request, error)
    return _unexpected(request, error, add_release=False)


def install_problem_handlers(app: object) -> None:
    """Register the handlers on a Starlette/FastAPI app."""
    from starlette.applications import Starlette

    assert isinstance(app, Starlette)

    async def on_kompass_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, KompassError)
        return _kompass_error(request, error)

    async def on_http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        return _http_error(request, error)

    async def on_invalid_request(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        return _invalid_request(request, error)

    async def on_unexpected(request: Request, error: Exception) -> Response:
        return _unexpected(request, error)

    app.add_exception_handler(KompassError, on_kompass_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_invalid_request)
    app.add_exception_handler(Exception, on_unexpected)
