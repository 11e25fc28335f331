"""What the server loads, and that it refuses to serve our data when it violates the shapes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kompass_graph.errors import DataNotConformingError, UsageError
from kompass_graph.settings import Settings
from kompass_graph.sources import find_project_files
from kompass_graph.web.server import build_load_plan, build_store, load_store
from tests.web.conftest import FIXTURES, PROTOCOL_DATA

PROJECT = FIXTURES / "project"


def test_plan_is_ontology_then_data_then_extra_files() -> None:
    settings = Settings(project_root=PROJECT, data=[PROTOCOL_DATA])
    plan = build_load_plan(settings, find_project_files(PROJECT))
    assert plan == [
        PROJECT / "ontology" / "ontology.ttl",
        PROJECT / "data" / "projects.ttl",
        PROTOCOL_DATA,
    ]


def test_only_data_serves_just_those_files() -> None:
    settings = Settings(project_root=PROJECT, only_data=[PROTOCOL_DATA])
    assert build_load_plan(settings, find_project_files(PROJECT)) == [PROTOCOL_DATA]


def test_missing_file_is_named(tmp_path: Path) -> None:
    settings = Settings(only_data=[tmp_path / "nope.ttl"])
    with pytest.raises(UsageError, match=r"nope\.ttl"):
        build_load_plan(settings, None)


def test_our_data_is_validated_and_served_when_it_conforms() -> None:
    settings = Settings(project_root=PROJECT)
    report = load_store(build_store(settings), settings)
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
        load_store(store, settings)
    assert caught.value.exit_code == 1
    assert "A project needs a title" in str(caught.value)
    assert "projects.ttl:2" in str(caught.value)
    assert store.load_report is None  # nothing was loaded
