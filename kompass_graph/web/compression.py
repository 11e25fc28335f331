"""Gzip for the answers the app builds, and none for the release's downloads.

A download is served as the bytes of its file with the file's sha256 as a strong
ETag and byte ranges of the file (downloads.py); compressing it on the way would
break all three. So paths under the given prefixes pass by Starlette's
GZipMiddleware; every other answer goes through it.
"""

from __future__ import annotations

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["CompressionMiddleware"]


class CompressionMiddleware:
    """GZipMiddleware for every path but those under `uncompressed_prefixes`."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        uncompressed_prefixes: tuple[str, ...],
        minimum_size: int,
        exclude_content_types: tuple[str, ...],
    ) -> None:
        self.app = app
        self.uncompressed_prefixes = uncompressed_prefixes
        self.gzip = GZipMiddleware(
            app, minimum_size=minimum_size, exclude_content_types=exclude_content_types
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.uncompressed_prefixes):
            await self.app(scope, receive, send)
            return
        await self.gzip(scope, receive, send)
