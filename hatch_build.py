"""Build hook: put the query page's browser assets into the package.

The query page (kompass_graph/web/ui.py) uses YASGUI, installed from the npm registry
at build time from ui/package-lock.json, so a running server never fetches anything
from a CDN. This hook runs for `pip install .` and `pip install -e .`: when the vendored
files are missing or older than the lock file, it runs `npm ci` in ui/ and copies the
needed dist files (the JavaScript bundle and its stylesheet, nothing else) into
kompass_graph/web/static/vendor/. That folder is gitignored, so the hook also declares
it as build artifacts to make the wheel include it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any, NamedTuple

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

UI_FOLDER = "ui"
VENDOR_FOLDER = "kompass_graph/web/static/vendor"


class VendoredFile(NamedTuple):
    """One file copied from an installed npm package into the vendor folder.

    (A NamedTuple, not a dataclass: hatchling loads this script without registering
    it in sys.modules, which dataclasses need.)
    """

    source: str  # relative to ui/node_modules/
    target: str  # file name inside the vendor folder


VENDORED_FILES = (
    VendoredFile("@zazuko/yasgui/build/yasgui.min.js", "yasgui.min.js"),
    VendoredFile("@zazuko/yasgui/build/yasgui.min.css", "yasgui.min.css"),
)


class UiAssetsError(RuntimeError):
    """The browser assets cannot be built; the message says what to install or fix."""


class CustomBuildHook(BuildHookInterface):  # type: ignore[misc,type-arg,unused-ignore]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        vendor = root / VENDOR_FOLDER
        if assets_are_stale(root / UI_FOLDER, vendor):
            install_npm_packages(root / UI_FOLDER)
            copy_vendored_files(root / UI_FOLDER / "node_modules", vendor)
        # Artifacts are included although .gitignore excludes them.
        build_data["artifacts"].extend(f"/{VENDOR_FOLDER}/{f.target}" for f in VENDORED_FILES)


def assets_are_stale(ui: Path, vendor: Path) -> bool:
    """True when a vendored file is missing or older than the npm lock file."""
    lock = ui / "package-lock.json"
    if not lock.is_file():
        raise UiAssetsError(f"{lock} is missing; it pins the query page's npm packages")
    lock_time = lock.stat().st_mtime
    targets = [vendor / f.target for f in VENDORED_FILES]
    return any(not t.is_file() or t.stat().st_mtime < lock_time for t in targets)


def install_npm_packages(ui: Path) -> None:
    """`npm ci` in ui/: exactly the locked versions, without install scripts."""
    npm = shutil.which("npm")
    if npm is None:
        raise UiAssetsError(
            "npm is not installed, but building kompass-graph needs it once to fetch the "
            "query page's browser assets from the npm registry (ui/package-lock.json). "
            "Install Node.js with npm (Debian: apt-get install nodejs npm) and build again."
        )
    command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
    result = subprocess.run(command, cwd=ui, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise UiAssetsError(
            f"`{' '.join(command[1:])}` in {ui} failed with exit code {result.returncode}:\n"
            f"{result.stderr.strip() or result.stdout.strip()}"
        )


def copy_vendored_files(node_modules: Path, vendor: Path) -> None:
    vendor.mkdir(parents=True, exist_ok=True)
    for vendored in VENDORED_FILES:
        source = node_modules / vendored.source
        if not source.is_file():
            raise UiAssetsError(
                f"{source} is missing after `npm ci`; does ui/package.json still pin the "
                "package version that ships it?"
            )
        # copy (not copy2): a fresh mtime marks the file as newer than the lock file.
        shutil.copy(source, vendor / vendored.target)
