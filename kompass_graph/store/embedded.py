"""The embedded Oxigraph store: load files once, answer queries in killable workers.

In memory (default) the server process loads the files and forks workers that share
the store copy-on-write: analytic queries run about four times faster than on RocksDB (measured
at 1M triples: 0.34 s vs 1.4 s for a GROUP BY over all entities). With `path` the
store lives on disk (RocksDB) beside a manifest naming the loaded files' content
hash; a restart with the same files reuses it without reloading, and each worker
opens it read-only.

An in-memory store reloads without stopping (`reload`): the new release loads into a
store beside the old one, its workers start, new queries switch to it, and the old one
is closed once its queries in flight have finished (`serving.py`).
"""

from __future__ import annotations

import asyncio
import copy
import gc
import hashlib
import logging
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from kompass_graph.errors import (
    ConfigurationError,
    KompassError,
    OverloadedError,
    ParseError,
    ReloadRefusedError,
    StoreNotReadyError,
)
from kompass_graph.parse import check_syntax, oxigraph_format, parse_error
from kompass_graph.store.answer_cache import AnswerCache, AnswerCacheStats
from kompass_graph.store.execution import Outcome, execute_query
from kompass_graph.store.guard import DEFAULT_MAX_NESTING, check_query
from kompass_graph.store.inprocess import InProcessLane, LaneStats
from kompass_graph.store.interface import (
    GraphStore,
    LoadReport,
    NoFormatForAnswerError,
    ProgressCallback,
    QueryAnswer,
    QueryRequest,
)
from kompass_graph.store.loading import (
    DATABASE,
    MANIFEST,
    ProgressReader,
    content_hash,
    reuse_manifest,
    write_manifest,
)
from kompass_graph.store.materialise import materialise_entailments
from kompass_graph.store.rebase import Rebase
from kompass_graph.store.serving import ServingPools
from kompass_graph.store.workers import PoolStats, WorkerPool

__all__ = ["EmbeddedStore", "content_hash"]

logger = logging.getLogger(__name__)

_STAGING = "oxigraph.loading"


class EmbeddedStore:
    """pyoxigraph behind the `GraphStore` protocol; the only code that runs queries."""

    def __init__(
        self,
        *,
        path: Path | None = None,
        service_allow_list: Sequence[str] = (),
        warm_workers: int = 2,
        max_workers: int = 4,
        max_queued: int = 32,
        rebase: Rebase | None = None,
        max_nesting: int = DEFAULT_MAX_NESTING,
        memory_budget: int | None = None,
        short_budget: float | None = None,
        recycle_growth: int | None = None,
        prefixes: Mapping[str, str] | None = None,
        entailment_base: str | None = None,
        query_threads: int = 0,
        thread_budget: float = 0.5,
        answer_cache_bytes: int = 0,
    ) -> None:
        self._path = path
        #: materialise the ontology's entailments under this base IRI; None: do not
        self._entailment_base = entailment_base
        self._rebase = rebase if rebase is not None and not rebase.is_identity else None
        self._allow = frozenset(service_allow_list)
        self._max_nesting = max_nesting
        self._memory_budget = memory_budget
        self._short_budget = short_budget
        self._recycle_growth = recycle_growth
        #: (prefix, namespace) pairs Turtle, TriG and RDF/XML answers may use
        self._prefixes = tuple((prefixes or {}).items())
        self._warm = warm_workers
        self._max = max_workers
        self._max_queued = max_queued
        self._memory: ox.Store | None = None
        self._pools = ServingPools()
        self._report: LoadReport | None = None
        self._stats = PoolStats()  # outlives pools, so counts survive restarts
        self._threads, self._thread_budget = query_threads, thread_budget
        self._lane: InProcessLane | None = None  # light queries on threads (inprocess.py)
        self.lane_stats = LaneStats()
        self.answer_cache_stats = AnswerCacheStats()
        self._answers = AnswerCache(answer_cache_bytes, self.answer_cache_stats)
        self._reloading = False

    # ---- loading -------------------------------------------------------------------

    @property
    def load_report(self) -> LoadReport | None:
        return self._report

    @property
    def is_ready(self) -> bool:
        return self._report is not None and self._pools.current is not None

    @property
    def pool_stats(self) -> PoolStats:
        return self._stats

    @property
    def busy_workers(self) -> int:
        pool = self._pools.current
        return pool.busy if pool else 0

    def load(
        self, files: Sequence[Path], *, progress: ProgressCallback | None = None
    ) -> LoadReport:
        """Load `files` (TriG/N-Quads keep their named graphs); reuse an on-disk store
        that already holds exactly these files."""
        started = time.perf_counter()
        files = list(files)
        digest, stored_key = self._keys(files)
        if self._path is not None:
            reused = reuse_manifest(self._path, stored_key, digest)
            if reused is not None:
                self._report = reused
                return reused
        store = self._open_for_writing()
        try:
            for path in files:
                self._load_file(store, path, progress, self._rebase)
            if self._entailment_base is not None:
                added = materialise_entailments(store, base_iri=self._entailment_base)
                logger.info("added %d statements the ontology entails", added)
        except BaseException:
            del store
            self._discard_staging()
            raise
        triples = len(store)
        if self._path is None:
            self._memory = store
        else:
            store.flush()
            store.optimize()
            del store  # workers open it read-only; no writer may stay open beside them
            self._publish_staging(files, stored_key, triples)
        self._report = LoadReport(files, triples, time.perf_counter() - started, digest)
        return self._report

    def _keys(self, files: list[Path]) -> tuple[str, str]:
        """(the release's content hash, the key of what an on-disk store holds)."""
        digest = content_hash(files)
        if self._rebase is not None:  # the same files under another base are other data
            digest = hashlib.sha256(f"{digest}\0{self._rebase.new}".encode()).hexdigest()
        # the release is the files; an on-disk store with entailments holds more than them
        if self._entailment_base is None:
            return digest, digest
        return digest, hashlib.sha256(f"{digest}\0entailed".encode()).hexdigest()

    def open_loaded(self, files: Sequence[Path]) -> LoadReport:
        """Serve the on-disk store another process loaded with exactly `files` (the
        server's processes under --workers); never writes it, as others read it."""
        digest, stored_key = self._keys(list(files))
        reused = reuse_manifest(self._path, stored_key, digest) if self._path is not None else None
        if reused is None:
            raise ConfigurationError(
                f"the store at {self._path} does not hold the files the settings select",
                hint="they changed after the server started; restart it to serve them",
            )
        self._report = reused
        return reused

    def _open_for_writing(self) -> ox.Store:
        """A fresh store to load into: in memory, or on disk in a staging folder, so a
        file that fails to load never destroys the store a previous start published."""
        if self._path is None:
            return ox.Store()
        database = self._path / DATABASE
        if database.exists() and not (self._path / MANIFEST).is_file():
            raise ConfigurationError(
                f"{database} exists but was not written by kompass-graph",
                hint="point --store at an empty folder or one kompass-graph created",
            )
        self._path.mkdir(parents=True, exist_ok=True)
        self._discard_staging()
        return ox.Store(str(self._path / _STAGING))

    def _discard_staging(self) -> None:
        if self._path is not None:
            shutil.rmtree(self._path / _STAGING, ignore_errors=True)

    def _publish_staging(self, files: list[Path], digest: str, triples: int) -> None:
        """Swap the fully loaded staging store in, then record what it holds."""
        assert self._path is not None
        database = self._path / DATABASE
        (self._path / MANIFEST).unlink(missing_ok=True)
        shutil.rmtree(database, ignore_errors=True)
        (self._path / _STAGING).rename(database)
        write_manifest(self._path, files, digest, triples)

    @staticmethod
    def _load_file(
        store: ox.Store, path: Path, progress: ProgressCallback | None, rebase: Rebase | None
    ) -> None:
        fmt = oxigraph_format(path)
        if fmt == ox.RdfFormat.RDF_XML:
            check_syntax(path)  # refuses DOCTYPE/ENTITY: Oxigraph would expand entities
        base_iri = path.resolve().as_uri()
        try:
            with path.open("rb") as stream:
                reader = cast(IO[bytes], ProgressReader(stream, path, progress))
                if rebase is None:
                    store.bulk_load(input=reader, format=fmt, base_iri=base_iri)
                else:
                    parsed = ox.parse(input=reader, format=fmt, base_iri=base_iri)
                    store.bulk_extend(rebase.quads(parsed))
        except SyntaxError as error:
            raise parse_error(error, path) from None
        except (ValueError, OSError) as error:
            raise ParseError(str(error), file=str(path)) from None

    def _open_for_queries(self) -> ox.Store:
        if self._memory is not None:
            return self._memory  # inherited by fork, shared copy-on-write
        assert self._path is not None
        return ox.Store.read_only(str(self._path / DATABASE))

    def dump(self, format_name: str = "nquads") -> bytes:
        """The whole dataset serialised (N-Quads or TriG keep the named graphs)."""
        from kompass_graph.store.answers import GRAPH_FORMATS

        store = self._memory
        if store is None:
            if self._path is None or self._report is None:
                raise StoreNotReadyError("nothing is loaded yet")
            store = ox.Store.read_only(str(self._path / DATABASE))
        return store.dump(format=GRAPH_FORMATS[format_name]) or b""

    # ---- serving -------------------------------------------------------------------

    def _new_pool(self) -> WorkerPool:
        memory = self._memory
        # bound to this very store: a pool still finishing queries after a reload must
        # not fork replacements holding the new release
        opener = self._open_for_queries if memory is None else lambda: memory
        return WorkerPool(
            opener,
            warm=self._warm,
            limit=self._max,
            max_queued=self._max_queued,
            stats=self._stats,
            # workers have no network, unless an operator allowed SERVICE endpoints
            isolate=not self._allow,
            memory_budget=self._memory_budget,
            short_budget=self._short_budget,
            recycle_growth=self._recycle_growth,
            prefixes=self._prefixes,
        )

    async def start(self) -> None:
        if self._report is None:
            raise StoreNotReadyError("load files before starting the store")
        if self._pools.current is None:
            pool = self._new_pool()
            await pool.start()
            await self._pools.switch(pool)
        if self._threads and self._lane is None:
            self._lane = InProcessLane(
                self._open_for_queries(),
                threads=self._threads,
                budget=self._thread_budget,
                prefixes=self._prefixes,
                stats=self.lane_stats,
            )

    async def close(self) -> None:
        if self._lane is not None:
            self._lane.close()
            self._lane = None
        await self._pools.close()

    async def ping(self) -> bool:
        """Ready is all there is to know: the store is in this process's hands."""
        return self.is_ready

    async def execute(self, request: QueryRequest, *, timeout: float) -> QueryAnswer:
        if self._pools.current is None or self._report is None:
            raise StoreNotReadyError("the store is still loading; try again shortly")
        release = self._report.content_hash
        cached = self._answers.get(release, request)  # answer_cache.py
        if cached is not None:
            return cached
        # before any worker sees it: Oxigraph would call a SERVICE endpoint over HTTP
        check_query(request.query, service_allow_list=self._allow, max_nesting=self._max_nesting)
        lane = self._lane
        key = lane.takes(request) if lane is not None else None
        if lane is not None and key is not None:
            answer = _answer(await lane.run(request, key, timeout=timeout), request)
        else:
            answer = _answer(await self._pools.run(request, timeout=timeout), request)
        if self._report.content_hash == release:  # not a release a reload replaced
            self._answers.put(release, request, answer)
        return answer

    # ---- reloading -----------------------------------------------------------------

    @property
    def can_reload(self) -> bool:
        """In memory only: an on-disk store's folder is open in its workers, so the next
        release cannot be written in its place while they run (restart instead)."""
        return self._path is None

    def _sibling(self) -> EmbeddedStore:
        """An empty store configured like this one (its pool counters shared)."""
        sibling = copy.copy(self)
        sibling._memory, sibling._report, sibling._pools = None, None, ServingPools()
        sibling._lane = None
        return sibling

    async def reload(self, load: Callable[[GraphStore], LoadReport]) -> LoadReport:
        """Switch to a new release while serving: `load` fills an empty store configured
        like this one (checking the files first; a KompassError refuses the release),
        the new store's workers start, new queries go to it at once, queries in flight
        finish on the old one, which is then freed. On any error the old release keeps
        serving. Returns the new release's report."""
        if not self.can_reload:
            raise ReloadRefusedError(
                f"the on-disk store at {self._path} cannot be reloaded while it serves",
                hint="restart the server to serve the new files",
            )
        if self._reloading:
            raise OverloadedError("a reload is already running; try again shortly")
        self._reloading = True
        try:
            fresh = self._sibling()
            try:
                report = await asyncio.to_thread(load, fresh)
            except KompassError as error:
                raise ReloadRefusedError(
                    f"the new release was refused, the old one keeps serving: {error}"
                ) from error
            pool = fresh._new_pool()
            await pool.start()
            self._memory, self._report = fresh._memory, report
            self._answers.clear()
            if self._lane is not None:
                self._lane.serve(self._open_for_queries())  # queries on threads keep the old one
            await self._pools.switch(pool)  # returns once the old pool is closed
            del fresh, pool
            # the workers just started were forked while the old store was alive and
            # still map its pages: fresh ones, forked now, let that memory go
            gc.collect()
            renewed = self._new_pool()
            await renewed.start()
            await self._pools.switch(renewed)
            return report
        finally:
            self._reloading = False

    def run(self, request: QueryRequest) -> QueryAnswer:
        """Run one query in this process, with no workers and no timeout: the CLI's way
        to the very execution the server's workers do (same answers, same errors)."""
        if self._report is None:
            raise StoreNotReadyError("load files before running a query")
        check_query(request.query, service_allow_list=self._allow, max_nesting=self._max_nesting)
        outcome = execute_query(self._open_for_queries(), request, prefixes=self._prefixes)
        return _answer(outcome, request)


def _answer(outcome: Outcome, request: QueryRequest) -> QueryAnswer:
    """The answer of an outcome, or the error a client caused, raised."""
    if outcome.error is not None:
        raise outcome.error.to_error(request.source)
    if outcome.not_acceptable is not None:
        raise NoFormatForAnswerError(outcome.not_acceptable)
    assert outcome.answer is not None
    return outcome.answer
