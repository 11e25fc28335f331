"""`kompass-graph build` and `kompass-graph diff` as a contract: exit codes, streams, flags.

In-process through `main()` (the same code as the console script, without a Python
start-up per call); one run goes through the real console command.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kompass_graph.cli import build_parser, main
from kompass_graph.settings import Settings
from tests.shapes.manifest_cases import FIXTURES as SHAPE_FIXTURES

VIOLATING = SHAPE_FIXTURES / "funding-share.min-exclusive.ttl"
EXTRA = (
    "<https://w3id.org/kompass-graph/id/project/extra> "
    '<http://www.w3.org/2000/01/rdf-schema#comment> "one more triple"@en .'
)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's release, built by the real command (with validation)."""
    folder = tmp_path_factory.mktemp("cli") / "release"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOMPASS_")}
    done = subprocess.run(
        [sys.executable, "-m", "kompass_graph", "build", "--out", str(folder)],
        cwd=folder.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    identifier = json.loads((folder / "release.json").read_text(encoding="utf-8"))["identifier"]
    files = len(json.loads((folder / "release.json").read_text(encoding="utf-8"))["files"]) + 2
    assert done.stdout == f"wrote release {identifier} to {folder} ({files} files)\n"
    return folder


def test_violating_data_exits_1_with_the_report_and_keeps_the_release(
    release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(release)
    code = main(["build", "--out", str(release), "--data", str(VIOLATING)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert "MinExclusive" in captured.err
    assert "funding-share.min-exclusive.ttl:54" in captured.err
    assert snapshot(release) == before


def test_only_data_with_a_violating_file_exits_1_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["build", "--out", str(tmp_path / "new"), "--only-data", str(VIOLATING)])
    assert code == 1
    assert "does not conform" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_build_previous_writes_the_patch_and_diff_prints_it(
    release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = tmp_path / "extra.nt"
    extra.write_text(EXTRA + "\n", encoding="utf-8")
    new = tmp_path / "new"
    flags = ["--data", str(extra), "--no-validate-data", "--previous", str(release)]
    code = main(["build", "--out", str(new), *flags])
    built = capsys.readouterr()
    assert code == 0, built.err
    old_id = json.loads((release / "release.json").read_text(encoding="utf-8"))["identifier"]
    document = json.loads((new / "release.json").read_text(encoding="utf-8"))
    assert document["previous"] == old_id
    assert "changes.rdfp" in [entry["name"] for entry in document["files"]]
    summary = (
        f"default graph: +1 -0\n{old_id} -> {document['identifier']}: "
        "1 statement(s) added, 0 removed\n"
    )
    assert built.err.endswith(summary)

    code = main(["diff", str(release), str(new)])
    diffed = capsys.readouterr()
    assert code == 0
    expected = (
        f"H id <urn:kompass-graph:release:{document['identifier']}> .\n"
        f"H prev <urn:kompass-graph:release:{old_id}> .\n"
        f"TX .\nA {EXTRA}\nTC .\n"
    )
    assert diffed.out == expected
    assert diffed.err == summary
    assert (new / "changes.rdfp").read_text(encoding="utf-8") == expected


def test_diff_of_a_folder_that_is_no_release_exits_2(
    release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(release), str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"kompass-graph: error: {tmp_path} is not a Kompass Graph release" in captured.err


def test_build_refuses_a_folder_that_holds_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["build", "--out", str(tmp_path), "--no-validate-data"]) == 2
    assert "holds no release" in capsys.readouterr().err
    assert snapshot(tmp_path) == {"notes.txt": b"keep me"}


@pytest.mark.parametrize("place", ["before", "after"])
def test_the_project_root_is_taken_before_or_after_the_command(
    place: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = ["--project-root", str(tmp_path / "nowhere")]
    command = ["build", "--out", str(tmp_path / "out")]
    argv = root + command if place == "before" else command + root
    assert main(argv) == 2
    assert f"no ontology/ folder found in {tmp_path / 'nowhere'}" in capsys.readouterr().err


def test_builds_data_flags_are_serves_derived_from_the_settings() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    build = commands.choices["build"]  # type: ignore[attr-defined]
    for name in ("data", "only_data", "validate_data", "base_iri", "entail_standard_types"):
        flag = "--" + name.replace("_", "-")
        action = next(a for a in build._actions if flag in a.option_strings)
        description = Settings.model_fields[name].description
        assert description and description in (action.help or ""), name
