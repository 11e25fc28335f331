"""Reading the files a store loads: their content hash, which names the release, and
a stream that reports how far a large file has been read."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from kompass_graph.store.interface import ProgressCallback

__all__ = ["ProgressReader", "content_hash"]

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
