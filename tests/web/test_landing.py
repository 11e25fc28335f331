"""The landing page at /: counts, projects, ways in, licence, sources and JSON-LD."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.conftest import FIXTURES, AppClient, serve

KG = "https://w3id.org/kompass-graph/ontology#"
BASE = "https://w3id.org/kompass-graph/"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def project() -> Iterator[AppClient]:
    client = serve(only_data=[])
    yield client
    client.close()


@pytest.fixture(scope="module")
def fixture_client() -> Iterator[AppClient]:
    client = serve(only_data=[FIXTURES / "ontology_docs.trig"], validate_data=False)
    yield client
    client.close()


def select(client: AppClient, query: str) -> list[dict[str, Any]]:
    answer = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.status_code == 200
    rows: list[dict[str, Any]] = answer.json()["results"]["bindings"]
    return rows


def dataset(html: str) -> dict[str, Any]:
    (embedded,) = JSON_LD.findall(html)
    found: dict[str, Any] = json.loads(embedded)
    return found


def test_the_counts_are_the_store_s(project: AppClient) -> None:
    html = project.get("/").text
    shown = {
        iri: int(n)
        for iri, n in re.findall(r'<td class="kg-count" data-class="([^"]+)">(\d+)</td>', html)
    }
    rows = select(
        project,
        "SELECT ?class (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a ?class "
        f'FILTER (STRSTARTS(STR(?class), "{KG}")) }} GROUP BY ?class',
    )
    assert shown == {r["class"]["value"]: int(r["n"]["value"]) for r in rows}
    assert shown[KG + "Project"] == 2
    assert '<a href="/ontology#Project">Projekt</a>' in html


def test_the_projects_link_to_their_pages_with_their_labels(project: AppClient) -> None:
    rows = select(
        project,
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        f"SELECT ?p ?label WHERE {{ ?p a <{KG}Project> ; skos:prefLabel ?label "
        'FILTER (LANG(?label) = "de") } ORDER BY ?label',
    )
    assert len(rows) == 2
    expected = [(r["p"]["value"].removeprefix(BASE.rstrip("/")), r["label"]["value"]) for r in rows]
    html = project.get("/").text
    listed = re.search(r'<ul class="kg-projects">(.*?)</ul>', html, re.S)
    assert listed is not None
    assert re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', listed.group(1)) == [
        (href, label.replace("'", "&#39;")) for href, label in expected
    ]
    assert all(href.startswith("/id/project/") for href, _ in expected)


def test_the_ways_in_the_licence_and_the_source(project: AppClient) -> None:
    html = project.get("/").text
    for href in ("/sparql", "/docs", "/ontology"):
        assert f'<a href="{href}">' in html
    assert '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">' in html
    (page,) = [
        r["page"]["value"]
        for r in select(
            project,
            f"SELECT ?page WHERE {{ ?d a <{KG}SourceDocument> ; "
            "<http://xmlns.com/foaf/0.1/page> ?page }",
        )
    ]
    assert f'<a href="{page}" lang="de">Modellprojekt BAMF - Kommunen</a>' in html
    assert "MIT" in html  # the code's licence, from the package


def test_the_json_ld_describes_a_schema_org_dataset(project: AppClient) -> None:
    described = dataset(project.get("/").text)
    assert described["@context"] == "https://schema.org/"
    assert described["@type"] == "Dataset"
    assert described["name"] == "Kompass Graph"
    assert described["url"] == BASE
    assert described["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert described["description"].startswith("Die Projekte des hessischen Integrationskompass")
    assert len(described["description"]) > 50
    projects = select(project, f"SELECT ?p WHERE {{ ?p a <{KG}Project> }}")
    assert sorted(p["@id"] for p in described["about"]) == sorted(r["p"]["value"] for r in projects)
    assert described["isBasedOn"][0]["name"] == "Modellprojekt BAMF - Kommunen"


def test_german_by_default_english_on_request(project: AppClient) -> None:
    german = project.get("/").text
    assert '<html lang="de">' in german and "<h2>Projekte" in german
    assert 'href="/?lang=en"' in german
    for english in (
        project.get("/?lang=en").text,
        project.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).text,
    ):
        assert '<html lang="en">' in english and "<h2>Projects" in english
        assert dataset(english)["description"].startswith("The projects of the Hessian")
        assert '<a href="/ontology#Project">Project</a>' in english


def test_nothing_from_the_data_can_close_the_script_or_add_markup(
    fixture_client: AppClient,
) -> None:
    html = fixture_client.get("/").text
    (embedded,) = JSON_LD.findall(html)
    assert "</" not in embedded and "<" not in embedded and "&" not in embedded
    described = json.loads(embedded)
    assert {p["name"] for p in described["about"]} == {
        "</script><script>alert(1)</script> A",
        "<b>B</b> & Co",
    }
    assert described["isBasedOn"] == [
        {
            "@type": "WebPage",
            "name": "Quelle </script><!--",
            "url": "https://example.org/page?a=1&b=2",
        }
    ]
    assert described["license"] == "https://example.org/licence"
    assert html.count("<script") == 1
    assert "&lt;b&gt;B&lt;/b&gt; &amp; Co" in html
    assert 'href="https://example.org/page?a=1&amp;b=2"' in html
