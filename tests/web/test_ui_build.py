"""The build hook that vendors the query page's YASGUI files (hatch_build.py).

These tests never run npm (tests reach only loopback); the real `npm ci` runs when the
package is installed, and tests/web/test_ui.py checks that its output is served.
"""

from __future__ import annotations

import importlib.util
import os
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("hatchling", reason="hatchling is not installed (pip install -e '.[test]')")

REPO_ROOT = Path(__file__).resolve().parents[2]


def _load_hook_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hatch_build", REPO_ROOT / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hook = _load_hook_module()


def _make_project(root: Path, *, with_node_modules: bool) -> None:
    (root / "ui").mkdir(parents=True)
    (root / "ui" / "package-lock.json").write_text("{}")
    if with_node_modules:
        for vendored in hook.VENDORED_FILES:
            source = root / "ui" / "node_modules" / vendored.source
            source.parent.mkdir(parents=True, exist_ok=True)
            source.write_text(f"/* {vendored.target} */")


def _age(path: Path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_vendored_files_are_the_yasgui_bundle_and_stylesheet_only() -> None:
    assert sorted(f.target for f in hook.VENDORED_FILES) == ["yasgui.min.css", "yasgui.min.js"]


def test_missing_vendored_files_are_stale(tmp_path: Path) -> None:
    _make_project(tmp_path, with_node_modules=False)
    assert hook.assets_are_stale(tmp_path / "ui", tmp_path / "vendor")


def test_copied_files_are_fresh_until_the_lock_file_changes(tmp_path: Path) -> None:
    _make_project(tmp_path, with_node_modules=True)
    lock = tmp_path / "ui" / "package-lock.json"
    _age(lock, 60)
    vendor = tmp_path / "vendor"
    hook.copy_vendored_files(tmp_path / "ui" / "node_modules", vendor)
    assert (vendor / "yasgui.min.js").read_text() == "/* yasgui.min.js */"
    assert not hook.assets_are_stale(tmp_path / "ui", vendor)

    lock.touch()  # a newer lock file pins other versions
    _age(vendor / "yasgui.min.css", 30)
    assert hook.assets_are_stale(tmp_path / "ui", vendor)


def test_a_missing_lock_file_fails_the_build(tmp_path: Path) -> None:
    (tmp_path / "ui").mkdir()
    with pytest.raises(hook.UiAssetsError, match=r"package-lock\.json is missing"):
        hook.assets_are_stale(tmp_path / "ui", tmp_path / "vendor")


def test_a_file_missing_after_npm_ci_fails_the_build(tmp_path: Path) -> None:
    _make_project(tmp_path, with_node_modules=False)
    with pytest.raises(hook.UiAssetsError, match=r"yasgui\.min\.js is missing after `npm ci`"):
        hook.copy_vendored_files(tmp_path / "ui" / "node_modules", tmp_path / "vendor")


def test_without_npm_the_build_fails_saying_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a folder without npm
    with pytest.raises(hook.UiAssetsError, match="npm is not installed") as error:
        hook.install_npm_packages(tmp_path)
    assert "apt-get install nodejs npm" in str(error.value)


def test_fresh_files_are_declared_artifacts_without_running_npm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _make_project(tmp_path, with_node_modules=True)
    _age(tmp_path / "ui" / "package-lock.json", 60)
    hook.copy_vendored_files(tmp_path / "ui" / "node_modules", tmp_path / hook.VENDOR_FOLDER)

    def npm_must_not_run(ui: Path) -> None:
        raise AssertionError(f"npm ran in {ui} although the files were fresh")

    monkeypatch.setattr(hook, "install_npm_packages", npm_must_not_run)
    build_data: dict[str, Any] = {"artifacts": []}
    build_hook = hook.CustomBuildHook(str(tmp_path), {}, None, None, str(tmp_path), "wheel")
    build_hook.initialize("standard", build_data)
    assert build_data["artifacts"] == [
        "/kompass_graph/web/static/vendor/yasgui.min.js",
        "/kompass_graph/web/static/vendor/yasgui.min.css",
    ]
