"""Golden tests: each negative fixture fails exactly as tests/shapes/manifest.toml says.

Every fixture is validated on its own with the project's ontology (not with data/), so
it must be self-contained. The full result set must equal the manifest's: a fixture
that trips a second constraint, or a shape that reports twice, fails here.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from kompass_graph.namespaces import SH
from kompass_graph.report import render_text
from kompass_graph.sources import ProjectFiles, find_project_files
from kompass_graph.validate import ValidationReport, ValidationResult, validate_paths
from tests.shapes.manifest_cases import (
    FIXTURES,
    VALID_MINIMAL,
    ExpectedResult,
    FixtureCase,
    load_cases,
    local_name,
)

CASES = load_cases()


@pytest.fixture(scope="module")
def project() -> ProjectFiles:
    return find_project_files()


@functools.cache
def report_for(path: Path) -> ValidationReport:
    """Each fixture is validated once, however many tests look at its report."""
    return validate_paths([path], project=find_project_files())


def observed(result: ValidationResult) -> ExpectedResult:
    """A result in the manifest's terms (the SPARQL constraint is checked separately)."""
    shape = local_name(result.source_shape) if result.source_shape else ""
    return ExpectedResult(shape, result.constraint, result.focus_node, result.severity)


def without_sparql(expected: ExpectedResult) -> ExpectedResult:
    return ExpectedResult(expected.shape, expected.constraint, expected.focus, expected.severity)


def sparql_constraints_reported(report: ValidationReport, focus: str) -> set[str]:
    """Local names of the SPARQL constraints (sh:sourceConstraint) that failed on `focus`."""
    graph = report.report_graph
    return {
        local_name(str(constraint))
        for result in graph.subjects(SH.focusNode, URIRef(focus))
        for constraint in graph.objects(result, SH.sourceConstraint)
    }


def test_the_manifest_and_the_fixture_folder_agree() -> None:
    on_disk = {p.name for p in FIXTURES.glob("*.ttl")} - {VALID_MINIMAL.name}
    listed = [case.path.name for case in CASES]
    assert len(listed) == len(set(listed)), "a fixture is listed twice"
    assert on_disk == set(listed)
    assert len(CASES) > 50


def test_valid_minimal_conforms_without_any_result(project: ProjectFiles) -> None:
    report = validate_paths([VALID_MINIMAL], project=project)
    assert report.results == [], render_text(report)
    # the base the fixtures are cut from holds one node of every kind they break
    assert len(Graph().parse(VALID_MINIMAL)) > 100


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_fixture_fails_exactly_as_the_manifest_says(case: FixtureCase) -> None:
    report = report_for(case.path)
    got = sorted(observed(result) for result in report.results)
    assert got == sorted(without_sparql(e) for e in case.expected), render_text(report)
    for expected in case.expected:
        if expected.sparql:
            assert expected.sparql in sparql_constraints_reported(report, expected.focus)
    has_violation = any(e.severity == "Violation" for e in case.expected)
    assert report.conforms is not has_violation
    assert not report.passes(strict=True)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_result_names_the_fixture_file_line_and_node(case: FixtureCase) -> None:
    report = report_for(case.path)
    lines = case.path.read_text(encoding="utf-8").splitlines()
    text = render_text(report).splitlines()
    for result in report.results:
        assert result.file == str(case.path)
        assert result.line is not None
        # the line a maintainer is sent to mentions the focus node (or the undeclared term)
        named = lines[result.line - 1]
        assert local_name(result.focus_node) in named or (
            result.value is not None and local_name(result.value) in named
        ), named
        for message in result.messages.values():
            assert message and not re.search(r"\{[?$]\w+\}", message), message
        focus = local_name(result.focus_node)
        assert any(str(case.path) in line and focus in line for line in text), text


SPARQL_CASES = [case for case in CASES if any(e.sparql for e in case.expected)]
OTHER_CASES = [case for case in CASES if case not in SPARQL_CASES]


@pytest.mark.parametrize("case", OTHER_CASES, ids=[case.name for case in OTHER_CASES])
def test_each_result_has_a_german_and_an_english_message(case: FixtureCase) -> None:
    for result in report_for(case.path).results:
        assert {"de", "en"} <= result.messages.keys(), result.messages


# pySHACL drops the language tag of a SPARQL constraint's message when it fills in
# {?var}; validate.py then keys both messages under "" and shows the German one as the
# English message. Fix it in validate.py (match each untagged message to the tagged
# sh:message templates of the result's sh:sourceConstraint), then remove the marker.
def test_sparql_results_have_a_german_and_an_english_message() -> None:
    assert SPARQL_CASES
    for case in SPARQL_CASES:
        for result in report_for(case.path).results:
            assert {"de", "en"} <= result.messages.keys(), (case.name, result.messages)


BLANK_PARTICIPATION = """
project:test-project kg:hasParticipation [
    a kg:Participation ;
    kg:participant actor:land ;
    kg:role role:participant
] .
"""


def test_a_blank_node_fails_the_iri_pattern_once(tmp_path: Path) -> None:
    """The IRI shapes rely on sh:pattern alone: SHACL fails every blank node on it."""
    fixture = tmp_path / "blank-participation.ttl"
    fixture.write_text(VALID_MINIMAL.read_text(encoding="utf-8") + BLANK_PARTICIPATION, "utf-8")
    report = validate_paths([fixture], project=find_project_files())
    assert [(local_name(r.source_shape or ""), r.constraint) for r in report.results] == [
        ("ParticipationIRIShape", "Pattern")
    ]
    assert report.results[0].focus_node.startswith("_:")


WELL_FORMED_LINKS = """
actor:land skos:exactMatch <http://www.wikidata.org/entity/Q123456789> ,
    <https://d-nb.info/gnd/4003694-7> , <https://d-nb.info/gnd/10153740X> .
"""


def test_wikidata_and_gnd_links_of_every_gnd_form_pass(tmp_path: Path) -> None:
    """GND numbers with a hyphenated or a trailing X check digit are both valid links."""
    fixture = tmp_path / "links.ttl"
    fixture.write_text(VALID_MINIMAL.read_text(encoding="utf-8") + WELL_FORMED_LINKS, "utf-8")
    report = validate_paths([fixture], project=find_project_files())
    assert report.results == [], render_text(report)
