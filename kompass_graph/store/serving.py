"""Which worker pool answers new queries, and the pools still finishing old ones.

A reload (`EmbeddedStore.reload`) starts the new release's pool beside the old one and
switches: from that moment every new query goes to the new pool, while the queries
already running on the old one finish there (they hold the pool they started on).
The old pool is closed once none of its queries runs any more; each query is bounded
by its own timeout (the pool kills it at its deadline), so the wait is too.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from kompass_graph.errors import StoreNotReadyError
from kompass_graph.store.execution import Outcome
from kompass_graph.store.interface import GraphStore, LoadReport, QueryRequest
from kompass_graph.store.workers import WorkerPool

__all__ = ["ReloadableStore", "ServingPools"]

#: how often a switch looks whether the old pool's last query has finished; polling
#: keeps the per-query path to two counter updates (no event per query)
_DRAIN_POLL = 0.02


@runtime_checkable
class ReloadableStore(Protocol):
    """A store that can switch to a new release while it serves (the embedded store in
    memory). Not part of `GraphStore`: a remote store's content is changed by
    publishing into it, not by the server; the web layer asks for this one."""

    @property
    def can_reload(self) -> bool:
        """True when `reload` can work in this configuration."""
        ...

    async def reload(self, load: Callable[[GraphStore], LoadReport]) -> LoadReport:
        """Fill a new store with `load`, switch to it, free the old one."""
        ...


class ServingPools:
    """The current pool, and how many queries run on each pool (the old ones too)."""

    def __init__(self) -> None:
        self._current: WorkerPool | None = None
        self._running: Counter[WorkerPool] = Counter()

    @property
    def current(self) -> WorkerPool | None:
        return self._current

    def running(self, pool: WorkerPool) -> int:
        """Queries in flight on `pool`."""
        return self._running[pool]

    async def run(self, request: QueryRequest, *, timeout: float) -> Outcome:
        pool = self._current  # read once: a switch while this query runs leaves it here
        if pool is None:
            raise StoreNotReadyError("the store is still loading; try again shortly")
        self._running[pool] += 1
        try:
            return await pool.run(request, timeout=timeout)
        finally:
            self._running[pool] -= 1
            if not self._running[pool]:
                del self._running[pool]

    async def switch(self, pool: WorkerPool) -> None:
        """Send new queries to `pool` (started), then close the previous one once its
        queries in flight have finished."""
        previous, self._current = self._current, pool
        if previous is not None and previous is not pool:
            while self._running[previous]:
                await asyncio.sleep(_DRAIN_POLL)
            await previous.close()

    async def close(self) -> None:
        """Close the current pool at once (shutdown: its queries end with the server)."""
        pool, self._current = self._current, None
        if pool is not None:
            await pool.close()
