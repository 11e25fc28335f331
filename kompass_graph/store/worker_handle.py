"""The server's handle on one query worker process: its pid, its socket, what it cost.

`WorkerHandle` sends a length-prefixed frame and awaits one back; `private_bytes`
tells how much memory of its own a worker holds, so the pool can replace one that
queries made grow (the store it shares with the server does not count).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from kompass_graph.store.worker_child import HEADER

__all__ = ["RECYCLE_EVERY", "WorkerHandle", "private_bytes"]

#: a worker's memory is looked at every this many queries: reading smaps_rollup walks
#: the process's page tables (about 3 ms with a 100k-triple store), too dear for each
RECYCLE_EVERY = 512


def private_bytes(pid: int) -> int:
    """The process's private memory (clean and dirty), 0 where /proc cannot tell."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    kib = sum(int(line.split()[1]) for line in text.splitlines() if line.startswith("Private_"))
    return kib << 10


@dataclass(eq=False)
class WorkerHandle:
    pid: int
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    queries: int = field(default=0)
    #: private memory (bytes) right after start, to tell how much queries made it grow
    baseline: int = field(default=0)

    async def send(self, payload: bytes) -> None:
        self.writer.write(HEADER.pack(len(payload)) + payload)
        await self.writer.drain()

    async def receive(self) -> bytes:
        header = await self.reader.readexactly(HEADER.size)
        return await self.reader.readexactly(HEADER.unpack(header)[0])
