"""The in-process lane: light queries on threads of the server process, no hop.

A query in a worker process costs two process hand-offs and a pickle each way; a
small lookup spends more time on that than in the engine. pyoxigraph releases the
GIL while it evaluates, so threads of the server process run queries in parallel
without copies of the store. But a thread cannot be stopped, so this lane takes only
what cannot run away:

- the query's shape must predict a light plan (`shape.QueryShape.light`: every pattern
  joined to a constant, no transitive paths, no sub-selects);
- a shape measured slower than `budget` seconds here goes to the workers from then on
  (the shape's constants do not matter: `shape.QueryShape.key`), so a hub constant costs
  at most one slow run per shape;
- at most `threads` queries run here at once; the next one goes to the workers,
  whose bounded queue, short-query lane and 503 handle overload as before.

A query here past its own time limit answers 504/503 like one in a worker; its
thread finishes the (bounded) work and is counted in `overran` and logged, so an
operator sees any shape the test let through wrongly.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import pyoxigraph as ox

from kompass_graph.errors import QueryTimeoutError
from kompass_graph.store.execution import Outcome, execute_query
from kompass_graph.store.interface import QueryRequest
from kompass_graph.store.shape import QueryShape

__all__ = ["InProcessLane", "LaneStats"]

logger = logging.getLogger(__name__)

#: decisions kept per shape; the oldest is dropped past it
_MAX_SHAPES = 4096
_V = TypeVar("_V")


@dataclass
class LaneStats:
    """Counters the metrics endpoint reads."""

    answered: int = 0  # queries answered on a thread of the server process
    demoted: int = 0  # shapes sent to the workers after one ran past the budget
    overran: int = 0  # queries that ran past their time limit on a thread


class InProcessLane:
    """Threads of the server process for queries of a light shape over `store`."""

    def __init__(
        self,
        store: ox.Store,
        *,
        threads: int,
        budget: float,
        prefixes: Sequence[tuple[str, str]] = (),
        stats: LaneStats | None = None,
    ) -> None:
        self._store = store
        self._threads = threads
        self._budget = budget
        self._prefixes = tuple(prefixes)
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="kompass-query")
        self._running = 0
        #: shape key -> True (light: this lane), False (the workers)
        self._shapes: dict[str, bool] = {}
        #: query text -> its shape key, for texts sent without parameters (blanking the
        #: constants costs more than the lookup it saves when the text repeats)
        self._keys: dict[str, str] = {}
        self.stats = stats or LaneStats()

    @property
    def running(self) -> int:
        return self._running

    def serve(self, store: ox.Store) -> None:
        """Answer new queries from `store` (a reload); queries in flight keep theirs."""
        self._store = store

    def takes(self, request: QueryRequest) -> str | None:
        """The shape key when this lane takes `request` now; None: the workers take it."""
        if self._running >= self._threads:
            return None
        bound = [name for name, _ in request.bindings]
        shape = QueryShape(request.query, bound)  # reads the tokens only if needed
        key = self._keys.get(request.query) if not bound else None
        if key is None:
            key = shape.key
            if not bound:
                _put(self._keys, request.query, key)
        light = self._shapes.get(key)
        if light is None:
            light = shape.light
            _put(self._shapes, key, light)
        return key if light else None

    async def run(self, request: QueryRequest, key: str, *, timeout: float) -> Outcome:
        """Run `request` (which `takes` accepted under `key`) on a thread."""
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        self._running += 1
        future = loop.run_in_executor(self._executor, self._execute, self._store, request)
        # on the loop thread, also when the client has stopped waiting: the thread's
        # work is what the budget measures
        future.add_done_callback(lambda _: self._finished(key, started, timeout, request))
        try:
            async with asyncio.timeout(timeout):
                outcome = await asyncio.shield(future)
        except TimeoutError:
            raise QueryTimeoutError(
                f"the query ran longer than {timeout:g} s and was stopped",
                hint="narrow it down (LIMIT, more specific patterns) or run it on your own copy",
            ) from None
        self.stats.answered += 1
        return outcome

    def _execute(self, store: ox.Store, request: QueryRequest) -> Outcome:
        return execute_query(store, request, prefixes=self._prefixes)

    def _finished(self, key: str, started: float, timeout: float, request: QueryRequest) -> None:
        self._running -= 1
        elapsed = time.perf_counter() - started
        if elapsed <= self._budget:
            return
        _put(self._shapes, key, False)
        self.stats.demoted += 1
        if elapsed > timeout:
            self.stats.overran += 1
            logger.warning(
                "a query of a light shape ran %.1f s on a thread, past its %g s limit; "
                "its shape goes to the worker processes from now on: %s",
                elapsed,
                timeout,
                request.query[:500],
            )

    def close(self) -> None:
        """Stop taking queries; threads still running finish their (bounded) work."""
        self._threads = 0
        self._executor.shutdown(wait=False, cancel_futures=True)


def _put(cache: dict[str, _V], key: str, value: _V) -> None:
    """Store in a bounded cache: when full it starts afresh (decisions are cheap to
    make again, and a steady workload refills it with what it uses)."""
    if len(cache) >= _MAX_SHAPES:
        cache.clear()
    cache[key] = value
