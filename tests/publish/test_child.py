"""The server's release build in a child process (publish/child.py)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from kompass_graph.errors import KompassError
from kompass_graph.publish.build import open_release
from kompass_graph.publish.child import ChildBuild
from kompass_graph.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"


def test_the_child_writes_the_release_of_the_project_data(tmp_path: Path) -> None:
    out = tmp_path / "release"
    ChildBuild(Settings(), out).run()
    release = open_release(out)
    assert release.facts.triples > 1000
    assert (out / "release.json").is_file()


def test_a_failed_build_reports_the_childs_reason(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<http://example.org/a> <http://example.org/b> .\n", encoding="utf-8")
    build = ChildBuild(Settings(only_data=[broken]), tmp_path / "release")
    with pytest.raises(KompassError, match=r"broken\.ttl"):
        build.run()
    assert not (tmp_path / "release").exists()


def test_stop_ends_a_build_under_way(tmp_path: Path) -> None:
    build = ChildBuild(Settings(), tmp_path / "release")
    failures: list[BaseException] = []

    def run() -> None:
        try:
            build.run()
        except KompassError as error:
            failures.append(error)

    waiting = threading.Thread(target=run)
    waiting.start()
    time.sleep(0.5)  # the child is importing or loading: far from done
    build.stop()
    waiting.join(timeout=30)
    assert not waiting.is_alive()
    assert len(failures) == 1
    assert "ended without a result" in str(failures[0])
    assert not (tmp_path / "release").exists()


def test_a_stopped_build_does_not_start(tmp_path: Path) -> None:
    build = ChildBuild(Settings(), tmp_path / "release")
    build.stop()
    with pytest.raises(KompassError, match="stopped before"):
        build.run()
