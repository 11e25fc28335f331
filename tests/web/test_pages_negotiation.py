"""Every IRI of our data resolves, in every format, with the same statements.

One resource of every class our IRIs have (found by query in the project's files, so a
new class is tested without being listed) is asked for as HTML and in each RDF format,
by `Accept` and by its document URL. Each document must parse back to exactly the
statements an in-process store loaded with the same files holds about it (with the
entailed types and properties the server adds at load).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest

from kompass_graph.settings import Settings
from kompass_graph.sources import find_project_files
from kompass_graph.store.materialise import materialise_entailments
from tests.web.conftest import AppClient, serve

BASE = Settings().base_iri
ENTAILED = BASE + "graph/entailed"

#: our format name -> (suffix, media type, pyoxigraph format)
FORMATS = {
    "turtle": ("ttl", "text/turtle", ox.RdfFormat.TURTLE),
    "ntriples": ("nt", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    "rdfxml": ("rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    "jsonld": ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
    "trig": ("trig", "application/trig", ox.RdfFormat.TRIG),
    "nquads": ("nq", "application/n-quads", ox.RdfFormat.N_QUADS),
}
QUAD_FORMATS = {"trig", "nquads"}


def _reference_store() -> ox.Store:
    store = ox.Store()
    files = find_project_files(Settings().project_root).graph_files
    assert files, "no project files found; the comparison would prove nothing"
    for path in files:
        rdf_format = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        assert rdf_format is not None
        store.load(path=str(path), format=rdf_format)
    materialise_entailments(store, base_iri=BASE)
    return store


REFERENCE = _reference_store()


def _one_resource_per_class() -> dict[str, str]:
    """class IRI -> the alphabetically first of our IRIs (under /id/, /concept/,
    /graph/) typed with it."""
    query = f"""
    SELECT ?class (MIN(STR(?x)) AS ?sample) WHERE {{
      ?x a ?class .
      FILTER (isIRI(?x) && (STRSTARTS(STR(?x), "{BASE}id/")
              || STRSTARTS(STR(?x), "{BASE}concept/") || STRSTARTS(STR(?x), "{BASE}graph/")))
    }} GROUP BY ?class ORDER BY ?class
    """
    rows = REFERENCE.query(query, use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    return {row["class"].value: row["sample"].value for row in rows}


SAMPLES = _one_resource_per_class()
PATHS = sorted(set(SAMPLES.values()))


def _vary(answer: httpx.Response) -> set[str]:
    """The header names of Vary (the middleware adds Accept-Encoding and Origin)."""
    return {name.strip() for name in answer.headers.get("vary", "").split(",") if name.strip()}


def _path(iri: str) -> str:
    return "/" + iri[len(BASE) :]


def _expected_quads(iri: str) -> set[ox.Quad]:
    subject = ox.NamedNode(iri)
    return set(REFERENCE.quads_for_pattern(subject, None, None, None))


@pytest.fixture(scope="module")
def client() -> Iterator[AppClient]:
    app_client = serve(only_data=[])
    yield app_client
    app_client.close()


def test_the_samples_cover_our_kinds_of_resource() -> None:
    """The query finds what the checks below need: it can fail."""
    kg = BASE + "ontology#"
    for cls in ("Project", "Funding", "Participation", "Municipality", "Person", "Network"):
        assert kg + cls in SAMPLES, cls
    for cls in ("ExternalIdentifier", "SourceGraph", "ReferenceSource", "Editor", "Portal"):
        assert kg + cls in SAMPLES, cls
    assert "http://www.w3.org/2004/02/skos/core#Concept" in SAMPLES
    assert "http://www.w3.org/ns/org#Membership" in SAMPLES
    assert any(p.startswith("/concept/") for p in map(_path, PATHS))
    assert any(p.startswith("/graph/") for p in map(_path, PATHS))
    assert len(PATHS) >= 20


@pytest.mark.parametrize("iri", PATHS, ids=[_path(i) for i in PATHS])
def test_every_class_answers_html_by_default(client: AppClient, iri: str) -> None:
    path = _path(iri)
    answer = client.get(path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.headers["content-location"] == f"{path}.html"
    assert {"Accept", "Accept-Language"} <= _vary(answer)
    link = answer.headers["link"]
    for suffix, media_type, _ in FORMATS.values():
        assert f'<{path}.{suffix}>; rel="alternate"; type="{media_type}"' in link
    assert f'<link rel="alternate" type="text/turtle" href="{path}.ttl">' in answer.text


@pytest.mark.parametrize("iri", PATHS, ids=[_path(i) for i in PATHS])
@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_every_class_parses_back_in_every_format(
    client: AppClient, iri: str, format_name: str
) -> None:
    suffix, media_type, rdf_format = FORMATS[format_name]
    path = _path(iri)
    negotiated = client.get(path, headers={"Accept": media_type})
    assert negotiated.status_code == 200
    assert negotiated.headers["content-type"].split(";")[0] == media_type
    assert negotiated.headers["content-location"] == f"{path}.{suffix}"
    assert {"Accept", "Accept-Language"} <= _vary(negotiated)
    document = client.get(f"{path}.{suffix}")
    assert document.status_code == 200
    assert document.content == negotiated.content
    # a document URL has one representation, whatever the client accepts
    assert not {"Accept", "Accept-Language"} & _vary(document)

    expected = _expected_quads(iri)
    assert expected, f"{iri} has no statements in the reference store"
    assert not any(isinstance(q.object, ox.BlankNode) for q in expected)
    parsed = set(ox.parse(document.content, format=rdf_format))
    if format_name in QUAD_FORMATS:
        assert parsed == expected
    else:
        assert {q.triple for q in parsed} == {q.triple for q in expected}


def test_documents_declare_only_the_prefixes_they_use(client: AppClient) -> None:
    text = client.get("/concept/role/participant.ttl").text
    assert "@prefix role: <" in text
    assert "@prefix funding:" not in text


def test_entailed_statements_keep_their_graph(client: AppClient) -> None:
    project = BASE + "id/project/interkulturelle-oeffnung-der-verwaltung-als-chance"
    quads = set(ox.parse(client.get(_path(project) + ".nq").content, format=ox.RdfFormat.N_QUADS))
    entailed = {q for q in quads if q.graph_name == ox.NamedNode(ENTAILED)}
    assert (
        ox.Quad(
            ox.NamedNode(project),
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode("http://www.w3.org/ns/prov#Activity"),
            ox.NamedNode(ENTAILED),
        )
        in entailed
    )


@pytest.mark.parametrize(
    "path", ["/id/project/no-such-project", "/concept/role/nobody", "/graph/source/nothing"]
)
def test_unknown_iris_are_a_404_problem(client: AppClient, path: str) -> None:
    for accept in ("text/html", "text/turtle"):
        answer = client.get(path, headers={"Accept": accept})
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"
        problem = answer.json()
        assert problem["status"] == 404
        assert problem["type"].endswith("not-found")
        assert BASE + path.lstrip("/") in problem["detail"]
    assert client.get(path + ".ttl").status_code == 404
    assert client.request("HEAD", path).status_code == 404


def test_an_unacceptable_format_is_a_406(client: AppClient) -> None:
    answer = client.get("/concept/role/participant", headers={"Accept": "image/png"})
    assert answer.status_code == 406
    assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "path", ["/id/project/auslaenderbehoerden-willkommensbehoerden", "/concept/role/lead.ttl"]
)
def test_head_is_get_without_a_body(client: AppClient, path: str) -> None:
    get = client.get(path)
    head = client.request("HEAD", path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    for name in ("content-type", "content-location", "link", "content-length"):
        assert head.headers.get(name) == get.headers.get(name), name
