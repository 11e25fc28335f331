"""Security headers on every response, a content security policy on every page, and
CORS preflights refused in our problem shape.

Every response says `X-Content-Type-Options: nosniff` (a browser must not guess a type
we did not send) and `Referrer-Policy: no-referrer`. Every HTML page also gets the
content security policy as a header, with `frame-ancestors 'none'` (which a meta tag
cannot carry) and `X-Frame-Options: DENY` for older browsers: our pages load nothing
from elsewhere and may not be framed.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kompass_graph.web.problems import PROBLEM_MEDIA_TYPE, problem_document

__all__ = ["CONTENT_SECURITY_POLICY", "ProblemCORSMiddleware", "SecurityHeadersMiddleware"]

#: what our pages may load: our own scripts, styles, images and fonts; our endpoint
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

_EVERY_RESPONSE = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
_EVERY_PAGE = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeadersMiddleware:
    """Adds the headers above as the response starts (pure ASGI: no per-request objects)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [h for h in _EVERY_RESPONSE if h[0] not in names]
                content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
                if content_type.startswith(b"text/html"):
                    headers += [h for h in _EVERY_PAGE if h[0] not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ProblemCORSMiddleware(CORSMiddleware):
    """Starlette's CORS handling, whose refused preflight answers our problem JSON (RFC
    9457) instead of a plain-text line, like every other error of this server."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        base_iri: str,
        allow_origins: Sequence[str],
        allow_methods: Sequence[str],
        allow_headers: Sequence[str],
        expose_headers: Sequence[str],
        allow_credentials: bool,
        max_age: int,
    ) -> None:
        super().__init__(
            app,
            allow_origins=allow_origins,
            allow_methods=allow_methods,
            allow_headers=allow_headers,
            expose_headers=expose_headers,
            allow_credentials=allow_credentials,
            max_age=max_age,
        )
        self._base_iri = base_iri

    def preflight_response(self, request_headers: Headers) -> Response:
        answer = super().preflight_response(request_headers)
        if answer.status_code < 400:
            return answer
        refused = bytes(answer.body).decode()  # "Disallowed CORS origin, method"
        headers = {k: v for k, v in answer.headers.items() if k.lower() not in _BODY_HEADERS}
        body = problem_document(
            base_iri=self._base_iri,
            status=answer.status_code,
            slug="cors-refused",
            title="Cross-origin request refused",
            detail=f"{refused.removeprefix('Disallowed CORS ')} not allowed by this endpoint's "
            "CORS settings (cors_origins)",
            instance=None,
        )
        return Response(body, answer.status_code, headers, PROBLEM_MEDIA_TYPE)


_BODY_HEADERS: Sequence[str] = ("content-type", "content-length")
