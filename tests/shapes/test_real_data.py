"""The real data (the project's default files) passes the shapes without any result.

A pass only means something if the shapes had nodes to check: the second test makes
sure the data holds instances of the classes the shapes target.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kompass_graph.namespaces import KG, ORG, SH
from kompass_graph.parse import parse_file
from kompass_graph.report import render_text
from kompass_graph.sources import ProjectFiles, find_project_files
from kompass_graph.validate import validate_project


@pytest.fixture(scope="module")
def project() -> ProjectFiles:
    return find_project_files()


def test_the_real_data_has_no_violation_and_no_warning(project: ProjectFiles) -> None:
    assert len(project.data) >= 3
    report = validate_project(project)
    assert report.results == [], render_text(report)
    assert report.passes(strict=True)


def test_the_shapes_find_plenty_to_check_in_the_real_data(project: ProjectFiles) -> None:
    # our data is one named graph per source: read them all, as their union
    graph = Graph()
    for path in project.graph_files:
        graph += parse_file(path).union
    shapes = Graph()
    for path in project.shapes:
        shapes.parse(path)
    targeted: set[URIRef] = set()
    for target_class in shapes.objects(None, SH.targetClass):
        for cls in graph.transitive_subjects(RDFS.subClassOf, target_class):
            targeted |= {s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)}
    assert len(targeted) > 50
    for cls in (KG.Project, KG.Funding, KG.Participation, ORG.Membership, KG.Municipality,
                KG.ExternalIdentifier, KG.SourceDocument, KG.ReferenceSource,
                KG.SourceGraph):  # fmt: skip
        assert any(graph.subjects(RDF.type, cls)), f"no {cls} in the data: its shapes check nothing"
