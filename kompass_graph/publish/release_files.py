"""A built release's files, checked for serving, and its metadata documents read back.

The web layer reads no files itself: it asks here which files of a release it may
serve (`release_files`), and for the parsed linkset report (`read_linksets`) and the
VoID description in another RDF syntax (`void_document`).

A file is served only when release.json lists it (a request names a file of that
list, never a path) and it still is what release.json says: a regular file (not a
symlink) inside the release folder, of the size release.json states. A file that is
not is left out with a problem saying why, rather than served under a checksum that
no longer holds. SHA256SUMS and release.json are served as well (the manifests): they
are not in release.json's list, so their checksum is not known without reading them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kompass_graph.errors import SourceNotFoundError, UsageError
from kompass_graph.formats import format_by_name
from kompass_graph.publish.layout import CHANGES, CHECKSUMS, LINKSETS, RELEASE_JSON, VOID, Release

__all__ = [
    "CHANGES_NAME",
    "LINKSETS_NAME",
    "MANIFEST_NAMES",
    "VOID_NAME",
    "ReleaseFile",
    "ReleaseFiles",
    "read_linksets",
    "release_files",
    "void_document",
]

VOID_NAME = VOID
LINKSETS_NAME = LINKSETS
CHANGES_NAME = CHANGES
#: the two files release.json does not list (the checksums, and release.json itself)
MANIFEST_NAMES: tuple[tuple[str, str], ...] = (
    (CHECKSUMS, "text/plain"),
    (RELEASE_JSON, "application/json"),
)


@dataclass(frozen=True)
class ReleaseFile:
    """One file of the release the server may serve."""

    name: str
    path: Path
    media_type: str
    size: int
    #: None for the manifests (SHA256SUMS, release.json), whose checksum is not listed
    sha256: str | None
    compression: str | None


@dataclass(frozen=True)
class ReleaseFiles:
    """The servable files by name, and the listed files left out with the reason."""

    files: dict[str, ReleaseFile]
    problems: tuple[str, ...]


def _checked(folder: Path, name: str) -> tuple[Path | None, str | None]:
    """The file's path when it is a regular file inside `folder`, else why not."""
    path = folder / name
    if Path(name).is_absolute() or ".." in Path(name).parts:
        return None, f"{name}: release.json names a path outside the release folder"
    if path.is_symlink():
        return None, f"{name}: is a symbolic link, not a file of the release"
    if not path.resolve().is_relative_to(folder.resolve()):
        return None, f"{name}: lies outside the release folder"
    if not path.is_file():
        return None, f"{name}: listed in release.json but missing from {folder}"
    return path, None


def release_files(release: Release) -> ReleaseFiles:
    """Every file of `release` that may be served (see the module docstring)."""
    folder = release.folder
    files: dict[str, ReleaseFile] = {}
    problems: list[str] = []
    for distribution in release.facts.distributions:
        path, problem = _checked(folder, distribution.name)
        if path is not None and path.stat().st_size != distribution.size:
            problem = (
                f"{distribution.name}: {path.stat().st_size} bytes on disk, release.json "
                f"says {distribution.size}: changed after the build"
            )
        if path is None or problem is not None:
            problems.append(problem or distribution.name)
            continue
        files[distribution.name] = ReleaseFile(
            distribution.name,
            path,
            distribution.media_type,
            distribution.size,
            distribution.sha256,
            distribution.compression,
        )
    for name, media_type in MANIFEST_NAMES:
        path, _problem = _checked(folder, name)
        if path is not None:
            size = path.stat().st_size
            files[name] = ReleaseFile(name, path, media_type, size, None, None)
    return ReleaseFiles(files, tuple(problems))


def read_linksets(release: Release) -> dict[str, Any]:
    """The release's linkset report (linksets.json) as data."""
    path = release.folder / LINKSETS_NAME
    if not path.is_file():
        raise SourceNotFoundError(
            f"the release {release.facts.identifier} has no {LINKSETS_NAME}",
            hint=f"build the release again (kompass-graph build) into {release.folder}",
        )
    try:
        report = json.loads(path.read_bytes())
    except json.JSONDecodeError as error:
        raise UsageError(f"{path}: not JSON ({error})") from error
    if not isinstance(report, dict):
        raise UsageError(f"{path}: expected a JSON object, found {type(report).__name__}")
    return report


#: our format names <-> the Oxigraph syntax VoID is rewritten in
_SYNTAXES = {
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "turtle": ox.RdfFormat.TURTLE,
}


def void_document(release: Release, format_name: str) -> bytes:
    """The release's VoID description in `format_name`: turtle is void.ttl as built;
    ntriples, jsonld and rdfxml rewrite its statements in the file's order (stable)."""
    path = release.folder / VOID_NAME
    if not path.is_file():
        raise SourceNotFoundError(f"the release {release.facts.identifier} has no {VOID_NAME}")
    if format_name not in _SYNTAXES:
        raise UsageError(f"VoID is not offered as {format_by_name(format_name).media_type}")
    if format_name == "turtle":
        return path.read_bytes()  # the file as built, byte for byte
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    written = ox.serialize(triples, format=_SYNTAXES[format_name])
    assert written is not None  # serialize without an output returns the bytes
    return written
