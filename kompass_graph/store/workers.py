"""Worker processes that run queries and can be stopped: the timeout's teeth.

This is the server side, the pool; the child side is `worker_child.py`.
A query that runs too long is ended by killing its process (SIGKILL), which frees its
core and memory at once; a thread could only be abandoned. Workers are forked from
the server process after the store is loaded, so an in-memory store is shared
copy-on-write and a fork costs milliseconds; an on-disk store is opened read-only
in each worker. Each worker talks to the server over its own socket pair with
length-prefixed pickle frames, and the event loop awaits them without blocking.

The pool keeps `warm` workers ready and grows on demand up to `limit`. While all of
them are busy, one more worker, the short-query lane, takes the next query for at most
`short_budget` seconds: small queries keep answering while heavy ones fill the pool,
and a query that outlives the lane's budget is stopped (503, Retry-After). Beyond that
up to `max_queued` queries wait for the next free worker, within their own time limit
(the wait counts against it); past that bound a query is refused at once (503,
Retry-After) rather than queued without bound. A worker whose private memory grew by
more than `recycle_growth` bytes is replaced rather than kept idle.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pickle
import signal
import socket
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kompass_graph.errors import (
    KompassError,
    OverloadedError,
    QueryTimeoutError,
    QueryWorkerLostError,
)
from kompass_graph.store.execution import Outcome
from kompass_graph.store.interface import QueryRequest
from kompass_graph.store.worker_child import ISOLATED, READY, worker_main
from kompass_graph.store.worker_handle import RECYCLE_EVERY, WorkerHandle, private_bytes

__all__ = ["PoolStats", "WorkerPool"]

logger = logging.getLogger(__name__)

_START_TIMEOUT = 60.0


@dataclass
class PoolStats:
    """Counters the metrics endpoint reads."""

    spawned: int = 0
    killed_on_timeout: int = 0
    crashed: int = 0
    rejected_overload: int = 0


# ---- the server side ---------------------------------------------------------------


class WorkerPool:
    """Forked query workers: `warm` kept ready, at most `limit` at once, and at most
    `max_queued` queries waiting for one."""

    def __init__(
        self,
        open_store: Callable[[], ox.Store],
        *,
        warm: int,
        limit: int,
        max_queued: int = 0,
        retry_after: int = 1,
        stats: PoolStats | None = None,
        isolate: bool = True,
        memory_budget: int | None = None,
        short_budget: float | None = None,
        recycle_growth: int | None = None,
        prefixes: Sequence[tuple[str, str]] = (),
    ) -> None:
        """`isolate`: workers leave the network (off when SERVICE calls are allowed);
        `memory_budget`: bytes a worker may grow by while running queries."""
        self._open_store = open_store
        self._isolate = isolate
        self._memory_budget = memory_budget
        self._short_budget = short_budget
        self._recycle_growth = recycle_growth
        self._prefixes = tuple(prefixes)
        self._lane: WorkerHandle | None = None
        self._lane_busy = False
        self._warm = max(1, min(warm, limit))
        self._limit = max(1, limit)
        self._max_queued = max(0, max_queued)
        self._retry_after = retry_after
        self._idle: list[WorkerHandle] = []
        # queries waiting for a worker, first come first served; a freed worker goes
        # straight to the first of them instead of back to the idle list
        self._waiting: deque[asyncio.Future[WorkerHandle]] = deque()
        self._all: set[WorkerHandle] = set()  # idle and busy, so close() can end every one
        self._size = 0  # idle + busy + being started
        self._closed = False
        self._warned_network = False
        self._background: set[asyncio.Task[None]] = set()
        self._unreaped: set[int] = set()  # killed, exit status not yet collected
        self.stats = stats or PoolStats()

    @property
    def busy(self) -> int:
        return self._size - len(self._idle)

    @property
    def queued(self) -> int:
        """Queries waiting for a free worker."""
        return len(self._waiting)

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers (for metrics and tests)."""
        return sorted(w.pid for w in self._all)

    async def start(self) -> None:
        workers = await asyncio.gather(*(self._spawn() for _ in range(self._warm)))
        self._idle.extend(workers)

    async def _spawn(self) -> WorkerHandle:
        self._size += 1
        try:
            return await self._fork()
        except BaseException:
            self._size -= 1
            raise

    async def _fork(self) -> WorkerHandle:
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, which never returns
            ours.close()
            worker_main(
                theirs,
                self._open_store,
                isolate=self._isolate,
                memory_budget=self._memory_budget,
                prefixes=self._prefixes,
            )
        theirs.close()
        self.stats.spawned += 1
        try:
            reader, writer = await asyncio.open_unix_connection(sock=ours)
        except BaseException:
            ours.close()
            self._kill_pid(pid)
            raise
        worker = WorkerHandle(pid, reader, writer)
        try:
            ready = await asyncio.wait_for(worker.receive(), _START_TIMEOUT)
        except (asyncio.IncompleteReadError, TimeoutError, ConnectionError) as error:
            self._kill(worker)
            raise KompassError(f"a query worker failed to start: {error!r}") from None
        except BaseException:  # cancelled while starting: no process may be left behind
            self._kill(worker)
            raise
        if ready not in (READY, READY + ISOLATED):
            self._kill(worker)
            raise KompassError("a query worker sent an unexpected greeting")
        if ready == READY and self._isolate and not self._warned_network:
            self._warned_network = True
            logger.warning(
                "query workers can open network connections on this platform (no network "
                "namespace); SERVICE is refused by the query guard alone"
            )
        worker.baseline = private_bytes(pid)
        self._all.add(worker)
        return worker

    def _idle_worker(self) -> WorkerHandle | None:
        """A ready worker, if one is idle; drops the ones that died while idle."""
        while self._idle:
            worker = self._idle.pop()
            if not worker.reader.at_eof():
                return worker
            # it died while idle (killed from outside, out of memory): drop it, try the next
            self.stats.crashed += 1
            self._kill(worker)
            self._size -= 1
        return None

    def _overloaded(self, message: str) -> OverloadedError:
        self.stats.rejected_overload += 1
        return OverloadedError(message, retry_after_seconds=self._retry_after)

    async def _acquire(self, deadline: float) -> WorkerHandle:
        """An idle worker, a new one while below `limit`, or the next one freed (waiting
        in the bounded queue until `deadline`)."""
        if self._closed:
            raise KompassError("the server is shutting down")
        worker = self._idle_worker()  # the common case: no task, no timer
        if worker is not None:
            return worker
        try:
            async with asyncio.timeout_at(deadline):
                if self._size < self._limit:
                    return await self._spawn()
                return await self._wait_for_worker()
        except TimeoutError:
            raise self._overloaded(
                f"no query slot came free within the query's time limit "
                f"(all {self._limit} are busy); try again shortly"
            ) from None

    async def _wait_for_worker(self) -> WorkerHandle:
        if len(self._waiting) >= self._max_queued:
            raise self._overloaded(
                f"all {self._limit} query slots are busy and {len(self._waiting)} queries "
                "wait for one; try again shortly"
            )
        waiter: asyncio.Future[WorkerHandle] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            return await waiter
        except BaseException:
            # timed out or cancelled: leave the queue; a worker handed over meanwhile
            # goes to the next in line
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._release(waiter.result())
            else:
                with contextlib.suppress(ValueError):
                    self._waiting.remove(waiter)
            raise

    def _release(self, worker: WorkerHandle) -> None:
        """A worker ready for the next query: to the first one waiting, else idle; one
        that grew too large is replaced instead (checked every few queries)."""
        if (
            self._recycle_growth is not None
            and worker.queries > 0
            and worker.queries % RECYCLE_EVERY == 0
            and private_bytes(worker.pid) - worker.baseline > self._recycle_growth
        ):
            self._retire(worker)
            return
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    async def run(self, request: QueryRequest, *, timeout: float) -> Outcome:
        """Run one query in a worker; a query past `timeout` seconds is killed with it.
        Time spent waiting for a worker counts against `timeout`."""
        now = asyncio.get_running_loop().time()
        deadline = now + timeout
        in_lane = self._lane_takes_it()
        if in_lane:
            worker = await self._lane_worker(deadline)
            deadline = min(deadline, now + (self._short_budget or timeout))
        else:
            worker = await self._acquire(deadline)
        payload = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            async with asyncio.timeout_at(deadline):
                await worker.send(payload)
                reply = await worker.receive()
        except TimeoutError:
            self.stats.killed_on_timeout += 1
            self._retire(worker)
            if in_lane and now + timeout > deadline:
                raise self._overloaded(
                    f"all {self._limit} query slots are busy with long queries, and this one "
                    f"did not finish within the {self._short_budget:g} s of the short-query "
                    "lane; try again shortly"
                ) from None
            raise QueryTimeoutError(
                f"the query ran longer than {timeout:g} s and was stopped",
                hint="narrow it down (LIMIT, more specific patterns) or run it on your own copy",
            ) from None
        except (asyncio.IncompleteReadError, ConnectionError):
            self.stats.crashed += 1
            self._retire(worker)
            budget = (
                f"more than its memory budget of {self._memory_budget >> 20} MiB, "
                if self._memory_budget
                else ""
            )
            raise QueryWorkerLostError(
                f"the query ended the process running it (it needed {budget}or the process "
                "was killed); a new one has taken its place",
                retry_after_seconds=self._retry_after,
            ) from None
        except BaseException:
            # cancelled (client went away) mid-query: the worker is busy, so end it
            self._retire(worker)
            raise
        worker.queries += 1
        if worker is self._lane:
            self._lane_busy = False
        else:
            self._release(worker)
        outcome: Outcome = pickle.loads(reply)
        return outcome

    def _lane_takes_it(self) -> bool:
        """True when every regular slot is busy and the short-query lane is free."""
        return (
            self._short_budget is not None
            and not self._idle
            and self._size >= self._limit
            and not self._lane_busy
            and not self._closed
        )

    async def _lane_worker(self, deadline: float) -> WorkerHandle:
        self._lane_busy = True
        try:
            if self._lane is None or self._lane.reader.at_eof():
                async with asyncio.timeout_at(deadline):
                    self._lane = await self._fork()
        except BaseException:
            self._lane_busy = False
            raise
        return self._lane

    def _kill(self, worker: WorkerHandle) -> None:
        self._all.discard(worker)
        worker.writer.close()
        self._kill_pid(worker.pid)

    def _kill_pid(self, pid: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        self._unreaped.add(pid)
        self._reap()

    def _reap(self) -> None:
        """Collect exit statuses without blocking the loop (SIGKILL is quick, not instant)."""
        for pid in list(self._unreaped):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid  # not ours to collect (or already collected)
            if done:
                self._unreaped.discard(pid)
        if self._unreaped and not self._closed:
            with contextlib.suppress(RuntimeError):
                asyncio.get_running_loop().call_later(0.05, self._reap)

    def _retire(self, worker: WorkerHandle) -> None:
        """Kill a worker that cannot be reused and start a replacement to stay warm."""
        if worker not in self._all:
            return  # close() ended it already
        self._kill(worker)
        if worker is self._lane:  # the lane starts a new one when next needed
            self._lane, self._lane_busy = None, False
            return
        self._size -= 1
        # a replacement keeps the pool warm, and serves whoever waits for a worker
        if not self._closed and (self._size < self._warm or self._waiting):
            task = asyncio.get_running_loop().create_task(self._replace())
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    async def _replace(self) -> None:
        try:
            worker = await self._spawn()
        except KompassError as error:
            logger.error("could not replace a query worker: %s", error)
            return
        if self._closed:
            self._kill(worker)
            self._size -= 1
        else:
            self._release(worker)

    async def close(self) -> None:
        self._closed = True
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_exception(KompassError("the server is shutting down"))
        starting = list(self._background)
        for task in starting:
            task.cancel()
        # a worker being started cleans up after itself once its task sees the cancel
        await asyncio.gather(*starting, return_exceptions=True)
        self._idle = []
        for worker in list(self._all):  # busy ones too: their queries end with the server
            self._kill(worker)
        self._size = 0
        for _ in range(100):  # leave no zombie behind: wait up to 2 s for the exits
            self._reap()
            if not self._unreaped:
                break
            await asyncio.sleep(0.02)
