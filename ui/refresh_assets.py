"""Refresh the query page's vendored YASGUI files from the npm registry.

The query page (kompass_graph/web/ui.py) loads YASGUI's JavaScript bundle and stylesheet
from kompass_graph/web/static/vendor/. Those files are committed, so installing
kompass-graph needs Python alone; npm is needed only here, to replace them. Run it by
hand after pinning another version in ui/package.json and ui/package-lock.json
(`npm install --package-lock-only --save-exact @zazuko/yasgui@X.Y.Z` in ui/):

    python3 ui/refresh_assets.py

It runs `npm ci` in ui/ (exactly the locked versions, no install scripts), copies the
files that vendor/VENDORED.json names from the npm package, rewrites VENDORED.json with
the installed version and the new sha256 checksums, and lists the projects compiled into
the bundle so THIRD-PARTY-NOTICES.md can be checked. pip and CI never run it;
tests/web/test_ui_assets.py fails when the files, VENDORED.json and the lock file disagree.

Standard library only, so it runs without the project installed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI_FOLDER = ROOT / "ui"
VENDOR_FOLDER = ROOT / "kompass_graph" / "web" / "static" / "vendor"
MANIFEST_NAME = "VENDORED.json"


class RefreshError(Exception):
    """The files cannot be refreshed; the message says what to install or fix."""


@dataclass(frozen=True, kw_only=True)
class VendoredFile:
    name: str  # file name inside the vendor folder
    source: str  # path inside the npm package
    sha256: str


@dataclass(frozen=True, kw_only=True)
class Manifest:
    """What VENDORED.json says: which npm package, which version, which files."""

    package: str
    version: str
    files: tuple[VendoredFile, ...]


@dataclass(frozen=True, kw_only=True)
class BundledProject:
    """An npm package compiled into the bundle, as its source map names it."""

    name: str
    installed_version: str  # what `npm ci` installed; the bundle may hold another
    license: str
    same_as_installed: bool  # every bundled source equals the installed file


def read_manifest(path: Path) -> Manifest:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Manifest(
        package=data["package"],
        version=data["version"],
        files=tuple(VendoredFile(**entry) for entry in data["files"]),
    )


def write_manifest(manifest: Manifest, path: Path) -> None:
    data = {
        "package": manifest.package,
        "version": manifest.version,
        "lock_file": "ui/package-lock.json",
        "refresh": "python3 ui/refresh_assets.py",
        "files": [{"name": f.name, "source": f.source, "sha256": f.sha256} for f in manifest.files],
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_npm_ci(ui: Path) -> None:
    """`npm ci` in ui/: exactly the versions of package-lock.json, without install scripts."""
    npm = shutil.which("npm")
    if npm is None:
        raise RefreshError(
            "npm is not on PATH; refreshing the vendored YASGUI files needs Node.js with npm "
            "(Debian: apt-get install nodejs npm). Installing kompass-graph does not."
        )
    command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
    result = subprocess.run(command, cwd=ui, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RefreshError(
            f"`npm {' '.join(command[1:])}` in {ui} failed with exit code "
            f"{result.returncode}:\n{result.stderr.strip() or result.stdout.strip()}"
        )


def copy_vendored_files(manifest: Manifest, *, node_modules: Path, vendor: Path) -> Manifest:
    """Copy the manifest's files from the installed package; the manifest they now match."""
    package = node_modules / manifest.package
    package_json = package / "package.json"
    if not package_json.is_file():
        raise RefreshError(
            f"{package_json} is missing after `npm ci`; does ui/package.json still depend "
            f"on {manifest.package}?"
        )
    version = json.loads(package_json.read_text(encoding="utf-8"))["version"]
    copied = []
    for vendored in manifest.files:
        source = package / vendored.source
        if not source.is_file():
            raise RefreshError(
                f"{source} is missing: {manifest.package} {version} does not ship "
                f"{vendored.source}; fix its `source` in {MANIFEST_NAME}"
            )
        target = vendor / vendored.name
        shutil.copyfile(source, target)
        copied.append(
            VendoredFile(name=vendored.name, source=vendored.source, sha256=sha256_of(target))
        )
    return Manifest(package=manifest.package, version=version, files=tuple(copied))


def bundled_projects(source_map: Path, *, node_modules: Path) -> list[BundledProject]:
    """The npm packages a bundle's source map names, with what `npm ci` installed of each.

    A package built into the bundle at another version than the installed one shows as
    not `same_as_installed`; its version is then in the bundle's own banner comment.
    """
    data = json.loads(source_map.read_text(encoding="utf-8"))
    contents = data.get("sourcesContent") or [None] * len(data["sources"])
    same: dict[str, bool] = {}
    for source, content in zip(data["sources"], contents, strict=True):
        match = re.search(r"node_modules/((?:@[^/]+/)?[^/]+)/(.+)$", source)
        if match is None:
            continue  # the package's own sources
        name, inner = match.groups()
        installed = node_modules / name / inner
        equal = installed.is_file() and installed.read_bytes() == (content or "").encode()
        same[name] = same.get(name, True) and equal
    projects = []
    for name, equal in sorted(same.items()):
        package_json = node_modules / name / "package.json"
        meta = (
            json.loads(package_json.read_text(encoding="utf-8")) if package_json.is_file() else {}
        )
        projects.append(
            BundledProject(
                name=name,
                installed_version=meta.get("version", "not installed"),
                license=meta.get("license", "not declared"),
                same_as_installed=equal,
            )
        )
    return projects


def refresh(*, ui: Path = UI_FOLDER, vendor: Path = VENDOR_FOLDER) -> Manifest:
    manifest_path = vendor / MANIFEST_NAME
    manifest = read_manifest(manifest_path)
    run_npm_ci(ui)
    node_modules = ui / "node_modules"
    refreshed = copy_vendored_files(manifest, node_modules=node_modules, vendor=vendor)
    write_manifest(refreshed, manifest_path)
    print(f"{manifest.package}: {manifest.version} -> {refreshed.version}")
    for vendored in refreshed.files:
        print(f"  {vendored.name}  sha256 {vendored.sha256}")
    for vendored in refreshed.files:
        source_map = node_modules / manifest.package / f"{vendored.source}.map"
        if not source_map.is_file():
            continue
        print(f"\nCompiled into {vendored.name} (check THIRD-PARTY-NOTICES.md names each):")
        for project in bundled_projects(source_map, node_modules=node_modules):
            note = "" if project.same_as_installed else "  (differs: see the bundle's banner)"
            print(f"  {project.name} {project.installed_version} {project.license}{note}")
    return refreshed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Refresh kompass_graph/web/static/vendor/ from ui/package-lock.json "
        "(needs npm; installing kompass-graph does not)."
    )
    parser.parse_args(argv)
    try:
        refresh()
    except RefreshError as error:
        print(f"refresh_assets: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
