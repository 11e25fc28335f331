"""The HTML resource pages: labels in the chosen language, sources, links, identifiers,
the project diagram, the query link, the base-IRI mapping and escaping."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from urllib.parse import unquote

import pytest

from kompass_graph.settings import Settings
from tests.web.conftest import FIXTURES, AppClient, serve

BASE = Settings().base_iri
PROJECT = "/id/project/interkulturelle-oeffnung-der-verwaltung-als-chance"


@pytest.fixture(scope="module")
def client() -> Iterator[AppClient]:
    app_client = serve(only_data=[])
    yield app_client
    app_client.close()


def _title(html: str) -> str:
    found = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert found is not None
    return unescape(found[1])


def _hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


def test_german_by_default(client: AppClient) -> None:
    answer = client.get(PROJECT)
    assert answer.headers["content-language"] == "de"
    assert '<html lang="de">' in answer.text
    assert _title(answer.text) == "Interkulturelle Öffnung der Verwaltung als Chance"
    assert "Namen und Beschreibung" in answer.text


@pytest.mark.parametrize(
    ("url", "accept_language", "expected"),
    [
        (PROJECT, "en-GB,en;q=0.9", "en"),
        (PROJECT, "fr, en;q=0.5, de;q=0.4", "en"),
        (PROJECT, "fr", "de"),
        (PROJECT + "?lang=en", "de", "en"),
        (PROJECT + "?lang=de", "en", "de"),
        (PROJECT + ".html?lang=en", None, "en"),
    ],
)
def test_language_from_accept_language_or_lang(
    client: AppClient, url: str, accept_language: str | None, expected: str
) -> None:
    headers = {"Accept-Language": accept_language} if accept_language else {}
    answer = client.get(url, headers=headers)
    assert answer.status_code == 200
    assert answer.headers["content-language"] == expected
    title = {
        "de": "Interkulturelle Öffnung der Verwaltung als Chance",
        "en": "Intercultural opening of the administration as an opportunity",
    }[expected]
    assert _title(answer.text) == title


def test_language_links_switch_language(client: AppClient) -> None:
    html = client.get(PROJECT).text
    assert f'<a href="{PROJECT}?lang=en" hreflang="en" lang="en" data-lang="en">EN</a>' in html
    english = client.get(f"{PROJECT}?lang=en").text
    assert f'href="{PROJECT}?lang=de"' in english
    assert "Names and description" in english


def test_an_unknown_lang_falls_back_to_accept_language(client: AppClient) -> None:
    answer = client.get(PROJECT + "?lang=fr", headers={"Accept-Language": "en"})
    assert answer.status_code == 200
    assert answer.headers["content-language"] == "en"


def test_properties_types_and_values_show_labels(client: AppClient) -> None:
    html = client.get(PROJECT + "?lang=en").text
    # the type and the properties by their ontology labels, linked to the ontology
    assert '<a href="/ontology#Project" title="' + BASE + 'ontology#Project">Project</a>' in html
    assert ">has participation</a>" in html
    assert ">is funded by</a>" in html
    # related resources by label, linked to this server
    assert '<a href="/concept/goal/welcome-culture"' in html
    assert ">Federal Office for Migration and Refugees</a>" in html
    # a standard term without a label in the store: its bundled label
    assert ">was associated with</a>" in html
    assert ">prov:wasAssociatedWith</a>" not in html


def test_every_fact_names_its_graph_and_kind(client: AppClient) -> None:
    html = client.get(PROJECT + "?lang=en").text
    source_page = "/graph/source/modellprojekt-bamf-kommunen"
    assert (
        f'<a href="{source_page}">What the page &#34;Modellprojekt BAMF - Kommunen&#34; says</a>'
        ' <span class="kg-kind">stated by the source</span>'
    ) in html
    assert '<a href="/graph/interpretation/modellprojekt-bamf-kommunen">' in html
    assert client.get(source_page).status_code == 200


def test_groups_are_in_order_and_entailed_last(client: AppClient) -> None:
    html = client.get(PROJECT).text
    groups = re.findall(r'id="group-([a-z-]+)"', html)
    assert groups == ["names", "relations", "participation", "entailed"]


def test_external_identifiers_link_to_their_registries(client: AppClient) -> None:
    html = client.get("/id/actor/main-taunus-kreis").text
    hrefs = _hrefs(html)
    assert "http://data.europa.eu/nuts/code/DE71A" in hrefs
    assert "http://dcat-ap.de/def/politicalGeocoding/districtKey/06436" in hrefs
    identifier = client.get("/id/identifier/ags-06436004").text
    assert "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/06436004" in _hrefs(identifier)


def test_the_query_link_carries_a_query_of_the_statements(client: AppClient) -> None:
    html = client.get(PROJECT).text
    link = next(h for h in _hrefs(html) if h.startswith("/sparql#query="))
    query = unquote(link.removeprefix("/sparql#query="))
    assert f"GRAPH ?graph {{ <{BASE}{PROJECT.lstrip('/')}> ?property ?value }}" in query
    answer = client.get("/sparql", params={"query": query}, headers={"Accept": "application/json"})
    assert answer.status_code == 200
    assert len(answer.json()["results"]["bindings"]) > 20


def test_a_project_page_shows_its_diagram(client: AppClient) -> None:
    html = client.get(PROJECT).text
    svg = re.search(r'<svg class="kg-diagram".*?</svg>', html, re.S)
    assert svg is not None
    boxes = re.findall(r'<a href="([^"]+)" class="kg-diagram-node kg-diagram-(\w+)">', svg[0])
    assert (PROJECT, "project") in boxes
    participants = sorted(href for href, kind in boxes if kind == "participant")
    assert participants == [
        "/id/actor/bamf",
        "/id/actor/dietzenbach",
        "/id/actor/floersheim-am-main",
        "/id/actor/giessen",
        "/id/actor/moerfelden-walldorf",
        "/id/actor/muehlheim-am-main",
    ]
    funders = sorted(href for href, kind in boxes if kind == "funder")
    assert funders == ["/id/actor/eif", "/id/actor/hessische-landesregierung"]
    assert '<text class="kg-diagram-subtitle" x="159" y="' in svg[0]
    assert ">Auftraggeber</text>" in svg[0]  # the BAMF's role, by its label
    assert "Förderung · 104.000 EUR · 2013" in svg[0]
    assert "kg-diagram" not in client.get("/id/actor/giessen").text


def test_a_graph_page_counts_its_statements(client: AppClient) -> None:
    html = client.get("/graph/reference/profilbaru-com-giessen?lang=en").text
    assert "Statements in this graph: <strong>1</strong>" in html


def test_html_has_no_external_resources(client: AppClient) -> None:
    html = client.get(PROJECT).text
    loaded = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html)
    assert loaded
    assert [url for url in loaded if url.startswith(("http:", "https:", "//"))] == []


def test_every_literal_is_escaped() -> None:
    app_client = serve(only_data=[FIXTURES / "pages_escaping.trig"], validate_data=False)
    try:
        html = app_client.get("/id/project/evil").text
        actor = app_client.get("/id/actor/evil").text
    finally:
        app_client.close()
    assert "<script>alert" not in html and "<script>alert" not in actor
    assert "<img src=x" not in html
    assert "<b>graph</b>" not in html
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; | Kompass Graph</title>" in html
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt; &amp; more" in html
    assert "&lt;/text&gt;&lt;script&gt;alert(3)&lt;/script&gt;" in html  # in the diagram
    assert "&lt;b&gt;graph&lt;/b&gt;" in html


def test_links_point_at_this_server_under_another_base_iri() -> None:
    other = "http://example.org/kg/"
    app_client = serve(only_data=[], base_iri=other)
    try:
        answer = app_client.get(PROJECT)
        turtle = app_client.get(PROJECT + ".ttl").text
        unknown = app_client.get("/id/project/nothing")
    finally:
        app_client.close()
    assert answer.status_code == 200
    assert f'<p class="kg-iri">{other}{PROJECT.lstrip("/")}</p>' in answer.text
    hrefs = _hrefs(answer.text)
    assert "/id/actor/bamf" in hrefs
    assert "/graph/source/modellprojekt-bamf-kommunen" in hrefs
    assert not [h for h in hrefs if h.startswith((other, BASE))]
    assert "@prefix project: <http://example.org/kg/id/project/> ." in turtle
    assert BASE not in turtle
    assert unknown.status_code == 404
