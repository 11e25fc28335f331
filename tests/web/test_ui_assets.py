"""The query page's vendored YASGUI files, and the script that refreshes them.

The files in kompass_graph/web/static/vendor/ are committed, built by the npm package
that ui/package-lock.json pins; VENDORED.json next to them records that package's
version and each file's sha256. These tests fail when a refresh changes one of the
files, the manifest, the lock file or the licence notice without the others. They never
run npm (tests reach only loopback): ui/refresh_assets.py is tested with a fake npm tree.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
VENDOR = REPO_ROOT / "kompass_graph" / "web" / "static" / "vendor"
MANIFEST = VENDOR / "VENDORED.json"
LOCK_FILE = REPO_ROOT / "ui" / "package-lock.json"
NOTICES = REPO_ROOT / "THIRD-PARTY-NOTICES.md"
REFRESH_HINT = "refresh them together with `python3 ui/refresh_assets.py`"


def _load_refresh_script() -> ModuleType:
    path = REPO_ROOT / "ui" / "refresh_assets.py"
    spec = importlib.util.spec_from_file_location("refresh_assets", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


refresh_assets = _load_refresh_script()


def _manifest() -> dict[str, object]:
    data: dict[str, object] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return data


def _checksum_mismatches(vendor: Path, manifest: dict[str, object]) -> list[str]:
    """One line per manifest file whose sha256 differs from the file's in `vendor`."""
    mismatches = []
    files = manifest["files"]
    assert isinstance(files, list)
    for entry in files:
        path = vendor / entry["name"]
        actual = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"
        if actual != entry["sha256"]:
            mismatches.append(f"{entry['name']}: sha256 {actual}, manifest {entry['sha256']}")
    return mismatches


# --- the committed files -------------------------------------------------------------


def test_the_manifest_names_every_vendored_file_and_no_other() -> None:
    files = _manifest()["files"]
    assert isinstance(files, list)
    named = sorted(entry["name"] for entry in files)
    present = sorted(p.name for p in VENDOR.iterdir() if p.name != MANIFEST.name)
    assert named == ["yasgui.min.css", "yasgui.min.js"]  # the bundle and its stylesheet
    assert present == named, f"vendor/ holds {present}, VENDORED.json names {named}"


def test_the_committed_files_have_the_manifests_checksums() -> None:
    mismatches = _checksum_mismatches(VENDOR, _manifest())
    assert not mismatches, "\n".join([*mismatches, REFRESH_HINT])


def test_the_checksum_check_sees_a_changed_byte(tmp_path: Path) -> None:
    (tmp_path / "yasgui.min.css").write_bytes(b"/* css */")
    original = hashlib.sha256(b"/* css */").hexdigest()
    manifest: dict[str, object] = {"files": [{"name": "yasgui.min.css", "sha256": original}]}
    assert _checksum_mismatches(tmp_path, manifest) == []

    (tmp_path / "yasgui.min.css").write_bytes(b"/* css! */")
    changed = hashlib.sha256(b"/* css! */").hexdigest()
    assert _checksum_mismatches(tmp_path, manifest) == [
        f"yasgui.min.css: sha256 {changed}, manifest {original}"
    ]
    (tmp_path / "yasgui.min.css").unlink()
    assert _checksum_mismatches(tmp_path, manifest) == [
        f"yasgui.min.css: sha256 missing, manifest {original}"
    ]


def test_the_manifests_version_is_the_one_the_lock_file_pins() -> None:
    manifest = _manifest()
    lock = json.loads(LOCK_FILE.read_text(encoding="utf-8"))
    locked = lock["packages"][f"node_modules/{manifest['package']}"]["version"]
    assert manifest["version"] == locked, (
        f"VENDORED.json has {manifest['package']} {manifest['version']}, "
        f"ui/package-lock.json pins {locked}; {REFRESH_HINT}"
    )


def test_the_licence_notice_names_the_vendored_version() -> None:
    manifest = _manifest()
    rows = [
        line
        for line in NOTICES.read_text(encoding="utf-8").splitlines()
        if line.startswith(f"| [{manifest['package']}]")
    ]
    assert len(rows) == 1, f"THIRD-PARTY-NOTICES.md needs one table row for {manifest['package']}"
    assert f"| {manifest['version']} |" in rows[0], rows[0]


def test_the_script_writes_the_committed_manifest_byte_for_byte(tmp_path: Path) -> None:
    rewritten = tmp_path / "VENDORED.json"
    refresh_assets.write_manifest(refresh_assets.read_manifest(MANIFEST), rewritten)
    assert rewritten.read_text(encoding="utf-8") == MANIFEST.read_text(encoding="utf-8")


# --- ui/refresh_assets.py, over a fake npm tree -----------------------------------------


def _fake_node_modules(root: Path, *, version: str) -> Path:
    package = root / "node_modules" / "@zazuko" / "yasgui"
    (package / "build").mkdir(parents=True)
    (package / "package.json").write_text(
        json.dumps({"name": "@zazuko/yasgui", "version": version})
    )
    (package / "build" / "yasgui.min.js").write_text("/* js */")
    (package / "build" / "yasgui.min.css").write_text("/* css */")
    return root / "node_modules"


def test_copying_records_the_installed_version_and_new_checksums(tmp_path: Path) -> None:
    node_modules = _fake_node_modules(tmp_path, version="9.9.9")
    vendor = tmp_path / "vendor"
    vendor.mkdir()
    old = refresh_assets.read_manifest(MANIFEST)
    new = refresh_assets.copy_vendored_files(old, node_modules=node_modules, vendor=vendor)
    assert new.package == "@zazuko/yasgui"
    assert new.version == "9.9.9"
    assert [(f.name, f.source, f.sha256) for f in new.files] == [
        ("yasgui.min.js", "build/yasgui.min.js", hashlib.sha256(b"/* js */").hexdigest()),
        ("yasgui.min.css", "build/yasgui.min.css", hashlib.sha256(b"/* css */").hexdigest()),
    ]
    assert (vendor / "yasgui.min.js").read_text() == "/* js */"


def test_a_file_the_package_does_not_ship_fails_the_refresh(tmp_path: Path) -> None:
    node_modules = _fake_node_modules(tmp_path, version="9.9.9")
    (node_modules / "@zazuko" / "yasgui" / "build" / "yasgui.min.css").unlink()
    manifest = refresh_assets.read_manifest(MANIFEST)
    with pytest.raises(refresh_assets.RefreshError, match=r"9\.9\.9 does not ship build/yasgui"):
        refresh_assets.copy_vendored_files(manifest, node_modules=node_modules, vendor=tmp_path)


def test_without_npm_the_refresh_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a folder without npm
    with pytest.raises(refresh_assets.RefreshError, match="npm is not on PATH") as error:
        refresh_assets.run_npm_ci(tmp_path)
    assert "apt-get install nodejs npm" in str(error.value)


def test_bundled_projects_are_read_from_the_source_map(tmp_path: Path) -> None:
    node_modules = tmp_path / "node_modules"
    for name, version, text in (("jquery", "3.8.0", "new"), ("n3", "1.26.0", "same")):
        (node_modules / name).mkdir(parents=True)
        (node_modules / name / "package.json").write_text(
            json.dumps({"version": version, "license": "MIT"})
        )
        (node_modules / name / "index.js").write_text(text)
    source_map = tmp_path / "bundle.min.js.map"
    source_map.write_text(
        json.dumps(
            {
                "sources": [
                    "../src/index.ts",
                    "../../../node_modules/jquery/index.js",
                    "../../../node_modules/n3/index.js",
                ],
                "sourcesContent": ["ours", "old", "same"],
            }
        )
    )
    projects = refresh_assets.bundled_projects(source_map, node_modules=node_modules)
    assert [(p.name, p.installed_version, p.same_as_installed) for p in projects] == [
        ("jquery", "3.8.0", False),
        ("n3", "1.26.0", True),
    ]
