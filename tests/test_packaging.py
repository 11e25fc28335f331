"""The wheel carries the graph's files, so the CLI works from any directory after install."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    wheels = list(out.glob("kompass_graph-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_the_wheel_ships_ontology_data_shapes_and_queries(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for folder in ("ontology", "data", "shapes", "sparql"):
        shipped = [n for n in names if n.startswith(f"kompass_graph/_resources/{folder}/")]
        source = [p for p in (ROOT / folder).rglob("*") if p.is_file()]
        assert len(shipped) == len(source) > 0, folder


def test_validate_runs_from_any_directory_on_the_installed_files(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("KOMPASS_PROJECT_ROOT", None)
    code = (
        "import kompass_graph.sources as s, kompass_graph.cli as c, sys;"
        "print(s.find_project_files().root, file=sys.stderr);"
        "sys.exit(c.main(['validate']))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert str(site / "kompass_graph" / "_resources") in run.stderr
    assert "conforms: 0 violation(s)" in run.stdout
