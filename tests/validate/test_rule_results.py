"""The ontology's quality rules run in validate: each row a Violation "QualityRule".

Each test builds a project root in tmp_path from the real ontology, rules and shapes,
then breaks one thing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kompass_graph.errors import UsageError
from kompass_graph.report import render
from kompass_graph.settings import Settings
from kompass_graph.sources import ProjectFiles, find_project_files
from kompass_graph.store.factory import served_files
from kompass_graph.validate import ValidationReport, validate_paths

FIXTURES = Path(__file__).parent / "fixtures"
DATA = FIXTURES / "traceable.trig"
KG = "https://w3id.org/kompass-graph/ontology#"

DEFECT = """
kg:DefectiveClass a owl:Class ;
    rdfs:subClassOf prov:Entity ;
    rdfs:label "Defective class"@en ;
    rdfs:comment "Ein Testfall ohne deutsches Label."@de ,
        "A test case without a German label."@en ;
    rdfs:isDefinedBy <https://w3id.org/kompass-graph/ontology> .
"""


def copy_project(tmp_path: Path) -> ProjectFiles:
    real = find_project_files()
    for folder in ("ontology", "shapes"):
        shutil.copytree(real.root / folder, tmp_path / folder)
    (tmp_path / "data").mkdir()
    shutil.copy(DATA, tmp_path / "data" / DATA.name)
    return ProjectFiles(tmp_path)


def rule_results(report: ValidationReport) -> list[tuple[str | None, str, str | None]]:
    return [
        (r.rule, r.focus_node, r.value) for r in report.results if r.constraint == "QualityRule"
    ]


def test_the_real_ontology_keeps_every_rule_in_validate(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    assert len(project.quality_rules) >= 6
    assert rule_results(validate_paths(project.data, project=project)) == []


def test_a_rule_failure_is_a_violation_with_banner_file_and_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    ontology = project.root / "ontology" / "kompass.ttl"
    ontology.write_text(ontology.read_text(encoding="utf-8") + DEFECT, encoding="utf-8")
    report = validate_paths(project.data, project=project)
    assert rule_results(report) == [("labels-in-both-languages", KG + "DefectiveClass", '"de"')]
    [result] = [r for r in report.results if r.constraint == "QualityRule"]
    assert result.severity == "Violation"
    banner = (project.rules_folder / "labels-in-both-languages.rq").read_text().splitlines()[0]
    assert result.message == banner.removeprefix("# rule: ")
    assert result.file == str(ontology)
    assert result.line is not None
    line = ontology.read_text(encoding="utf-8").splitlines()[result.line - 1]
    assert line.startswith("kg:DefectiveClass a owl:Class")
    assert not report.conforms
    text = render(report)
    assert "QualityRule labels-in-both-languages: every class and property" in text
    document = json.loads(render(report, fmt="json"))
    assert [r["rule"] for r in document["results"] if r["constraint"] == "QualityRule"] == [
        "labels-in-both-languages"
    ]


def test_no_rules_folder_is_a_usage_error(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    shutil.rmtree(project.rules_folder)
    with pytest.raises(UsageError, match="no quality rules"):
        validate_paths(project.data, project=project)


def test_an_empty_rules_folder_is_a_usage_error(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    for rule in project.quality_rules:
        rule.unlink()
    (project.rules_folder / "README.txt").write_text("not a rule\n")
    with pytest.raises(UsageError, match="no quality rules"):
        validate_paths(project.data, project=project)


def test_a_rule_without_its_banner_is_a_usage_error(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    rule = project.quality_rules[0]
    rule.write_text("\n".join(rule.read_text().splitlines()[1:]) + "\n")
    with pytest.raises(UsageError, match=rf"{rule.name}:1: a quality rule starts with its banner"):
        validate_paths(project.data, project=project)


def test_the_rules_ship_in_ontology_but_are_never_loaded_as_rdf() -> None:
    project = find_project_files()
    assert project.quality_rules and all(p.suffix == ".rq" for p in project.quality_rules)
    assert not any(p.suffix == ".rq" for p in project.graph_files)
    plan = served_files(Settings(project_root=project.root))
    assert plan and not any(p.suffix == ".rq" for p in plan)
