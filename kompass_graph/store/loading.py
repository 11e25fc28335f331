"""Reading the files a store loads: their content hash, which names the release, a
stream that reports how far a large file has been read, and the manifest beside an
on-disk store that says which files it holds (so a restart can reuse it)."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from kompass_graph import __version__
from kompass_graph.store.interface import LoadReport, ProgressCallback

__all__ = [
    "DATABASE",
    "MANIFEST",
    "ProgressReader",
    "content_hash",
    "reuse_manifest",
    "write_manifest",
]

logger = logging.getLogger(__name__)

#: in an on-disk store's folder: what it holds, and the RocksDB database itself
MANIFEST = "kompass-load.json"
DATABASE = "oxigraph"

_PROGRESS_EVERY_BYTES = 64 << 20
_CHUNK = 1 << 20


def content_hash(files: Sequence[Path]) -> str:
    """SHA-256 over the files' names and bytes, in load order: names one data release."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()


class ProgressReader:
    """A binary stream that reports how far the parser has read (for large files)."""

    def __init__(self, stream: BinaryIO, path: Path, report: ProgressCallback | None) -> None:
        self._stream = stream
        self._path = path
        self._report = report
        self._total = path.stat().st_size
        self._done = 0
        self._next = _PROGRESS_EVERY_BYTES

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._done += len(data)
        if self._report is not None and self._done >= self._next:
            self._next += _PROGRESS_EVERY_BYTES
            self._report(self._path, self._done, self._total)
        return data

    def readinto(self, buffer: bytearray) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def reuse_manifest(folder: Path, stored_key: str, digest: str) -> LoadReport | None:
    """The report of the store in `folder` when it holds exactly what `stored_key`
    names; None when it holds something else or nothing."""
    manifest = folder / MANIFEST
    if not manifest.is_file() or not (folder / DATABASE).is_dir():
        return None
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if recorded.get("content_hash") != stored_key:
        logger.info("store %s holds other files; loading afresh", folder)
        return None
    files = [Path(p) for p in recorded.get("files", [])]
    return LoadReport(files, int(recorded["triples"]), 0.0, digest, reused=True)


def write_manifest(folder: Path, files: Sequence[Path], digest: str, triples: int) -> None:
    """Record what the store in `folder` holds, atomically (written, then renamed)."""
    manifest = {
        "content_hash": digest,
        "files": [str(p) for p in files],
        "triples": triples,
        "kompass_graph": __version__,
    }
    staged = folder / (MANIFEST + ".tmp")
    staged.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    staged.rename(folder / MANIFEST)
