"""/linksets: the release's linkset report as a page (de/en) and as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.conftest import AppClient, serve
from tests.web.release_fixture import IDENTIFIER, LINKSETS, make_release


@pytest.fixture(scope="module")
def fixture_release(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppClient]:
    client = serve(release_folder=make_release(tmp_path_factory.mktemp("linksets") / "r"))
    yield client
    client.close()


def test_the_json_is_the_release_report(fixture_release: AppClient) -> None:
    for url, accept in (("/linksets.json", "*/*"), ("/linksets", "application/json")):
        response = fixture_release.get(url, headers={"Accept": accept})
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.json() == LINKSETS


def test_the_page_shows_counts_unlinked_kinds_and_the_escaped_join(
    fixture_release: AppClient,
) -> None:
    response = fixture_release.get("/linksets", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["link"] == '</linksets.json>; rel="alternate"; type="application/json"'
    page = response.text
    assert "<h2>Wikidata &lt;&amp;&gt; friends</h2>" in page
    assert '<span class="kg-links" data-links="3">3</span>' in page
    assert '<span class="kg-resources" data-resources="2">2</span>' in page
    assert '<td><code>skos:exactMatch</code></td><td class="kg-count">3</td>' in page
    # the kind not yet (fully) linked, with the resources that lack the link, as links
    assert (
        '<tr class="kg-unlinked" data-kind="https://w3id.org/kompass-graph/ontology#District">'
        in page
    )
    assert '<a href="/id/actor/kreis-a">actor:kreis-a</a>, <a href="/id/actor/kreis-b">' in page
    assert page.count('class="kg-unlinked"') == 1 and page.count('class="kg-linked"') == 1
    # the SPARQL to join, escaped inside its <pre>: nothing of it becomes markup
    assert "<script>" not in page
    query = LINKSETS["targets"][0]["joins"][0]["query"]  # type: ignore[index]
    escaped = query.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace('"', "&#34;")
    assert f'<pre class="kg-sparql">{escaped}</pre>' in page
    assert "Abdeckung nach Art" in page and f"<code>{IDENTIFIER}</code>" in page


def test_the_page_is_in_english_on_request(fixture_release: AppClient) -> None:
    page = fixture_release.get("/linksets", headers={"Accept-Language": "en"}).text
    assert "Coverage by kind" in page and '<html lang="en">' in page
    assert "Abdeckung" not in page


def test_a_release_without_a_report_answers_404(tmp_path: Path) -> None:
    folder = make_release(tmp_path / "r")
    (folder / "linksets.json").unlink()
    client = serve(release_folder=folder)
    try:
        response = client.get("/linksets")
        assert response.status_code == 404
        assert response.json()["type"].endswith("/problems/not-found")
    finally:
        client.close()


def test_the_real_data_s_report_names_what_is_not_linked_yet() -> None:
    """The server's own release of the project's data: no Wikidata links yet."""
    client = serve(only_data=[])
    try:
        report = client.get("/linksets.json").json()
        wikidata = next(t for t in report["targets"] if t["slug"] == "wikidata")
        assert (wikidata["links"], wikidata["resources"]) == (0, 0)
        municipalities = wikidata["coverage"][0]
        assert municipalities["kind"].endswith("#Municipality")
        assert (municipalities["resources"], municipalities["linked"]) == (7, 0)
        page = client.get("/linksets?lang=en").text
        assert '<section class="kg-target" id="wikidata" data-target="wikidata">' in page
        assert "P439" in page and '<pre class="kg-sparql">' in page
        assert json.dumps(report)  # plain JSON
    finally:
        client.close()
