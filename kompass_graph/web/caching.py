"""ETags and conditional GET for every surface: pages, REST, SPARQL GET, documents.

The served data is one immutable release, so an answer depends only on the release
and the request: its path and query string, and the headers it is negotiated by
(Accept, Accept-Language). The ETag is derived from exactly these, before the route
runs; a request whose `If-None-Match` names it is answered 304 at once, without
running a query. Successful answers (200) get the ETag and the configured
Cache-Control, so a cache or CDN in front can serve our traffic. ETags are weak: the
gzip and identity encodings of an answer share one.

Not cached here: requests other than GET and HEAD, the health and metrics routes (they
say what is true now), /static/ (its own versioned caching), /download/ (the release's
files, with their own validators: web/downloads.py), and everything while the store
is still loading.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ConditionalGetMiddleware", "entity_tag", "matches_if_none_match"]

_UNCACHED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
#: /download/ answers its own strong ETags (the files' sha256) and Last-Modified
_UNCACHED_PREFIXES = ("/static/", "/download/")
_CACHEABLE_METHODS = frozenset({"GET", "HEAD"})
_VARY = "Accept, Accept-Language"


def entity_tag(release: str, scope: Scope, headers: Headers) -> str:
    """The weak ETag of this request's answer under `release`."""
    key = b"\0".join(
        (
            release.encode(),
            scope["path"].encode("utf-8", "surrogateescape"),
            scope.get("query_string", b""),
            headers.get("accept", "").encode("latin-1", "replace"),
            headers.get("accept-language", "").encode("latin-1", "replace"),
        )
    )
    return f'W/"{hashlib.sha256(key).hexdigest()[:32]}"'


def matches_if_none_match(header: str, tag: str) -> bool:
    """True when the If-None-Match list names `tag` (weak comparison, RFC 9110 13.1.2).
    `*` is not answered here: whether a representation exists needs the route."""
    wanted = tag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == wanted for candidate in header.split(","))


class ConditionalGetMiddleware:
    """Adds ETag and Cache-Control to 200 answers; answers matching If-None-Match 304."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        release: Callable[[], str],
        ready: Callable[[], bool],
        cache_control: str,
    ) -> None:
        self.app = app
        self.release = release
        self.ready = ready
        self.cache_control = cache_control.encode("latin-1")

    def _cacheable(self, scope: Scope) -> bool:
        if scope["type"] != "http":
            return False
        path: str = scope["path"]
        return (
            scope["method"] in _CACHEABLE_METHODS
            and path not in _UNCACHED_PATHS
            and not path.startswith(_UNCACHED_PREFIXES)
            and self.ready()
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        tag = entity_tag(self.release(), scope, headers)
        condition = headers.get("if-none-match")
        if condition is not None and matches_if_none_match(condition, tag):
            await self._not_modified(send, tag)
            return

        async def send_with_tag(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                present = {name.lower() for name, _ in message.get("headers", [])}
                added = []
                if b"etag" not in present:
                    added.append((b"etag", tag.encode()))
                if b"cache-control" not in present:
                    added.append((b"cache-control", self.cache_control))
                message["headers"] = [*message.get("headers", []), *added]
            await send(message)

        await self.app(scope, receive, send_with_tag)

    async def _not_modified(self, send: Send, tag: str) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 304,
                "headers": [
                    (b"etag", tag.encode()),
                    (b"cache-control", self.cache_control),
                    (b"vary", _VARY.encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})
