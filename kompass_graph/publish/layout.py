"""The release folder: its file names, `release.json` and `SHA256SUMS`, read and written.

A release folder holds the dumps (`kompass-graph.<suffix>` and `.gz`), the ontology
and shapes as written, the metadata (dcat.ttl, void.ttl, linksets.json), with
`--previous` the RDF Patch `changes.rdfp`, then `release.json` (what the release is,
and every other file with its size and SHA-256) and `SHA256SUMS` (`sha256sum -c`
checks every file but itself). `open_release` reads a folder back as a `Release`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kompass_graph.errors import SourceNotFoundError, UsageError
from kompass_graph.formats import format_by_name, format_by_suffix
from kompass_graph.publish.facts import Distribution, ReleaseFacts

__all__ = [
    "CHANGES",
    "CHECKSUMS",
    "DCAT",
    "DUMP_STEM",
    "LINKSETS",
    "RELEASE_JSON",
    "VOID",
    "Release",
    "checksums_document",
    "describe_file",
    "dump_name",
    "open_release",
    "release_document",
]

DUMP_STEM = "kompass-graph"
DCAT = "dcat.ttl"
VOID = "void.ttl"
LINKSETS = "linksets.json"
CHANGES = "changes.rdfp"
RELEASE_JSON = "release.json"
CHECKSUMS = "SHA256SUMS"

#: media types of the release's files that are not RDF dumps
_OTHER_MEDIA_TYPES = {
    ".json": "application/json",
    # the RDF Patch note registers no type; rdf-delta serves patches as this
    ".rdfp": "application/rdf-patch",
}
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Release:
    """A release folder as `release.json` describes it."""

    folder: Path
    facts: ReleaseFacts
    #: the identifier of the release `changes.rdfp` leads from, if there is one
    previous: str | None


def dump_name(format_name: str) -> str:
    """`kompass-graph.ttl` for "turtle": the dump's file name in the release."""
    return f"{DUMP_STEM}.{format_by_name(format_name).suffix}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _media(name: str) -> tuple[str, str]:
    """(media type, W3C format IRI) of a file's content, by its name."""
    suffix = Path(name).suffix
    fmt = format_by_suffix(suffix.lstrip("."))
    if fmt is not None:
        return fmt.media_type, fmt.format_iri
    return _OTHER_MEDIA_TYPES.get(suffix, "application/octet-stream"), ""


def describe_file(folder: Path, name: str) -> Distribution:
    """The file `name` (a path inside `folder`, `/`-separated) as a distribution."""
    path = folder / name
    compressed = name.endswith(".gz")
    media_type, format_iri = _media(name.removesuffix(".gz"))
    return Distribution(
        name=name,
        media_type=media_type,
        size=path.stat().st_size,
        sha256=_sha256(path),
        compression="gzip" if compressed else None,
        format_iri=format_iri,
    )


def release_document(facts: ReleaseFacts, *, previous: str | None) -> bytes:
    """release.json: the facts, the previous release's identifier, every file by name."""
    document = {
        "identifier": facts.identifier,
        "version": facts.version,
        "base_iri": facts.base_iri,
        "modified": facts.modified,
        "triples": facts.triples,
        "previous": previous,
        "files": [
            {
                "name": d.name,
                "media_type": d.media_type,
                "size": d.size,
                "sha256": d.sha256,
                "compression": d.compression,
            }
            for d in sorted(facts.distributions, key=lambda d: d.name)
        ],
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def checksums_document(folder: Path, names: Iterable[str]) -> bytes:
    """SHA256SUMS: `<hex>  <name>` for each file, sorted by name (`sha256sum -c` reads it)."""
    lines = [f"{_sha256(folder / name)}  {name}\n" for name in sorted(names)]
    return "".join(lines).encode("utf-8")


def _not_a_release(folder: Path, what: str) -> UsageError:
    return UsageError(
        f"{folder} is not a Kompass Graph release: {what}",
        hint="name a folder written by `kompass-graph build --out DIR`",
    )


def _distribution(entry: Any, folder: Path) -> Distribution:
    try:
        name = str(entry["name"])
        _, format_iri = _media(name.removesuffix(".gz"))
        return Distribution(
            name=name,
            media_type=str(entry["media_type"]),
            size=int(entry["size"]),
            sha256=str(entry["sha256"]),
            compression=entry.get("compression"),
            format_iri=format_iri,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise _not_a_release(
            folder, f"{RELEASE_JSON} has a malformed file entry ({error})"
        ) from None


def open_release(folder: Path) -> Release:
    """The release in `folder`, read from its release.json. Raises SourceNotFoundError
    when the folder does not exist and UsageError when it holds no (readable) release."""
    if not folder.is_dir():
        raise SourceNotFoundError(
            f"no release folder {folder}", hint="name a folder `kompass-graph build` wrote"
        )
    path = folder / RELEASE_JSON
    if not path.is_file():
        raise _not_a_release(folder, f"it has no {RELEASE_JSON}")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        facts = ReleaseFacts(
            identifier=str(document["identifier"]),
            version=str(document["version"]),
            base_iri=str(document["base_iri"]),
            modified=str(document["modified"]),
            triples=int(document["triples"]),
            distributions=tuple(_distribution(e, folder) for e in document["files"]),
        )
        previous = document.get("previous")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise _not_a_release(folder, f"its {RELEASE_JSON} cannot be read ({error})") from None
    return Release(folder, facts, None if previous is None else str(previous))
