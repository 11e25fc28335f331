"""Canonical IRIs <-> server paths and document URLs."""

from __future__ import annotations

import pytest

from kompass_graph.formats import format_by_name
from kompass_graph.linked_data.paths import ServerPaths, split_document_path

PATHS = ServerPaths("https://w3id.org/kompass-graph/")


def test_our_iris_are_served_under_the_root_and_map_back() -> None:
    iri = "https://w3id.org/kompass-graph/id/project/x"
    assert PATHS.path_for(iri) == "/id/project/x"
    assert PATHS.iri_for("/id/project/x") == iri
    assert PATHS.link_for("https://w3id.org/kompass-graph/ontology#Project") == "/ontology#Project"


def test_other_iris_are_linked_as_they_are() -> None:
    assert PATHS.path_for("http://www.w3.org/ns/org#Organization") is None
    assert PATHS.link_for("https://w3id.org/other/id/x") == "https://w3id.org/other/id/x"


def test_another_base_maps_the_same_way() -> None:
    paths = ServerPaths("http://example.org/kg/")
    assert paths.path_for("http://example.org/kg/id/actor/giessen") == "/id/actor/giessen"
    assert paths.path_for("https://w3id.org/kompass-graph/id/actor/giessen") is None


def test_a_term_document_is_the_ontology_document() -> None:
    iri = "https://w3id.org/kompass-graph/ontology#Project"
    assert PATHS.document_path(iri, format_by_name("turtle")) == "/ontology.ttl"


@pytest.mark.parametrize(
    ("path", "stem", "name"),
    [
        ("/id/project/x.ttl", "/id/project/x", "turtle"),
        ("/id/project/x.nq", "/id/project/x", "nquads"),
        ("/id/project/x.jsonld", "/id/project/x", "jsonld"),
        ("/ontology.rdf", "/ontology", "rdfxml"),
        ("/id/project/x", "/id/project/x", None),
        ("/id/project/x.exe", "/id/project/x.exe", None),
        ("/id/v1.2/x", "/id/v1.2/x", None),
    ],
)
def test_document_suffixes_come_from_the_format_table(
    path: str, stem: str, name: str | None
) -> None:
    found_stem, fmt = split_document_path(path)
    assert found_stem == stem
    assert (fmt.name if fmt else None) == name
