"""The service description: an rdflib graph, written by rdflib, under a validated IRI."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, XSD

from kompass_graph.formats import FORMATS
from kompass_graph.namespaces import VOID
from kompass_graph.store.interface import LoadReport
from kompass_graph.web.service_description import (
    SD,
    describe_service,
    endpoint_iri,
    write_description,
)
from tests.web.conftest import AppClient

ENDPOINT = "http://example.org/sparql"
REPORT = LoadReport(files=[], triples=17, seconds=0.1, content_hash="abc")
HOSTILE_HOST = "x> ; <http://evil/> <http://evil/> <http://evil/"
#: what the in-process client's server address gives when the Host header is refused
FALLBACK_ENDPOINT = "http://testserver/sparql"
ODD_HOSTS = [
    HOSTILE_HOST,
    "x>",
    'x" ; <http://evil/>',
    "a b",
    "exa mple.org:80",
    "example.org:99999",
    "example.org:80:80",
    "example.org:",
    ":8000",
    "[::1",
    "[not-an-address]",
    "[::1]]",
    "user@example.org",
    "example.org/path",
    "example.org?x=1",
    "example.org#frag",
    "%65xample.org",
    "..",
    "a..b",
    "-leading.example",
    "x" * 300,
    "\\",
    "{}",
]


def _read(body: bytes, rdflib_format: str) -> Graph:
    """The answer as a graph; JSON-LD read by pyoxigraph (rdflib's reader warns of its own
    deprecated internals), which also shows that a second implementation can read it."""
    if rdflib_format != "json-ld":
        return Graph().parse(data=body, format=rdflib_format)
    triples = [quad.triple for quad in ox.parse(body, format=ox.RdfFormat.JSON_LD)]
    return Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


def _description(**options: object) -> Graph:
    arguments: dict[str, object] = {
        "endpoint": ENDPOINT,
        "release": "0.1.0+abc",
        "report": REPORT,
        "union_default_graph": False,
        **options,
    }
    return describe_service(**arguments)  # type: ignore[arg-type]


# --- the graph ----------------------------------------------------------------------


def test_the_service_says_what_it_supports() -> None:
    graph = _description()
    service = URIRef(ENDPOINT)
    assert set(graph.subjects(RDF.type, SD.Service)) == {service}
    assert list(graph.objects(service, SD.endpoint)) == [service]
    assert list(graph.objects(service, SD.supportedLanguage)) == [SD.SPARQL11Query]
    assert set(graph.objects(service, SD.resultFormat)) == {
        URIRef(f.format_iri) for f in FORMATS if f.format_iri
    }
    assert list(graph.objects(service, DCTERMS.hasVersion)) == [Literal("0.1.0+abc")]
    assert list(graph.objects(service, SD.feature)) == []
    [dataset] = graph.objects(service, SD.defaultDataset)
    assert set(graph.objects(dataset, RDF.type)) == {SD.Dataset, VOID.Dataset}
    assert list(graph.objects(dataset, VOID.triples)) == [Literal(17, datatype=XSD.integer)]


def test_union_default_graph_is_a_feature_only_when_on() -> None:
    graph = _description(union_default_graph=True)
    assert list(graph.objects(URIRef(ENDPOINT), SD.feature)) == [SD.UnionDefaultGraph]


def test_a_store_still_loading_states_no_triple_count() -> None:
    assert list(_description(report=None).objects(None, VOID.triples)) == []


@pytest.mark.parametrize(("name", "rdflib_format"), [("turtle", "turtle"), ("ntriples", "nt")])
def test_written_as_rdf_it_reads_back_the_same(name: str, rdflib_format: str) -> None:
    graph = _description(union_default_graph=True)
    again = _read(write_description(graph, name), rdflib_format)
    assert isomorphic(graph, again)


def test_json_ld_carries_its_context_inline() -> None:
    graph = _description()
    body = write_description(graph, "jsonld")
    document = json.loads(body)
    assert isinstance(document["@context"], dict)
    assert document["@context"]["sd"] == str(SD)
    assert all(isinstance(value, str) for value in document["@context"].values())
    assert isomorphic(graph, _read(body, "json-ld"))


# --- the endpoint's IRI ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "host", "expected"),
    [
        ({"scheme": "http"}, "example.org", "http://example.org/sparql"),
        ({"scheme": "https"}, "example.org:8443", "https://example.org:8443/sparql"),
        ({"scheme": "http"}, "127.0.0.1:8000", "http://127.0.0.1:8000/sparql"),
        ({"scheme": "http"}, "[::1]:8000", "http://[::1]:8000/sparql"),
        ({"scheme": "http"}, "kompass_graph:8000", "http://kompass_graph:8000/sparql"),
        ({"scheme": "http", "server": ("10.0.0.2", 8000)}, None, "http://10.0.0.2:8000/sparql"),
        ({"scheme": "http", "server": ("10.0.0.2", 80)}, None, "http://10.0.0.2/sparql"),
        ({"scheme": "https", "server": ("10.0.0.2", 443)}, "", "https://10.0.0.2/sparql"),
        ({"scheme": "http", "server": ("::1", 8000)}, HOSTILE_HOST, "http://[::1]:8000/sparql"),
        ({"scheme": "http", "server": ("/run/kg.sock", None)}, "x>", "http://localhost/sparql"),
        ({"scheme": "http", "server": None}, None, "http://localhost/sparql"),
        ({"scheme": "ws"}, "example.org", "http://example.org/sparql"),
        ({"scheme": "http", "root_path": "/kg api"}, "h", "http://h/kg%20api/sparql"),
    ],
)
def test_endpoint_iri(scope: dict[str, object], host: str | None, expected: str) -> None:
    assert endpoint_iri(scope, host) == expected


@pytest.mark.parametrize("host", ODD_HOSTS)
def test_an_odd_host_is_never_pasted_into_the_iri(host: str) -> None:
    assert endpoint_iri({"scheme": "http", "server": ("10.0.0.2", 8000)}, host) == (
        "http://10.0.0.2:8000/sparql"
    )


# --- through the app --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
    ],
)
def test_a_crafted_host_cannot_inject_triples(
    client: AppClient, accept: str, rdflib_format: str
) -> None:
    response = client.get("/sparql", headers={"accept": accept, "host": HOSTILE_HOST})
    assert response.status_code == 200
    graph = _read(response.content, rdflib_format)
    assert list(graph.subject_objects(SD.endpoint)) == [
        (URIRef(FALLBACK_ENDPOINT), URIRef(FALLBACK_ENDPOINT))
    ]
    terms = {str(term) for triple in graph for term in triple}
    assert not [term for term in terms if "evil" in term]
    assert b"evil" not in response.content


def test_a_valid_host_names_the_endpoint(client: AppClient) -> None:
    response = client.get("/sparql", headers={"accept": "text/turtle", "host": "kg.example:8080"})
    graph = Graph().parse(data=response.content, format="turtle")
    assert list(graph.objects(None, SD.endpoint)) == [URIRef("http://kg.example:8080/sparql")]


@pytest.mark.parametrize("host", ODD_HOSTS)
def test_an_odd_host_never_gives_500(client: AppClient, host: str) -> None:
    for accept in ("text/turtle", "application/ld+json"):
        response = client.get("/sparql", headers={"accept": accept, "host": host})
        assert response.status_code == 200, (host, accept)
    # the endpoint's IRI is also the base IRI of every query
    query = client.get(
        "/sparql", params={"query": "SELECT ?x { BIND(<r> AS ?x) }"}, headers={"host": host}
    )
    assert query.status_code == 200, host
    [binding] = query.json()["results"]["bindings"]
    assert binding["x"]["value"] == FALLBACK_ENDPOINT.removesuffix("sparql") + "r"
