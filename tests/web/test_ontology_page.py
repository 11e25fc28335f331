"""/ontology: the ontology by content negotiation, and its documentation for browsers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
import rdflib

from kompass_graph.sources import find_project_files
from tests.web.conftest import FIXTURES, AppClient, serve

KG = "https://w3id.org/kompass-graph/ontology#"
DOCUMENTS = {
    "html": "text/html",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
    "jsonld": "application/ld+json",
    "trig": "application/trig",
    "nq": "application/n-quads",
}


def ontology_file() -> Path:
    (path,) = [p for p in find_project_files().ontology if p.name == "kompass.ttl"]
    return path


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


def triples(body: bytes, media_type: str) -> set[tuple[str, str, str]]:
    """The distinct triples of a document (graph names dropped), as N-Triples terms."""
    fmt = pyoxigraph.RdfFormat.from_media_type(media_type)
    assert fmt is not None, media_type
    return {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in pyoxigraph.parse(body, format=fmt)
    }


def written_triples() -> set[tuple[str, str, str]]:
    return triples(ontology_file().read_bytes(), "text/turtle")


def section(html: str, anchor: str) -> str:
    """The HTML of the term section with id `anchor`."""
    match = re.search(
        rf'<section class="kg-term" id="{re.escape(anchor)}">(.*?)</section>', html, re.S
    )
    assert match is not None, f"no section #{anchor}"
    return match.group(1)


def test_the_ontology_is_served_as_it_is_written(project: AppClient) -> None:
    answer = project.get("/ontology", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/turtle")
    assert answer.headers["content-location"] == "/ontology.ttl"
    assert "Accept" in [v.strip() for v in answer.headers["vary"].split(",")]
    assert triples(answer.content, "text/turtle") == written_triples()
    assert len(written_triples()) > 500
    # prefixes it needs, none it does not
    assert "@prefix kg: <https://w3id.org/kompass-graph/ontology#>" in answer.text
    assert "@prefix participation:" not in answer.text


def test_every_document_url_answers_its_format(project: AppClient) -> None:
    expected = written_triples()
    link = project.get("/ontology", headers={"Accept": "text/turtle"}).headers["link"]
    for suffix, media_type in DOCUMENTS.items():
        assert f'</ontology.{suffix}>; rel="alternate"; type="{media_type}"' in link
        answer = project.get(f"/ontology.{suffix}")
        assert answer.status_code == 200, suffix
        assert answer.headers["content-type"].split(";")[0] == media_type
        assert answer.headers["content-location"] == f"/ontology.{suffix}"
        if suffix != "html":
            assert triples(answer.content, media_type) == expected, suffix


@pytest.mark.parametrize(
    ("accept", "location"),
    [
        ("text/html,application/xhtml+xml,*/*;q=0.8", "/ontology.html"),
        ("application/ld+json", "/ontology.jsonld"),
        ("application/n-triples", "/ontology.nt"),
        ("*/*", "/ontology.html"),
    ],
)
def test_negotiation_picks_the_document(project: AppClient, accept: str, location: str) -> None:
    answer = project.get("/ontology", headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-location"] == location


def test_unknown_documents_versions_and_formats_are_refused(project: AppClient) -> None:
    assert project.get("/ontology", headers={"Accept": "application/pdf"}).status_code == 406
    for path in ("/ontology.pdf", "/ontology/0.1.0", "/ontology/0.2.0.pdf"):
        answer = project.get(path)
        assert answer.status_code == 404, path
        assert answer.headers["content-type"] == "application/problem+json"


def test_the_version_iri_answers_the_same_ontology(project: AppClient) -> None:
    current = project.get("/ontology.nt")
    answer = project.get("/ontology/0.2.0", headers={"Accept": "application/n-triples"})
    assert answer.status_code == 200
    assert answer.headers["content-location"] == "/ontology/0.2.0.nt"
    assert answer.content == current.content
    page = project.get("/ontology/0.2.0.html")
    assert page.status_code == 200 and 'id="Project"' in page.text


def test_head_is_get_without_a_body(project: AppClient) -> None:
    get = project.get("/ontology", headers={"Accept": "text/turtle"})
    head = project.request("HEAD", "/ontology", headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-location"] == get.headers["content-location"]


def test_every_class_and_property_has_its_section(project: AppClient) -> None:
    html = project.get("/ontology.html").text
    written = rdflib.Graph().parse(ontology_file(), format="turtle")
    owl = rdflib.OWL
    terms = {
        str(s)
        for kind in (owl.Class, owl.ObjectProperty, owl.DatatypeProperty)
        for s in written.subjects(rdflib.RDF.type, kind)
    }
    assert len(terms) > 60
    found = set(re.findall(r'<section class="kg-term" id="([^"]+)">', html))
    assert found == {t.removeprefix(KG) for t in terms}


def test_the_documentation_is_german_by_default_and_english_on_request(
    project: AppClient,
) -> None:
    german = project.get("/ontology.html")
    assert '<html lang="de">' in german.text
    assert "<h3>Projekt <code>kg:Project</code></h3>" in section(german.text, "Project")
    for english in (
        project.get("/ontology.html?lang=en"),
        project.get("/ontology.html", headers={"Accept-Language": "en-GB,en;q=0.9,de;q=0.5"}),
    ):
        assert '<html lang="en">' in english.text
        assert "<h3>Project <code>kg:Project</code></h3>" in section(english.text, "Project")
    # an explicit choice beats the header; the switch links both
    assert (
        '<html lang="de">'
        in project.get("/ontology.html?lang=de", headers={"Accept-Language": "en"}).text
    )
    assert 'href="/ontology.html?lang=en"' in german.text


def test_a_class_section_links_alignments_terms_and_instances(project: AppClient) -> None:
    html = project.get("/ontology.html").text
    organisation = section(html, "Organisation")
    for href in (
        "#Actor",
        "http://www.w3.org/ns/org#Organization",
        "https://schema.org/Organization",
    ):
        assert f'href="{href}"' in organisation
    assert 'href="#PublicBody"' in organisation  # a sub-class
    project_section = section(html, "Project")
    assert 'href="#hasParticipation"' in project_section  # domain of
    assert 'href="#fundedProject"' in project_section  # range of
    rows = project.get(
        "/sparql",
        params={"query": f"SELECT DISTINCT ?p WHERE {{ ?p a <{KG}Project> }} ORDER BY ?p"},
        headers={"Accept": "application/sparql-results+json"},
    ).json()["results"]["bindings"]
    expected = [r["p"]["value"].removeprefix("https://w3id.org/kompass-graph") for r in rows]
    assert len(expected) == 2
    assert re.findall(r'<li><a href="(/id/project/[^"]+)">', project_section) == expected
    assert f'data-class="kg:Project">{len(expected)}</span>' in project_section


def test_a_property_section_says_domain_range_and_characteristics(project: AppClient) -> None:
    participant = section(project.get("/ontology.html?lang=en").text, "participant")
    assert "<code>owl:ObjectProperty</code>" in participant
    assert "<code>owl:FunctionalProperty</code>" in participant
    for href in ("#Participation", "#Actor", "http://www.w3.org/ns/prov#agent"):
        assert f'href="{href}"' in participant


def test_labels_from_the_data_are_escaped(fixture_client: AppClient) -> None:
    html = fixture_client.get("/ontology.html").text
    assert "alert(1)" in html
    assert "<script>" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; A" in html
    assert "&lt;b&gt;B&lt;/b&gt; &amp; Co" in html
