"""The DCAT-AP.de description of a release passes the official shapes, and says what it
should: every dump with its size, checksum, format, compression and URL; the endpoint;
Hessen; the years of the fundings; the licence the ontology states."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from kompass_graph.errors import SourceNotFoundError
from kompass_graph.publish.dcat import SPDX, describe_catalog
from kompass_graph.publish.dcat_check import check_dcat
from kompass_graph.publish.facts import ReleaseFacts, SelectRunner
from tests.publish.metadata_fixture import DCAT_SHAPES, facts, project_store, run

__all__ = ["facts", "project_store", "run"]  # the fixtures this module uses

needs_shapes = pytest.mark.skipif(
    not DCAT_SHAPES.is_dir(), reason=f"the official DCAT-AP.de shapes are not at {DCAT_SHAPES}"
)
BASE = "https://w3id.org/kompass-graph/"
DATASET = URIRef(BASE + "id/release/dataset")
TTL_GZ = URIRef(BASE + "id/release/distribution/kompass-graph-ttl-gz")


@pytest.fixture(scope="module")
def catalog(facts: ReleaseFacts, run: SelectRunner) -> rdflib.Graph:
    return describe_catalog(facts, run)


@needs_shapes
def test_the_description_of_the_real_data_has_no_violations(catalog: rdflib.Graph) -> None:
    report = check_dcat(catalog, DCAT_SHAPES)
    assert report.violations == ()
    assert report.conforms
    # today there are none; a new one must be looked at (and listed in the notes)
    assert report.warnings == ()


@needs_shapes
def test_a_distribution_without_access_url_fails(catalog: rdflib.Graph) -> None:
    broken = rdflib.Graph()
    for triple in catalog:
        broken.add(triple)
    broken.remove((TTL_GZ, DCAT.accessURL, None))
    report = check_dcat(broken, DCAT_SHAPES)
    assert not report.conforms
    assert [(v.focus_node, v.path) for v in report.violations] == [
        (str(TTL_GZ), str(DCAT.accessURL))
    ]


@needs_shapes
def test_an_untyped_theme_and_a_missing_publisher_fail(catalog: rdflib.Graph) -> None:
    broken = rdflib.Graph()
    for triple in catalog:
        broken.add(triple)
    broken.remove((DATASET, DCTERMS.publisher, None))
    soci = URIRef("http://publications.europa.eu/resource/authority/data-theme/SOCI")
    broken.remove((soci, None, None))
    found = {(v.focus_node, v.path) for v in check_dcat(broken, DCAT_SHAPES).violations}
    assert found == {
        (str(DATASET), str(DCTERMS.publisher)),
        (str(soci), "http://www.w3.org/2004/02/skos/core#inScheme"),
    }


def test_a_missing_shapes_folder_is_named(tmp_path: Path, catalog: rdflib.Graph) -> None:
    with pytest.raises(SourceNotFoundError, match=r"dcat-ap-3\.0\.0-SHACL\.ttl"):
        check_dcat(catalog, tmp_path)


def test_every_dump_is_a_distribution_and_nothing_else(
    catalog: rdflib.Graph, facts: ReleaseFacts
) -> None:
    distributions = set(catalog.objects(DATASET, DCAT.distribution))
    dumps = [d for d in facts.distributions if d.name.startswith("kompass-graph.")]
    assert len(dumps) == 12
    assert {str(catalog.value(d, DCAT.downloadURL)) for d in distributions} == {
        f"{BASE}download/{d.name}" for d in dumps
    }
    assert set(catalog.subjects(RDF.type, DCAT.Distribution)) == distributions


def test_a_gzip_dump_says_what_it_is(catalog: rdflib.Graph, facts: ReleaseFacts) -> None:
    dump = next(d for d in facts.distributions if d.name == "kompass-graph.ttl.gz")
    url = URIRef(BASE + "download/kompass-graph.ttl.gz")
    assert catalog.value(TTL_GZ, DCAT.accessURL) == url
    assert catalog.value(TTL_GZ, DCAT.downloadURL) == url
    assert catalog.value(TTL_GZ, DCTERMS.format) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/RDF_TURTLE"
    )
    iana = "https://www.iana.org/assignments/media-types/"
    assert catalog.value(TTL_GZ, DCAT.mediaType) == URIRef(iana + "text/turtle")
    assert catalog.value(TTL_GZ, DCAT.compressFormat) == URIRef(iana + "application/gzip")
    assert catalog.value(TTL_GZ, DCAT.byteSize) == Literal(
        dump.size, datatype=XSD.nonNegativeInteger
    )
    checksum = catalog.value(TTL_GZ, SPDX.checksum)
    assert catalog.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    assert catalog.value(checksum, SPDX.checksumValue) == Literal(
        dump.sha256, datatype=XSD.hexBinary
    )
    plain = URIRef(BASE + "id/release/distribution/kompass-graph-ttl")
    assert catalog.value(plain, DCAT.compressFormat) is None


def test_the_dataset_names_the_release_hessen_the_years_and_the_licence(
    catalog: rdflib.Graph, facts: ReleaseFacts, run: SelectRunner
) -> None:
    assert catalog.value(DATASET, DCTERMS.identifier) == Literal(facts.identifier)
    assert catalog.value(DATASET, URIRef(str(DCAT) + "version")) == Literal(facts.version)
    assert catalog.value(DATASET, DCTERMS.modified) == Literal("2026-12-01", datatype=XSD.date)
    assert set(catalog.objects(DATASET, DCTERMS.spatial)) == {
        URIRef("http://dcat-ap.de/def/politicalGeocoding/stateKey/06"),
        URIRef("http://data.europa.eu/nuts/code/DE7"),
    }
    period = catalog.value(DATASET, DCTERMS.temporal)
    # the fundings name 2013 (kg:year 2013, kg:startDate 2013-10) and no other year
    years = run(
        "SELECT DISTINCT ?d WHERE { ?f a <https://w3id.org/kompass-graph/ontology#Funding> ; ?p ?d "
        "FILTER(DATATYPE(?d) IN (<http://www.w3.org/2001/XMLSchema#gYear>, "
        "<http://www.w3.org/2001/XMLSchema#gYearMonth>, <http://www.w3.org/2001/XMLSchema#date>)) }"
    )
    assert sorted(r["d"].value[:4] for r in years) == ["2013", "2013"]
    assert catalog.value(period, DCAT.startDate) == Literal("2013", datatype=XSD.gYear)
    assert catalog.value(period, DCAT.endDate) == Literal("2013", datatype=XSD.gYear)
    licence = URIRef("http://dcat-ap.de/def/licenses/cc-by/4.0")
    assert catalog.value(DATASET, DCTERMS.license) == licence
    assert set(catalog.subjects(DCTERMS.license, licence)) == {
        DATASET,
        URIRef(BASE + "id/release/catalog"),
        URIRef(BASE + "id/release/sparql-service"),
        *catalog.objects(DATASET, DCAT.distribution),
    }


def test_the_endpoint_is_a_data_service_serving_the_dataset(catalog: rdflib.Graph) -> None:
    service = URIRef(BASE + "id/release/sparql-service")
    assert catalog.value(service, RDF.type) == DCAT.DataService
    assert catalog.value(service, DCAT.endpointURL) == URIRef(BASE + "sparql")
    assert catalog.value(service, DCAT.servesDataset) == DATASET


def test_no_blank_nodes_and_every_minted_iri_is_under_the_release(catalog: rdflib.Graph) -> None:
    nodes = {n for triple in catalog for n in triple}
    assert not any(isinstance(n, rdflib.BNode) for n in nodes)
    ours = {str(s) for s in catalog.subjects() if str(s).startswith(BASE)}
    # besides the minted ones, only the landing page and the ontology are described (typed)
    pages = {BASE, BASE + "ontology"}
    assert ours and all(s.startswith(BASE + "id/release/") or s in pages for s in ours)
