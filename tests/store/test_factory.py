"""What a server loads, and that it refuses to serve data that violates the shapes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kompass_graph.errors import DataNotConformingError, UsageError
from kompass_graph.settings import Settings
from kompass_graph.store.factory import build_store, load_served_files, served_files
from tests.web.conftest import FIXTURES, PROTOCOL_DATA

PROJECT = FIXTURES / "project"


def test_plan_is_ontology_then_data_then_extra_files() -> None:
    settings = Settings(project_root=PROJECT, data=[PROTOCOL_DATA])
    plan = served_files(settings)
    assert plan == [
        PROJECT / "ontology" / "ontology.ttl",
        PROJECT / "data" / "projects.ttl",
        PROTOCOL_DATA,
    ]


def test_only_data_serves_just_those_files() -> None:
    settings = Settings(project_root=PROJECT, only_data=[PROTOCOL_DATA])
    assert served_files(settings) == [PROTOCOL_DATA]


def test_missing_file_is_named(tmp_path: Path) -> None:
    settings = Settings(only_data=[tmp_path / "nope.ttl"])
    with pytest.raises(UsageError, match=r"nope\.ttl"):
        served_files(settings)


def test_our_data_is_validated_and_served_when_it_conforms() -> None:
    settings = Settings(project_root=PROJECT)
    report = load_served_files(build_store(settings), settings)
    assert report.triples == 6


def test_server_refuses_to_start_on_violations(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    (project / "data" / "projects.ttl").write_text(
        "@prefix kg: <https://w3id.org/kompass-graph/ontology#> .\n"
        "<https://w3id.org/kompass-graph/id/project/p1> a kg:Project .\n"
    )
    settings = Settings(project_root=project)
    store = build_store(settings)
    with pytest.raises(DataNotConformingError) as caught:
        load_served_files(store, settings)
    assert caught.value.exit_code == 1
    assert "A project needs a title" in str(caught.value)
    assert "projects.ttl:2" in str(caught.value)
    assert store.load_report is None  # nothing was loaded


def test_extra_data_files_are_checked_too(tmp_path: Path) -> None:
    """A file given with --data is served only when it conforms, like ours."""
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix kg: <https://w3id.org/kompass-graph/ontology#> .\n"
        "<https://w3id.org/kompass-graph/id/project/extra> a kg:Project .\n"
    )
    settings = Settings(project_root=PROJECT, data=[extra])
    store = build_store(settings)
    with pytest.raises(DataNotConformingError, match=r"extra\.ttl:2"):
        load_served_files(store, settings)
    assert store.load_report is None


def test_checks_can_be_turned_off_and_say_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix kg: <https://w3id.org/kompass-graph/ontology#> .\n"
        "<https://w3id.org/kompass-graph/id/project/extra> a kg:Project .\n"
    )
    settings = Settings(project_root=PROJECT, data=[extra], validate_data=False)
    report = load_served_files(build_store(settings), settings)
    assert report.triples == 7
    assert "without checking them" in caplog.text
