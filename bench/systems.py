"""The systems under test as processes: start, wait for the first answer, measure, stop.

Every server listens on 127.0.0.1 on a port the driver picked. Load time is what a user
waits for: from the first command until the first answered query (for Oxigraph server
that is `oxigraph load` plus `oxigraph serve-read-only` until it answers). Memory is
the resident set of the whole process tree (a server with worker processes pays for
all of them); PSS is given too, since forked workers share pages that RSS counts twice.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from bench.client import HttpEndpoint, wait_until_answering, wait_until_settled

__all__ = [
    "MemorySample",
    "MemoryWatch",
    "RunningServer",
    "ServerSpec",
    "free_port",
    "start_server",
    "tree_memory",
]

PROBE_QUERY = "ASK { ?s ?p ?o }"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class MemorySample:
    rss_mb: float
    pss_mb: float | None
    processes: int


def tree_memory(pid: int) -> MemorySample | None:
    """RSS (and PSS where readable) summed over a process and all its descendants."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return None
    rss = 0
    pss: int | None = 0
    for proc in procs:
        try:
            rss += proc.memory_info().rss
            if pss is not None:
                pss += proc.memory_full_info().pss
        except psutil.AccessDenied:
            pss = None
        except psutil.NoSuchProcess:
            continue
    return MemorySample(rss / 2**20, None if pss is None else pss / 2**20, processes=len(procs))


class MemoryWatch:
    """Samples a process tree's RSS and PSS in the background and keeps the peaks."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        self._pid = pid
        self._interval = interval
        self._stop = threading.Event()
        self.peak_rss_mb = 0.0
        self.peak_pss_mb: float | None = 0.0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            sample = tree_memory(self._pid)
            if sample is not None:
                self.peak_rss_mb = max(self.peak_rss_mb, sample.rss_mb)
                if sample.pss_mb is None or self.peak_pss_mb is None:
                    self.peak_pss_mb = None
                else:
                    self.peak_pss_mb = max(self.peak_pss_mb, sample.pss_mb)
            self._stop.wait(self._interval)


def tree_cpu_seconds(pid: int) -> float:
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = proc.cpu_times()
            total += times.user + times.system
    return total


@dataclass(frozen=True)
class ServerSpec:
    """How to start one HTTP system; `{file}`, `{port}` and `{store}` are filled in."""

    name: str
    argv: list[str]
    path: str
    #: commands run (and timed) before the server starts, such as `oxigraph load`
    prepare: list[list[str]] = field(default_factory=list)
    needs_store_dir: bool = False
    version: str = ""
    #: polled after the first answer until it stops answering 503 (our server's release
    #: build); None: the system is settled once it answers
    settled_path: str | None = None


@dataclass
class RunningServer:
    spec: ServerSpec
    process: subprocess.Popen[bytes]
    endpoint: HttpEndpoint
    prepare_seconds: float
    start_seconds: float
    log_path: Path
    store_dir: Path | None

    @property
    def load_seconds(self) -> float:
        return self.prepare_seconds + self.start_seconds

    def alive(self) -> bool:
        return self.process.poll() is None

    def memory(self) -> MemorySample | None:
        return tree_memory(self.process.pid)

    def wait_idle(self, *, max_seconds: float, busy_cpu_share: float = 0.05) -> bool:
        """Wait until the server tree stops burning CPU (work left from abandoned requests)."""
        deadline = time.perf_counter() + max_seconds
        while time.perf_counter() < deadline:
            before = tree_cpu_seconds(self.process.pid)
            time.sleep(0.5)
            if tree_cpu_seconds(self.process.pid) - before < busy_cpu_share * 0.5:
                return True
        return False

    def stop(self) -> None:
        _stop_tree(self.process)
        if self.store_dir is not None:
            shutil.rmtree(self.store_dir, ignore_errors=True)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _stop_tree(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's own process group (we started it with one), then SIGKILL."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


def _fill(argv: list[str], values: dict[str, str]) -> list[str]:
    return [arg.format(**values) for arg in argv]


class ServerStartError(RuntimeError):
    """A system did not come up: its command failed or it never answered."""


def start_server(
    spec: ServerSpec, *, data_file: Path, work_dir: Path, start_timeout: float
) -> RunningServer:
    port = free_port()
    store_dir = (
        Path(tempfile.mkdtemp(prefix=f"{spec.name}-", dir=work_dir))
        if (spec.needs_store_dir)
        else None
    )
    values = {"file": str(data_file), "port": str(port), "store": str(store_dir or "")}
    log_path = work_dir / f"{spec.name}.log"
    prepare_started = time.perf_counter()
    with log_path.open("wb") as log:
        for command in spec.prepare:
            finished = subprocess.run(
                _fill(command, values), stdout=log, stderr=subprocess.STDOUT, check=False
            )
            if finished.returncode != 0:
                raise ServerStartError(
                    f"{spec.name}: {' '.join(command)} exited {finished.returncode}, see {log_path}"
                )
    prepare_seconds = time.perf_counter() - prepare_started
    log = log_path.open("ab")
    started = time.perf_counter()
    process = subprocess.Popen(
        _fill(spec.argv, values),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so stopping it stops its workers
    )
    log.close()
    endpoint = HttpEndpoint(port=port, path=spec.path)
    answered = wait_until_answering(
        endpoint,
        query=PROBE_QUERY,
        deadline=started + start_timeout,
        alive=lambda: process.poll() is None,
    )
    server = RunningServer(spec, process, endpoint, prepare_seconds, 0.0, log_path, store_dir)
    if answered is None:
        tail = server.log_tail()
        server.stop()
        raise ServerStartError(
            f"{spec.name} did not answer {PROBE_QUERY!r} within {start_timeout:.0f} s "
            f"(exit code {process.poll()}); log tail:\n{tail}"
        )
    server.start_seconds = answered - started
    if spec.settled_path is not None:
        settled = wait_until_settled(
            port,
            spec.settled_path,
            deadline=answered + start_timeout,
            alive=lambda: process.poll() is None,
        )
        if settled is None:
            server.stop()
            raise ServerStartError(f"{spec.name} did not settle within {start_timeout:.0f} s")
    return server
