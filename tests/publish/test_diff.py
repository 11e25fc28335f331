"""`diff_releases`: the RDF Patch between two releases, exact to the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompass_graph.errors import UsageError
from kompass_graph.publish.build import build_release
from kompass_graph.publish.diff import (
    GraphChange,
    Patch,
    diff_dumps,
    diff_releases,
    read_patch,
)
from kompass_graph.settings import Settings

G = "<http://example.org/g>"
A = "<http://example.org/a> <http://example.org/p> <http://example.org/o>"
B = '<http://example.org/b> <http://example.org/p> "b"@de'
C = '<http://example.org/c> <http://example.org/p> "ü"'
EXTRA = (
    "<https://w3id.org/kompass-graph/id/project/extra> "
    '<http://www.w3.org/2000/01/rdf-schema#comment> "one more triple"@en .'
)


def test_removed_lines_come_first_then_added_each_in_line_order() -> None:
    old = [f"{A} {G} .", f"{B} .", f"{C} ."]
    new = [f"{C} .", f"{B} {G} .", f"{A} .", f"{A} {G} ."]
    patch = diff_dumps(old, new, old_id="0.1.0+old", new_id="0.1.0+new")
    assert patch.lines == (f"D {B} .", f"A {A} .", f"A {B} {G} .")
    assert patch.summary == (
        GraphChange("default graph", added=1, removed=1),
        GraphChange(G, added=1, removed=0),
    )
    assert (patch.added, patch.removed) == (2, 1)


def test_the_document_is_rdf_patch_with_the_releases_in_its_header() -> None:
    patch = diff_dumps([f"{A} ."], [f"{C} ."], old_id="0.1.0+old", new_id="0.1.0+new")
    assert patch.document().decode("utf-8") == (
        "H id <urn:kompass-graph:release:0.1.0+new> .\n"
        "H prev <urn:kompass-graph:release:0.1.0+old> .\n"
        "TX .\n"
        f"D {A} .\n"
        f"A {C} .\n"
        "TC .\n"
    )
    assert patch.summary_text() == (
        "default graph: +1 -1\n0.1.0+old -> 0.1.0+new: 1 statement(s) added, 1 removed\n"
    )


def test_a_written_patch_reads_back_as_the_same_patch() -> None:
    patch = diff_dumps([f"{A} {G} ."], [f"{B} ."], old_id="0.1.0+old", new_id="0.1.0+new")
    assert read_patch(patch.document()) == patch


def test_no_change_is_an_empty_transaction() -> None:
    patch = diff_dumps([f"{A} ."], [f"{A} ."], old_id="x", new_id="x")
    assert patch == Patch(old="x", new="x", lines=(), summary=())
    assert patch.document().decode().splitlines()[-2:] == ["TX .", "TC ."]


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("diff")
    extra = root / "extra.nt"
    extra.write_text(EXTRA + "\n", encoding="utf-8")
    unchecked = Settings(validate_data=False)  # the build's checks are test_build's
    build_release(unchecked, root / "old")
    build_release(Settings(validate_data=False, data=[extra]), root / "new")
    return root / "old", root / "new"


def test_two_builds_that_differ_by_one_triple_differ_by_one_line(
    two_builds: tuple[Path, Path],
) -> None:
    old, new = two_builds
    patch = diff_releases(old, new)
    assert patch.lines == (f"A {EXTRA}",)
    assert patch.summary == (GraphChange("default graph", added=1, removed=0),)
    assert patch.old != patch.new
    assert diff_releases(new, old).lines == (f"D {EXTRA}",)
    assert diff_releases(old, old).lines == ()


def test_a_folder_that_is_no_release_is_a_usage_error(
    two_builds: tuple[Path, Path], tmp_path: Path
) -> None:
    old, _ = two_builds
    with pytest.raises(UsageError, match=r"no release\.json"):
        diff_releases(old, tmp_path)
