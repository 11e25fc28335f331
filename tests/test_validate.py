"""The validation pipeline on mutated copies of the real data."""

import json
from pathlib import Path

import pytest

from kompass_graph.errors import ParseError, UsageError
from kompass_graph.report import render
from kompass_graph.sources import ProjectFiles, find_project_files
from kompass_graph.validate import ValidationReport, validate_paths


@pytest.fixture(scope="module")
def project() -> ProjectFiles:
    return find_project_files()


def mutated(project: ProjectFiles, tmp_path: Path, old: str, new: str) -> Path:
    source = next(p for p in project.data if p.name == "kompass.trig")
    text = source.read_text(encoding="utf-8")
    assert old in text, f"fixture drift: {old!r} no longer in {source}"
    target = tmp_path / "kompass.trig"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def validate_with(project: ProjectFiles, replaced: Path) -> ValidationReport:
    others = [p for p in project.data if p.name != "kompass.trig"]
    return validate_paths([replaced, *others], project=project)


def test_the_real_data_conforms_without_warnings(project: ProjectFiles) -> None:
    report = validate_paths(project.data, project=project)
    assert report.conforms, render(report)
    assert report.results == []
    assert report.triple_count > 1000


def test_an_undeclared_term_is_reported_at_its_file_and_line(
    project: ProjectFiles, tmp_path: Path
) -> None:
    path = mutated(project, tmp_path, "kg:share 0.5 ;", "kg:shares 0.5 ;")
    report = validate_with(project, path)
    undeclared = [r for r in report.results if r.constraint == "UndeclaredTerm"]
    assert [r.value for r in undeclared] == ["https://w3id.org/kompass-graph/ontology#shares"]
    assert undeclared[0].file == str(path)
    line = path.read_text(encoding="utf-8").splitlines()[undeclared[0].line - 1]
    assert line.strip().startswith("kg:shares")
    assert undeclared[0].focus_node.endswith("funding/ikoe-eif")
    assert not report.conforms


def test_a_share_of_fifty_instead_of_half_fails_with_file_and_line(
    project: ProjectFiles, tmp_path: Path
) -> None:
    path = mutated(project, tmp_path, "kg:share 0.5 ;", "kg:share 50.0 ;")
    report = validate_with(project, path)
    assert {(r.constraint, r.source_shape.rsplit("#")[-1]) for r in report.results} == {
        ("MaxInclusive", "Funding-share")
    }
    text = render(report)
    assert "funding:ikoe-eif" in text
    assert f"[{path}:" in text


def test_report_formats_agree(project: ProjectFiles, tmp_path: Path) -> None:
    path = mutated(project, tmp_path, 'schema:currency "EUR" ;', 'schema:currency "DM" ;')
    report = validate_with(project, path)
    document = json.loads(render(report, fmt="json"))
    assert document["conforms"] is False
    assert [r["constraint"] for r in document["results"]] == ["In"]
    assert document["results"][0]["messages"]["de"].startswith("Die Währung")
    github = render(report, fmt="github").splitlines()
    assert len(github) == 1
    assert github[0].startswith(f"::error file={path},line=")
    turtle = render(report, fmt="turtle")
    assert "sh:ValidationReport" in turtle
    assert render(report, language="de").count("Die Währung") == 1


def test_nothing_to_validate_is_a_usage_error(project: ProjectFiles, tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix ex: <http://example.org/> .\n", encoding="utf-8")
    with pytest.raises(UsageError, match="no triples"):
        validate_paths([empty], project=project)
    empty_folder = tmp_path / "sub"
    empty_folder.mkdir()
    with pytest.raises(UsageError, match="no RDF data files"):
        validate_paths([empty_folder], project=project)


def test_a_broken_file_stops_validation_with_its_position(
    project: ProjectFiles, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        validate_paths([broken], project=project)
    assert caught.value.position.line == 2


def test_a_violation_names_the_file_that_holds_the_triple(
    project: ProjectFiles, tmp_path: Path
) -> None:
    """A node described in two files: the report names the file with the bad value."""
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix kg: <https://w3id.org/kompass-graph/ontology#> .\n"
        "@prefix funding: <https://w3id.org/kompass-graph/id/funding/> .\n"
        "\n"
        "funding:ikoe-eif kg:year 2013 .\n",
        encoding="utf-8",
    )
    report = validate_paths([*project.data, extra], project=project)
    year = [r for r in report.results if r.path and r.path.endswith("#year")]
    assert year, render(report)
    assert {r.file for r in year} == {str(extra)}
    assert {r.line for r in year} == {4}
