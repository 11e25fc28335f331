"""The release's files as downloads: `/download/` (the index) and `/download/{name}`.

Each file answers exactly the bytes the build wrote, as one representation:
- `ETag`: strong, the file's sha256 from release.json (so it equals SHA256SUMS); the
  manifests SHA256SUMS and release.json, whose checksums are not listed, get a weak
  tag of the release and the name. `Last-Modified`: the release's `modified` date at
  00:00 GMT, never the file's mtime, so two servers of one release agree.
- conditional GET: `If-None-Match` (weak comparison, RFC 9110 13.1.2, `*` too) and,
  without it, `If-Modified-Since` answer 304.
- `Range`: one range answers 206 with `Content-Range`, several answer 206
  `multipart/byteranges` (Starlette's FileResponse, which does both correctly; it is
  handed a checked, normalised Range header). `If-Range` with a different validator,
  a malformed Range or one of another unit is ignored (RFC 9110 14.2: the whole file);
  ranges none of which lies inside the file answer 416 with `Content-Range: bytes */size`.
- `Content-Type`: release.json's media type; a `.gz` file is `application/gzip`, never
  `Content-Encoding: gzip`: clients decode a content coding on the fly (httpx, requests,
  browsers), so what they save would not match SHA256SUMS, and a resumed Range download
  would mix codings. Plain files are not compressed on the way either (compression.py).
A name release.json does not list is a 404 problem: names are looked up, never joined
to a path, so `..`, absolute paths and symlinks lead nowhere.
"""

from __future__ import annotations

import hashlib
import json
from email.utils import parsedate_to_datetime

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.types import Receive, Scope, Send

from kompass_graph.errors import RangeNotSatisfiableError, SourceNotFoundError
from kompass_graph.publish.release_files import CHANGES_NAME, ReleaseFile
from kompass_graph.web.caching import matches_if_none_match
from kompass_graph.web.language import language_links, page_language
from kompass_graph.web.negotiation import best_media_type
from kompass_graph.web.published import PublishedRelease, published_release
from kompass_graph.web.state import app_state
from kompass_graph.web.ui import asset_url, page_templates

__all__ = ["DOWNLOAD_PREFIX", "download_listing", "file_etag", "requested_ranges", "router"]

DOWNLOAD_PREFIX = "/download/"
_JSON = "application/json"
_HTML = "text/html"
_GZIP = "application/gzip"
#: more ranges than this in one request are not worth a multipart answer: whole file
_MAX_RANGES = 16

router = APIRouter()


def file_etag(published: PublishedRelease, file: ReleaseFile) -> str:
    """The file's ETag: its sha256 (strong), or for a manifest a weak tag of the release."""
    if file.sha256 is not None:
        return f'"{file.sha256}"'
    key = f"{published.identifier}\0{file.name}".encode()
    return f'W/"{hashlib.sha256(key).hexdigest()[:32]}"'


def requested_ranges(header: str, size: int) -> list[tuple[int, int]] | None:
    """The satisfiable byte ranges of a `Range` header as (first, last) positions, or
    None when the header is to be ignored (malformed, not bytes, too many ranges).
    Raises RangeNotSatisfiableError when it is well formed but no range lies inside
    the file (RFC 9110 14.1.1: a range set is satisfiable when one range is)."""
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or not spec.strip():
        return None
    parts = [part.strip() for part in spec.split(",")]
    if len(parts) > _MAX_RANGES:
        return None
    ranges: list[tuple[int, int]] = []
    for part in parts:
        first_text, dash, last_text = part.partition("-")
        if not dash or not (first_text or last_text):
            return None
        if not all(text.isdigit() for text in (first_text, last_text) if text):
            return None
        if not first_text:  # a suffix: the last N bytes
            length = int(last_text)
            if length > 0 and size > 0:
                ranges.append((max(size - length, 0), size - 1))
            continue
        first = int(first_text)
        if last_text and int(last_text) < first:
            return None  # an invalid range: the header is ignored
        if first < size:
            last = int(last_text) if last_text else size - 1
            ranges.append((first, min(last, size - 1)))
    if not ranges:
        raise RangeNotSatisfiableError(f"no range of {header!r} lies inside the file", size=size)
    return ranges


class _FileAnswer(FileResponse):
    """FileResponse given the Range header this module decided on (or none), so its
    own range handling sees only ranges that are checked and satisfiable."""

    def __init__(self, file: ReleaseFile, *, headers: dict[str, str], ranges: str | None) -> None:
        media_type = _GZIP if file.compression == "gzip" else file.media_type
        super().__init__(file.path, headers=headers, media_type=media_type)
        self.ranges = ranges

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kept = [(k, v) for k, v in scope["headers"] if k not in (b"range", b"if-range")]
        if self.ranges is not None:
            kept.append((b"range", self.ranges.encode("latin-1")))
        await super().__call__({**scope, "headers": kept}, receive, send)


def _not_modified(request: Request, etag: str, last_modified: str | None) -> bool:
    """RFC 9110 13.2.2: If-None-Match decides when present, else If-Modified-Since."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        return if_none_match.strip() == "*" or matches_if_none_match(if_none_match, etag)
    since = request.headers.get("if-modified-since")
    if since is None or last_modified is None:
        return False
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored (RFC 9110 13.1.3)


def _range_to_serve(request: Request, file: ReleaseFile, validators: set[str]) -> str | None:
    header = request.headers.get("range")
    if header is None:
        return None
    if_range = request.headers.get("if-range")
    # only a strong validator may allow a range (RFC 9110 13.1.5); else the whole file
    if if_range is not None and (if_range.startswith("W/") or if_range not in validators):
        return None
    ranges = requested_ranges(header, file.size)
    if ranges is None:
        return None
    return "bytes=" + ",".join(f"{first}-{last}" for first, last in ranges)


def _listed(published: PublishedRelease, name: str) -> ReleaseFile:
    file = published.file(name)
    if file is None:
        published.require()
        raise SourceNotFoundError(
            f"the release {published.identifier} has no file {name!r}",
            hint=f"its files are listed at {DOWNLOAD_PREFIX}",
        )
    return file


def download_listing(published: PublishedRelease) -> dict[str, object]:
    """The index of the release's files, as /download/ shows and /download.json says."""
    release = published.require()
    files = []
    for distribution in release.facts.distributions:
        file = published.file(distribution.name)
        files.append(
            {
                "name": distribution.name,
                "url": DOWNLOAD_PREFIX + distribution.name,
                "media_type": distribution.media_type,
                "content_type": _GZIP if distribution.compression == "gzip" else None,
                "size": distribution.size,
                "sha256": distribution.sha256,
                "compression": distribution.compression,
                "changes": distribution.name == CHANGES_NAME,
                "served": file is not None,
            }
        )
    return {
        "release": published.identifier,
        "version": release.facts.version,
        "modified": release.facts.modified,
        "triples": release.facts.triples,
        "previous": release.previous,
        "served_release": published.served,
        "warning": published.mismatch,
        "checksums": DOWNLOAD_PREFIX + "SHA256SUMS" if published.file("SHA256SUMS") else None,
        "manifest": DOWNLOAD_PREFIX + "release.json" if published.file("release.json") else None,
        "files": files,
        "not_served": list(published.files.problems),
    }


def _json(body: dict[str, object]) -> Response:
    return Response(json.dumps(body, ensure_ascii=False, indent=1), 200, None, _JSON)


@router.api_route(DOWNLOAD_PREFIX, methods=["GET", "HEAD"], include_in_schema=False)
async def _download_index(request: Request) -> Response:
    """The release's files with sizes, checksums and media types (HTML, or JSON)."""
    listing = download_listing(published_release(request))
    if best_media_type(request.headers.get("accept"), (_HTML, _JSON)) == _JSON:
        return _json(listing)
    language = page_language(request)
    html = (
        page_templates()
        .get_template("downloads.html")
        .render(
            title="Downloads",
            lang=language,
            stylesheet=asset_url("pages.css"),
            language_links=language_links(request),
            listing=listing,
            release=listing["release"],
        )
    )
    return HTMLResponse(html)


@router.api_route("/download.json", methods=["GET", "HEAD"], include_in_schema=False)
async def _download_index_json(request: Request) -> Response:
    return _json(download_listing(published_release(request)))


@router.api_route(DOWNLOAD_PREFIX + "{name:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def _download_file(request: Request, name: str) -> Response:
    """One file of the release, the bytes the build wrote (see the module docstring)."""
    published = published_release(request)
    file = _listed(published, name)
    etag = file_etag(published, file)
    last_modified = published.last_modified
    headers = {"ETag": etag, "Cache-Control": app_state(request).settings.cache_control}
    if last_modified is not None:
        headers["Last-Modified"] = last_modified
    if _not_modified(request, etag, last_modified):
        return Response(None, 304, headers)
    validators = {etag} | ({last_modified} if last_modified else set())
    ranges = _range_to_serve(request, file, validators)
    return _FileAnswer(file, headers=headers, ranges=ranges)
