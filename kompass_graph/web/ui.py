"""The browser query page that GET /sparql shows to browsers (Accept: text/html).

The page is YASGUI (npm package @zazuko/yasgui): a SPARQL editor with syntax
highlighting and a results table. Its built files are committed in static/vendor/
(refreshed by a maintainer with ui/refresh_assets.py, never at install), so the page works
without internet: every script, stylesheet and request stays on this server, which
the page's Content-Security-Policy also enforces in the browser. Our own small
static/query.js configures YASGUI for this endpoint, with our prefixes and the stored
queries as examples.

The HTML comes from templates/query.html through Jinja2 with autoescaping: every value
is escaped as text, and the configuration for query.js is embedded with `tojson`, so a
stored query's title or text cannot add markup or close the script element.

The interface for the web app (which hands in the stored queries; web/ reads no files):
    build_query_page(settings, queries=registry)  the page for a stored-query registry
    render_query_page(settings, examples=...)     the page for a sequence of examples
    mount_ui_assets(app)                          serves static/ under /static/
read_project_examples(settings) is transitional: it reads sparql/*.rq for the one caller
that has no registry yet.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Protocol

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

from kompass_graph.errors import ConfigurationError
from kompass_graph.namespaces import prefix_map
from kompass_graph.settings import Settings

__all__ = [
    "ENDPOINT_PATH",
    "STATIC_URL_PATH",
    "ExampleQuery",
    "asset_url",
    "build_query_page",
    "code_spans",
    "mount_ui_assets",
    "page_templates",
    "render_query_page",
]

logger = logging.getLogger(__name__)

ENDPOINT_PATH = "/sparql"
STATIC_URL_PATH = "/static"
STATIC_FOLDER = Path(__file__).resolve().parent / "static"

#: files the page loads, relative to STATIC_FOLDER; vendor/ is committed (ui/refresh_assets.py)
_VENDOR_STYLESHEET = "vendor/yasgui.min.css"
_VENDOR_SCRIPT = "vendor/yasgui.min.js"
_OWN_STYLESHEET = "query.css"
_OWN_SCRIPT = "query.js"

# Everything from this server, nothing from anywhere else. YASGUI sets inline style
# attributes (column widths, resizing), hence 'unsafe-inline' for styles only.
_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'"
)

_PAGE_TEMPLATE = "query.html"

_CACHE_FOREVER = "public, max-age=31536000, immutable"
_CACHE_REVALIDATE = "no-cache"

#: the prefixes the editor's first query declares; any other known prefix is declared
#: by the editor as soon as someone types it (see query.js)
_DEFAULT_QUERY_PREFIXES = ("kg", "rdf", "rdfs", "skos")


@dataclass(frozen=True)
class _PageAssets:
    """The versioned URLs of the files the page loads."""

    vendor_css: str
    own_css: str
    vendor_js: str
    own_js: str


@cache
def page_templates() -> Environment:
    """Every page's templates (query page, resource pages, API docs), autoescaped; from
    the package, so the installed wheel has them."""
    environment = Environment(
        loader=PackageLoader("kompass_graph.web", "templates"),
        autoescape=select_autoescape(("html",)),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    # `tojson` keeps the prefixes in our order (query.js offers them so) and the text
    # as it is; it still replaces `<`, `>`, `&` and `'` with JSON escapes
    environment.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False}
    environment.filters["code_spans"] = code_spans
    return environment


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def code_spans(text: str) -> Markup:
    """`text` escaped, with its `backticked` spans as <code> (OpenAPI descriptions are
    CommonMark; their code spans are all we render of it)."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", str(escape(text))))


class ExampleQuery(Protocol):
    """What the page needs of an example; kompass_graph.queries.StoredQuery fits."""

    @property
    def name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def text(self) -> str: ...


def build_query_page(settings: Settings, *, queries: Mapping[str, ExampleQuery]) -> str:
    """The query page offering every query of a stored-query registry (name -> query, as
    `kompass_graph.queries.load_stored_queries` returns it), in the registry's order.

    The app calls this once with the registry it was handed; raises
    ConfigurationError when the YASGUI files are missing."""
    return render_query_page(settings, examples=queries.values())


def render_query_page(settings: Settings, *, examples: Iterable[ExampleQuery]) -> str:
    """The query page's HTML; raises ConfigurationError when the YASGUI files are missing."""
    shown = list(examples)
    prefixes = prefix_map(settings.base_iri)
    config = {
        "endpoint": ENDPOINT_PATH,
        "prefixes": prefixes,
        "defaultQuery": _default_query(prefixes),
        "examples": [
            {"name": e.name, "title": e.title, "description": e.description, "text": e.text}
            for e in shown
        ],
    }
    assets = _PageAssets(
        vendor_css=asset_url(_VENDOR_STYLESHEET),
        own_css=asset_url(_OWN_STYLESHEET),
        vendor_js=asset_url(_VENDOR_SCRIPT),
        own_js=asset_url(_OWN_SCRIPT),
    )
    return (
        page_templates()
        .get_template(_PAGE_TEMPLATE)
        .render(
            csp=_CONTENT_SECURITY_POLICY,
            assets=assets,
            endpoint=ENDPOINT_PATH,
            examples=shown,
            config=config,
        )
    )


def mount_ui_assets(app: Starlette) -> None:
    """Serve static/ (our script and style, and YASGUI's) under /static/.

    URLs the page writes carry `?v=<content hash>`; a request whose hash is current is
    cacheable for a year, anything else is revalidated with the ETag.
    """
    missing = [name for name in (_VENDOR_SCRIPT, _VENDOR_STYLESHEET) if not _is_asset(name)]
    if missing:
        logger.warning("query page assets missing: %s; %s", ", ".join(missing), _REBUILD_HINT)
    app.mount(STATIC_URL_PATH, _VersionedStaticFiles(directory=STATIC_FOLDER), name="static")


_REBUILD_HINT = (
    "the files are committed in kompass_graph/web/static/vendor/: restore them with "
    "`git checkout -- kompass_graph/web/static/vendor/`, or rebuild them with "
    "`python3 ui/refresh_assets.py` (needs npm)"
)


class _VersionedStaticFiles(StaticFiles):
    def file_response(
        self,
        full_path: PathLike,
        stat_result: object,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)  # type: ignore[arg-type]
        requested_version = _query_parameter(scope, "v")
        current = requested_version is not None and requested_version == _file_version(
            Path(full_path)
        )
        response.headers["Cache-Control"] = _CACHE_FOREVER if current else _CACHE_REVALIDATE
        return response


def _query_parameter(scope: Scope, name: str) -> str | None:
    raw: bytes = scope.get("query_string", b"")
    query = raw.decode("latin-1")
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if key == name:
            return value
    return None


def _is_asset(relative: str) -> bool:
    return (STATIC_FOLDER / relative).is_file()


def asset_url(relative: str) -> str:
    """`/static/<relative>?v=<content hash>`: cacheable for good, changes with the file."""
    path = STATIC_FOLDER / relative
    if not path.is_file():
        raise ConfigurationError(f"the query page's asset {path} is missing", hint=_REBUILD_HINT)
    return f"{STATIC_URL_PATH}/{relative}?v={_file_version(path)}"


def _file_version(path: Path) -> str:
    stat = path.stat()
    return _content_hash(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _content_hash(path: Path, mtime_ns: int, size: int) -> str:
    # mtime and size are part of the cache key, so an edited file gets a new hash.
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _default_query(prefixes: dict[str, str]) -> str:
    lines = [f"PREFIX {prefix}: <{prefixes[prefix]}>" for prefix in _DEFAULT_QUERY_PREFIXES]
    lines += [
        "",
        "SELECT ?class ?label (COUNT(?instance) AS ?instances) WHERE {",
        "  ?instance a ?class .",
        "  OPTIONAL { ?class rdfs:label ?label }",
        "}",
        "GROUP BY ?class ?label",
        "ORDER BY DESC(?instances)",
        "LIMIT 25",
    ]
    return "\n".join(lines) + "\n"
