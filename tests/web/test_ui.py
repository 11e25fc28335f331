"""The query page and its assets, in-process (the browser test drives the real thing)."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pyoxigraph
import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from kompass_graph.errors import ConfigurationError
from kompass_graph.namespaces import our_namespaces, standard_prefixes
from kompass_graph.queries import StoredQuery, parse_stored_query, project_queries
from kompass_graph.settings import Settings
from kompass_graph.web import ui
from kompass_graph.web.ui import (
    build_query_page,
    mount_ui_assets,
    render_query_page,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ui"
EXAMPLE_FILES = sorted((FIXTURES / "sparql").glob("*.rq"))


@dataclass
class ParsedPage:
    """What a browser would load and read from the page."""

    scripts: list[str] = field(default_factory=list)
    stylesheets: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    script_texts: dict[str, str] = field(default_factory=dict)
    example_buttons: list[dict[str, str]] = field(default_factory=list)
    csp: str | None = None


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._script_id: str | None = None
        self._button: dict[str, str] | None = None
        self._span_class: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        for name in ("src", "href"):
            if name in attributes:
                self.page.urls.append(attributes[name])
        if tag == "script":
            if "src" in attributes:
                self.page.scripts.append(attributes["src"])
            self._script_id = attributes.get("id", "")
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.page.stylesheets.append(attributes["href"])
        elif tag == "meta" and attributes.get("http-equiv") == "Content-Security-Policy":
            self.page.csp = attributes["content"]
        elif tag == "button" and "data-example" in attributes:
            self._button = {
                "name": attributes["data-example"],
                "tooltip": attributes.get("title", ""),
                "title": "",
                "description": "",
            }
            self.page.example_buttons.append(self._button)
        elif tag == "span":
            self._span_class = attributes.get("class")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script_id = None
        elif tag == "button":
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._script_id:
            self.page.script_texts[self._script_id] = (
                self.page.script_texts.get(self._script_id, "") + data
            )
        if self._button is not None and self._span_class == "kg-example-title":
            self._button["title"] += data
        if self._button is not None and self._span_class == "kg-example-description":
            self._button["description"] += data


def parse_page(page: str) -> ParsedPage:
    parser = _PageParser()
    parser.feed(page)
    parser.close()
    return parser.page


def page_config(page: str) -> dict[str, object]:
    config: dict[str, object] = json.loads(parse_page(page).script_texts["kg-query-config"])
    return config


class AppClient:
    """Synchronous requests to an ASGI app in-process.

    (Starlette's TestClient now warns unless `httpx2` is installed, and warnings are
    errors here; httpx's own ASGI transport does the same job.)
    """

    def __init__(self, app: FastAPI) -> None:
        self._app = app

    def get(self, url: str, *, headers: dict[str, str] | None = None) -> httpx.Response:
        async def fetch() -> httpx.Response:
            transport = httpx.ASGITransport(app=self._app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
                return await c.get(url, headers=headers)

        return asyncio.run(fetch())


@pytest.fixture
def examples() -> list[StoredQuery]:
    return [parse_stored_query(path) for path in EXAMPLE_FILES]


@pytest.fixture
def client(examples: list[StoredQuery]) -> AppClient:
    settings = Settings()
    app = FastAPI()
    mount_ui_assets(app)

    @app.get("/sparql", response_class=HTMLResponse)
    def query_page() -> str:
        return render_query_page(settings, examples=examples)

    return AppClient(app)


# --- examples ---------------------------------------------------------------------


def test_project_examples_come_from_its_sparql_folder(tmp_path: Path) -> None:
    (tmp_path / "ontology").mkdir()
    (tmp_path / "sparql").mkdir()
    for path in EXAMPLE_FILES:
        (tmp_path / "sparql" / path.name).write_text(path.read_text())
    (tmp_path / "sparql" / "notes.txt").write_text("# title: not a query")
    examples = list(project_queries(Settings(project_root=tmp_path)).values())
    assert [e.name for e in examples] == ["funders-count", "projects-by-funder"]
    assert examples[1].title == "Projects and their funders"


def test_page_offers_every_stored_query_of_the_project() -> None:
    examples = list(project_queries(Settings()).values())
    assert len(examples) >= 10, "the project's sparql/ folder should hold its stored queries"
    page = parse_page(render_query_page(Settings(), examples=examples))
    assert [b["name"] for b in page.example_buttons] == [e.name for e in examples]
    assert all(b["title"] for b in page.example_buttons)


# --- the page -----------------------------------------------------------------------


def test_page_loads_yasgui_and_our_assets_from_this_server(client: AppClient) -> None:
    response = client.get("/sparql")
    assert response.status_code == 200
    page = parse_page(response.text)
    assert [s.split("?")[0] for s in page.scripts] == [
        "/static/vendor/yasgui.min.js",
        "/static/query.js",
    ]
    assert [s.split("?")[0] for s in page.stylesheets] == [
        "/static/vendor/yasgui.min.css",
        "/static/query.css",
    ]
    for url in page.scripts + page.stylesheets:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 1000 or url.startswith(("/static/query",)), url


def test_page_names_no_other_host(client: AppClient) -> None:
    page = parse_page(client.get("/sparql").text)
    assert page.urls, "the page has no URLs at all; the check would prove nothing"
    remote = [url for url in page.urls if re.match(r"^([a-z][a-z0-9+.-]*:)?//", url, re.I)]
    assert remote == []
    assert page.csp is not None
    assert "default-src 'none'" in page.csp
    assert "connect-src 'self'" in page.csp
    assert "script-src 'self'" in page.csp


def test_page_preloads_our_and_the_standard_prefixes() -> None:
    settings = Settings(base_iri="https://example.org/graph/")
    config = page_config(render_query_page(settings, examples=[]))
    expected = {**standard_prefixes(), **our_namespaces("https://example.org/graph/").prefixes()}
    assert config["prefixes"] == expected
    assert expected["kg"] == "https://example.org/graph/ontology#"
    default_query = str(config["defaultQuery"])
    assert "PREFIX kg: <https://example.org/graph/ontology#>" in default_query
    assert config["endpoint"] == "/sparql"


def test_default_query_is_valid_sparql() -> None:
    config = page_config(render_query_page(Settings(), examples=[]))
    store = pyoxigraph.Store()
    store.load(path=str(FIXTURES / "data.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    results = store.query(str(config["defaultQuery"]))
    assert isinstance(results, pyoxigraph.QuerySolutions)
    counts = {str(row["class"].value): int(row["instances"].value) for row in results}
    assert counts == {
        "https://w3id.org/kompass-graph/ontology#Project": 3,
        "https://w3id.org/kompass-graph/ontology#Funder": 2,
    }


def test_page_lists_examples_escaped(client: AppClient, examples: list[StoredQuery]) -> None:
    response = client.get("/sparql")
    page = parse_page(response.text)
    assert page.example_buttons == [
        {"name": e.name, "tooltip": e.description, "title": e.title, "description": e.description}
        for e in examples
    ]
    assert "Number of projects per funder &lt;&amp;&gt;" in response.text
    config = page_config(response.text)
    assert config["examples"] == [
        {"name": e.name, "title": e.title, "description": e.description, "text": e.text}
        for e in examples
    ]


def test_example_text_cannot_close_the_config_script() -> None:
    hostile = StoredQuery(
        path=Path("hostile.rq"),
        name="hostile",
        title="</script><script>alert(1)</script>",
        description="<!-- & -->",
        text="SELECT * { ?s ?p '</script>' }",
    )
    page_text = render_query_page(Settings(), examples=[hostile])
    page = parse_page(page_text)
    assert [s.split("?")[0] for s in page.scripts] == [
        "/static/vendor/yasgui.min.js",
        "/static/query.js",
    ]
    assert page_config(page_text)["examples"] == [
        {
            "name": "hostile",
            "title": hostile.title,
            "description": "<!-- & -->",
            "text": hostile.text,
        }
    ]


def test_a_title_with_markup_is_shown_as_text() -> None:
    hostile = StoredQuery(
        path=Path("hostile.rq"),
        name='x" onclick="alert(1)',
        title="<script>alert(1)</script>",
        description='<img src=x onerror="alert(1)">',
        text="ASK {}",
    )
    page_text = render_query_page(Settings(), examples=[hostile])
    assert "<script>alert(1)</script>" not in page_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page_text
    assert "<img" not in page_text
    page = parse_page(page_text)
    assert page.example_buttons == [
        {
            "name": hostile.name,
            "tooltip": hostile.description,
            "title": hostile.title,
            "description": hostile.description,
        }
    ]
    assert [s.split("?")[0] for s in page.scripts] == [
        "/static/vendor/yasgui.min.js",
        "/static/query.js",
    ]
    assert set(page.script_texts) == {"kg-query-config"}


def test_page_is_built_from_the_registry_it_is_handed(examples: list[StoredQuery]) -> None:
    """The page reads no files: it shows the registry's queries, in the registry's order."""
    registry = {e.name: e for e in reversed(examples)}
    page_text = build_query_page(Settings(), queries=registry)
    assert [b["name"] for b in parse_page(page_text).example_buttons] == list(registry)
    configured = page_config(page_text)["examples"]
    assert isinstance(configured, list)
    assert [e["name"] for e in configured] == list(registry)
    assert build_query_page(Settings(), queries={}) == render_query_page(Settings(), examples=[])


def test_page_without_examples_says_so() -> None:
    page = render_query_page(Settings(), examples=[])
    assert "No example queries are installed." in page
    assert page_config(page)["examples"] == []


def test_missing_yasgui_files_are_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(ui, "STATIC_FOLDER", tmp_path)
    with pytest.raises(ConfigurationError, match=r"vendor/yasgui\.min\.(css|js) is missing") as e:
        render_query_page(Settings(), examples=[])
    assert "git checkout -- kompass_graph/web/static/vendor/" in str(e.value)


# --- caching of the assets ------------------------------------------------------------


def test_versioned_asset_urls_are_cached_for_good(client: AppClient) -> None:
    page = parse_page(client.get("/sparql").text)
    for url in page.scripts + page.stylesheets:
        assert re.search(r"\?v=[0-9a-f]{16}$", url), url
        response = client.get(url)
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_unversioned_or_stale_asset_urls_are_revalidated(client: AppClient) -> None:
    for url in ("/static/query.js", "/static/query.js?v=0000000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["content-type"].startswith("text/javascript")
        etag = response.headers["etag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304


def test_a_changed_file_gets_a_new_version(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for relative in ("vendor/yasgui.min.js", "vendor/yasgui.min.css", "query.js", "query.css"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("/* one */")
    monkeypatch.setattr(ui, "STATIC_FOLDER", tmp_path)
    before = parse_page(render_query_page(Settings(), examples=[])).scripts
    (tmp_path / "query.js").write_text("/* two, longer */")
    after = parse_page(render_query_page(Settings(), examples=[])).scripts
    assert before[0] == after[0]
    assert before[1] != after[1]


def test_code_spans_are_code_and_everything_else_stays_text() -> None:
    from kompass_graph.web.ui import code_spans

    rendered = str(code_spans("a `<b>` & `x` <script>"))
    assert rendered == "a <code>&lt;b&gt;</code> &amp; <code>x</code> &lt;script&gt;"
