"""Untraceable: every statement sits in a named graph that says which source states it.

fixtures/traceable.trig is the clean case; undescribed-graph.trig and
default-graph-fact.trig each break the rule in the ways their comments say.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

from rdflib import Graph

from kompass_graph.parse import parse_file
from kompass_graph.sources import ProjectFiles, find_project_files
from kompass_graph.validate import ValidationReport, ValidationResult, validate_paths

FIXTURES = Path(__file__).parent / "fixtures"
GRAPHS = "https://w3id.org/kompass-graph/graph/source/"
PROJECT = "https://w3id.org/kompass-graph/id/project/"


@functools.cache
def report_for(fixture: str) -> ValidationReport:
    return validate_paths([FIXTURES / fixture], project=find_project_files())


def untraceable(report: ValidationReport) -> list[ValidationResult]:
    return [r for r in report.results if r.constraint == "Untraceable"]


def line_at(path: Path, number: int | None) -> str:
    assert number is not None
    return path.read_text(encoding="utf-8").splitlines()[number - 1]


def test_a_traceable_trig_file_gives_no_untraceable_result() -> None:
    parsed = parse_file(FIXTURES / "traceable.trig")
    assert len(parsed.named) == 2 and len(parsed.default) > 5, "the fixture checks nothing"
    assert untraceable(report_for("traceable.trig")) == []


def test_shacl_sees_the_statements_of_every_named_graph() -> None:
    parsed = parse_file(FIXTURES / "traceable.trig")
    ontology = Graph()
    for path in find_project_files().ontology:
        ontology.parse(path)
    merged = Graph()
    for triple in [*ontology, *parsed.union]:
        merged.add(triple)
    assert report_for("traceable.trig").triple_count == len(merged)
    assert sum(len(g) for g in parsed.named.values()) == 3


def test_each_undescribed_graph_is_a_violation_at_its_block() -> None:
    path = FIXTURES / "undescribed-graph.trig"
    results = untraceable(report_for(path.name))
    by_graph = {r.focus_node: r for r in results}
    assert sorted(by_graph) == sorted(
        [GRAPHS + "nobody-describes-me", GRAPHS + "no-source", "https://example.org/elsewhere"]
    )
    assert all(r.severity == "Violation" and r.file == str(path) for r in results)
    assert line_at(path, by_graph[GRAPHS + "nobody-describes-me"].line) == (
        "GRAPH srcgraph:nobody-describes-me {"
    )
    assert line_at(path, by_graph[GRAPHS + "no-source"].line) == "srcgraph:no-source {"
    assert line_at(path, by_graph["https://example.org/elsewhere"].line) == (
        "<https://example.org/elsewhere> {"
    )
    nobody = by_graph[GRAPHS + "nobody-describes-me"].messages
    assert "srcgraph:nobody-describes-me" in nobody["en"] and str(path) in nobody["en"]
    assert "it is not typed kg:SourceGraph" in nobody["en"]
    assert "neither prov:wasDerivedFrom" in nobody["en"]
    assert "nicht als kg:SourceGraph typisiert" in nobody["de"]
    no_source = by_graph[GRAPHS + "no-source"].messages["en"]
    assert "neither prov:wasDerivedFrom" in no_source and "not typed" not in no_source
    elsewhere = by_graph["https://example.org/elsewhere"].messages["en"]
    assert "not an IRI under https://w3id.org/kompass-graph/graph/" in elsewhere


def test_each_statement_in_the_default_graph_is_a_violation_with_file_and_line() -> None:
    path = FIXTURES / "default-graph-fact.trig"
    results = untraceable(report_for(path.name))
    assert sorted((r.focus_node, r.path) for r in results) == [
        (PROJECT + "stray", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        (PROJECT + "stray", "http://www.w3.org/2004/02/skos/core#prefLabel"),
    ]
    for result in results:
        assert result.severity == "Violation"
        assert result.file == str(path)
        assert line_at(path, result.line).startswith("project:stray a kg:Project")
        assert f"{path}:{result.line}" in result.message
        assert (
            "put this statement into the named graph of the source that states it"
            in (result.messages["en"])
        )
        assert "benannten Graphen der Quelle" in result.messages["de"]


def copy_project(tmp_path: Path) -> ProjectFiles:
    """A project root with the real ontology (and its rules) and shapes, and no data."""
    real = find_project_files()
    for folder in ("ontology", "shapes"):
        shutil.copytree(real.root / folder, tmp_path / folder)
    (tmp_path / "data").mkdir()
    return ProjectFiles(tmp_path)


def test_a_turtle_file_in_the_data_folder_is_a_warning(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    turtle = project.root / "data" / "facts.ttl"
    shutil.copy(FIXTURES / "disjoint-domain.ttl", turtle)
    results = untraceable(validate_paths(project.data, project=project))
    assert [(r.severity, r.file, r.line) for r in results] == [("Warning", str(turtle), None)]
    assert "no named graphs" in results[0].messages["en"]
    assert "keine benannten Graphen" in results[0].messages["de"]


def test_a_turtle_file_from_elsewhere_is_not_checked() -> None:
    """The SHACL fixtures are Turtle files given by name: their results stay exact."""
    report = validate_paths([FIXTURES / "disjoint-domain.ttl"], project=find_project_files())
    assert report.results, "the fixture should still be checked by the other checks"
    assert untraceable(report) == []
