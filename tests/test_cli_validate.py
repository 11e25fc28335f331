"""`kompass-graph validate` as a contract: exit codes, output formats, --strict.

Most tests run the real command in a subprocess from a scratch folder (so it works
from anywhere); the sweep over every negative fixture calls `main()` in-process,
which is the same code without a Python start-up per fixture.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF

from kompass_graph.cli import main
from kompass_graph.namespaces import SH
from tests.shapes.manifest_cases import FIXTURES, FixtureCase, load_cases

CASES = load_cases()
VIOLATION_FIXTURE = FIXTURES / "funding-share.min-exclusive.ttl"
WARNING_FIXTURE = FIXTURES / "pref-label-en.qualified-min-count.ttl"
FUNDING = "https://w3id.org/kompass-graph/id/funding/test-funding"


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


def validate(*args: str | Path, cwd: Path) -> Run:
    """`python -m kompass_graph.cli validate ARGS`, with no KOMPASS_* settings leaking in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOMPASS_")}
    done = subprocess.run(
        [sys.executable, "-m", "kompass_graph", "validate", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def test_the_real_data_exits_0(tmp_path: Path) -> None:
    run = validate(cwd=tmp_path)
    assert run.code == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1].startswith("conforms: 0 violation(s), 0 warning(s)")
    assert run.stderr == ""


def test_a_violation_exits_1_and_the_text_line_names_file_line_and_node(tmp_path: Path) -> None:
    run = validate(VIOLATION_FIXTURE, cwd=tmp_path)
    assert run.code == 1
    results, summary = run.stdout.splitlines()[:-1], run.stdout.splitlines()[-1]
    assert len(results) == 1
    assert re.search(rf"\[{re.escape(str(VIOLATION_FIXTURE))}:\d+\]$", results[0])
    assert results[0].startswith("VIOLATION funding:test-funding  kg:share")
    assert "MinExclusive" in results[0]
    assert summary.startswith("does not conform: 1 violation(s)")


def test_a_syntax_error_exits_2_with_file_line_and_column_on_stderr(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        '@prefix kg: <https://w3id.org/kompass-graph/ontology#> .\n\nkg:a kg:b "open .\n',
        encoding="utf-8",
    )
    run = validate(broken, cwd=tmp_path)
    assert run.code == 2
    assert run.stdout == ""
    assert re.search(rf"{re.escape(str(broken))}:3:\d+", run.stderr), run.stderr


def test_a_missing_file_and_an_unknown_format_exit_2(tmp_path: Path) -> None:
    missing = validate(tmp_path / "nowhere.ttl", cwd=tmp_path)
    assert missing.code == 2
    assert "nowhere.ttl" in missing.stderr
    unknown = validate("--format", "xml", VIOLATION_FIXTURE, cwd=tmp_path)
    assert unknown.code == 2
    assert "--format" in unknown.stderr


def test_json_output_lists_each_result_with_file_and_focus_node(tmp_path: Path) -> None:
    run = validate("--format", "json", VIOLATION_FIXTURE, cwd=tmp_path)
    assert run.code == 1
    report = json.loads(run.stdout)
    assert report["conforms"] is False
    assert report["counts"] == {"Violation": 1, "Warning": 0, "Info": 0}
    [result] = report["results"]
    assert result["focusNode"] == FUNDING
    assert result["constraint"] == "MinExclusive"
    assert result["sourceShape"].endswith("#Funding-share")
    assert result["file"] == str(VIOLATION_FIXTURE)
    assert isinstance(result["line"], int)
    assert {"de", "en"} <= result["messages"].keys()


def test_github_output_is_one_annotation_per_result_at_the_file(tmp_path: Path) -> None:
    errors = validate("--format", "github", VIOLATION_FIXTURE, cwd=tmp_path)
    assert errors.code == 1
    [line] = [x for x in errors.stdout.splitlines() if x.startswith("::")]
    assert line.startswith(f"::error file={VIOLATION_FIXTURE},line=")
    assert "funding:test-funding" in line
    warnings = validate("--format", "github", WARNING_FIXTURE, cwd=tmp_path)
    assert warnings.code == 0
    [annotation] = [x for x in warnings.stdout.splitlines() if x.startswith("::")]
    assert annotation.startswith(f"::warning file={WARNING_FIXTURE},line=")


def test_turtle_output_is_the_shacl_report_graph(tmp_path: Path) -> None:
    run = validate("--format", "turtle", VIOLATION_FIXTURE, cwd=tmp_path)
    assert run.code == 1
    graph = Graph().parse(data=run.stdout, format="turtle")
    [report] = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms) == Literal(False)
    [result] = graph.objects(report, SH.result)
    assert str(graph.value(result, SH.focusNode)) == FUNDING
    assert graph.value(result, SH.sourceConstraintComponent) == SH.MinExclusiveConstraintComponent


def test_a_warning_passes_unless_strict(tmp_path: Path) -> None:
    lenient = validate(WARNING_FIXTURE, cwd=tmp_path)
    assert lenient.code == 0
    assert lenient.stdout.startswith("WARNING")
    strict = validate("--strict", WARNING_FIXTURE, cwd=tmp_path)
    assert strict.code == 1


def test_messages_in_german_with_lang_de(tmp_path: Path) -> None:
    run = validate("--lang", "de", VIOLATION_FIXTURE, cwd=tmp_path)
    assert "Der Anteil (kg:share) ist eine Dezimalzahl" in run.stdout


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_negative_fixture_fails_the_command_naming_file_and_node(
    case: FixtureCase, capsys: pytest.CaptureFixture[str]
) -> None:
    strict = any(e.severity != "Violation" for e in case.expected)
    code = main(["validate", "--format", "json", *(["--strict"] if strict else []), str(case.path)])
    assert code == 1
    results = json.loads(capsys.readouterr().out)["results"]
    assert sorted((r["focusNode"], r["file"]) for r in results) == sorted(
        (e.focus, str(case.path)) for e in case.expected
    )
