"""`kompass-graph check` as a contract: exit codes 0/1/2 and the three output formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kompass_graph.cli import main

FIXTURES = Path(__file__).parent / "publish" / "fixtures"
SHACL_FIXTURE = Path(__file__).parent / "shapes" / "fixtures" / "funding-share.min-exclusive.ttl"


def test_the_real_data_exits_0_with_one_line_per_step(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines[:-1]] == [
        ["PASSED", "validation"],
        ["PASSED", "queries"],
        ["PASSED", "release"],
        [lines[3].split()[0], "dcat"],
        ["SKIPPED", "serve"],
    ]
    assert lines[-1].startswith("check passed: 5 step(s), 0 failed, 0 in error, ")


def test_a_syntax_error_exits_1_with_an_annotation_at_its_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    broken = FIXTURES / "broken.ttl"
    assert main(["check", "--only-data", str(broken), "--format", "github"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(
        f"::error file={broken},line=4,title=kompass-graph check validation::{broken}:4:1: "
    )
    # every skipped step is said, as a notice
    assert [line.split("::")[1] for line in out if line.startswith("::notice")] == [
        "notice title=kompass-graph check queries",
        "notice title=kompass-graph check release",
        "notice title=kompass-graph check dcat",
        "notice title=kompass-graph check serve",
    ]
    assert out[-1].startswith("check failed: 5 step(s), 1 failed")


def test_validation_findings_are_annotated_as_validate_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", "--only-data", str(SHACL_FIXTURE), "--format", "github"]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"::error file={SHACL_FIXTURE},line=54,title=kgsh%3A")


def test_json_has_stable_keys(capsys: pytest.CaptureFixture[str]) -> None:
    undeclared = FIXTURES / "undeclared-term.ttl"
    assert main(["check", "--only-data", str(undeclared), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert list(document) == ["passed", "exitCode", "steps"]
    assert (document["passed"], document["exitCode"]) == (False, 1)
    validation = document["steps"][0]
    assert list(validation) == ["name", "status", "summary", "seconds", "findings"]
    assert (validation["name"], validation["status"]) == ("validation", "failed")
    assert validation["findings"] == [
        {
            "level": "error",
            "message": validation["findings"][0]["message"],
            "file": str(undeclared),
            "line": 5,
            "query": None,
            "url": None,
        }
    ]
    assert "kompass-graph/ontology#Actr is not declared" in validation["findings"][0]["message"]


def test_a_missing_shapes_folder_given_by_flag_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--dcat-shapes", str(tmp_path / "nowhere")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "--dcat-shapes" in captured.err and "no such folder" in captured.err


@pytest.mark.server
def test_check_serve_on_the_real_data_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--serve", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    serve = document["steps"][-1]
    assert (serve["name"], serve["status"], serve["findings"]) == ("serve", "passed", [])
