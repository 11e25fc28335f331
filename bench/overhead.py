"""What our HTTP layer adds to a query: our server against in-process pyoxigraph.

A small, self-contained check for performance work on `kompass_graph.web` and
`kompass_graph.store` (the full comparison with peers is `bench.run`). It starts
`kompass-graph serve --only-data FILE` on 127.0.0.1, loads the same file into
pyoxigraph in this process, and sends the lookup queries of the mix to both,
interleaved request by request so that noise from other work on the machine hits
both alike. It prints per query the median latency at concurrency 1 of each and their
difference (`ours - inprocess`; the issue's target: at most +0.5 ms), the CPU time the
server and its workers spent per request (steadier than latency on a busy machine),
then throughput at concurrency 8. With `--baseline DIR` a second server runs the
code in DIR (say, the last commit) in the same run, for before/after comparisons.

    python -m bench.overhead [--data bench/data/kg-100k.nt] [--requests 300]
    git archive HEAD kompass_graph | tar -x -C /tmp/before
    python -m bench.overhead --baseline /tmp/before

The HTTP client is the benchmark's own (`bench.client`: one keep-alive connection per
thread, raw HTTP/1.1), so figures compare with `bench.run`'s. Loops are bounded by
count and time; traffic stays on loopback.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from bench.client import (
    RELEASE_PATH,
    HttpEndpoint,
    http_caller_factory,
    wait_until_answering,
    wait_until_settled,
)
from bench.measure import (
    Caller,
    CallerFactory,
    Outcome,
    QueryRequest,
    measure_throughput,
    percentile,
)
from bench.querymix import draw_requests, load_param_space, load_templates

__all__ = ["main"]

#: the issue's lookup queries (point lookup, participants, CONSTRUCT neighbourhood, ASK)
LOOKUPS = ("project-lookup", "project-participants", "project-neighbourhood", "ask-role")
DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "kg-100k.nt"
_START_TIMEOUT = 300.0


def _inprocess_factory(store: pyoxigraph.Store) -> CallerFactory:
    """The floor, as in `bench.inprocess` (which needs psutil, not in the project's venv):
    evaluate and serialise as an HTTP client would receive it."""

    def make() -> Caller:
        def call(request: QueryRequest) -> Outcome:
            started = time.perf_counter()
            result = store.query(request.text)
            if isinstance(result, pyoxigraph.QueryTriples):
                body = result.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
            else:
                body = result.serialize(format=pyoxigraph.QueryResultsFormat.JSON) or b""
            return Outcome("ok", time.perf_counter() - started, len(body))

        return call

    return make


def _cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU time (user + system) of process `pid` and of its children: server and workers.
    Unlike latency it hardly moves with other load on the machine."""
    ticks = os.sysconf("SC_CLK_TCK")

    def own(process: int) -> float:
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / ticks

    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children.extend(int(c) for c in (task / "children").read_text().split())
    return own(pid), sum(own(child) for child in children)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _ensure_data(path: Path) -> Path:
    """The data file, generated at 100k triples when it does not exist yet."""
    if not path.is_file():
        subprocess.run(
            [sys.executable, "-m", "bench.generate", "--triples", "100k", "--out", str(path)],
            check=True,
        )
    return path


@dataclass
class _Server:
    """One running server under test: its HTTP endpoint and process id."""

    label: str
    endpoint: HttpEndpoint
    pid: int


@contextmanager
def _our_server(
    label: str, data: Path, extra: list[str], log: Path, code: Path | None
) -> Iterator[_Server]:
    """`kompass-graph serve` on a free loopback port; with `code`, that folder's
    `kompass_graph` (e.g. an archive of the last commit) instead of the installed one."""
    port = _free_port()
    package = (code or Path(__file__).resolve().parent.parent) / "kompass_graph"
    # older code (a baseline) is `kompass_graph.cli`; today's is `python -m kompass_graph`
    module = "kompass_graph" if (package / "__main__.py").exists() else "kompass_graph.cli"
    command = [
        sys.executable,
        "-m",
        module,
        "serve",
        "--only-data",
        str(data.resolve()),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *extra,
    ]
    env = dict(os.environ)
    # the generated data is checked by tests/bench; here only serving is measured (an
    # environment variable, which code from before the setting existed ignores)
    env["KOMPASS_VALIDATE_DATA"] = "false"
    if code is not None:
        env["PYTHONPATH"] = str(code.resolve())
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command,
            stdout=sink,
            stderr=sink,
            env=env,
            cwd=code.resolve() if code is not None else None,
            start_new_session=True,
        )
    endpoint = HttpEndpoint(port)
    try:
        answered = wait_until_answering(
            endpoint,
            query="ASK { ?s ?p ?o }",
            deadline=time.perf_counter() + _START_TIMEOUT,
            alive=lambda: process.poll() is None,
        )
        if answered is None:
            raise SystemExit(f"{label}: the server did not answer; see {log}")
        settled = wait_until_settled(
            port,
            RELEASE_PATH,
            deadline=answered + _START_TIMEOUT,
            alive=lambda: process.poll() is None,
        )
        if settled is None:
            raise SystemExit(f"{label}: the server did not build its release; see {log}")
        yield _Server(label, endpoint, process.pid)
    finally:
        # our own process group (start_new_session): the server and its workers
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _interleaved_latency(
    callers: list[Caller], requests: list[QueryRequest], warmup: int
) -> list[list[float]]:
    """Latencies per caller, each request sent to every caller in turn (same requests,
    same order), so that a burst of outside load hits all of them alike."""
    for request in requests[:warmup]:
        for call in callers:
            call(request)
    seconds: list[list[float]] = [[] for _ in callers]
    for turn, request in enumerate(requests[warmup:]):
        # who goes first rotates: the first after a pause may find colder caches
        for offset in range(len(callers)):
            index = (turn + offset) % len(callers)
            outcome = callers[index](request)
            if outcome.status != "ok":
                raise SystemExit(f"{request.name} failed: {outcome.detail}")
            seconds[index].append(outcome.seconds)
    return seconds


def _throughput(factory: CallerFactory, requests: list[QueryRequest], seconds: float) -> float:
    result = measure_throughput(
        factory, requests, concurrency=8, seconds=seconds, max_requests=100_000
    )
    if result.errors or result.timeouts:
        print(f"  ! {result.errors} errors, {result.timeouts} timeouts: {result.first_error}")
    return result.completed / result.elapsed if result.elapsed else 0.0


def _ms(seconds: float | None) -> float:
    return (seconds or 0.0) * 1000.0


def _measure(args: argparse.Namespace, store: pyoxigraph.Store, servers: list[_Server]) -> None:
    space = load_param_space(args.data.with_suffix(".params.json"))
    templates = [t for t in load_templates() if t.name in LOOKUPS]
    drawn = draw_requests(templates, space, seed=args.seed, per_query=args.requests)
    factories = [http_caller_factory(s.endpoint, timeout=30.0) for s in servers]
    callers = [_inprocess_factory(store)(), *(factory() for factory in factories)]
    labels = [s.label for s in servers]
    print(f"p50 latency at c1, ms ({args.requests - args.warmup} requests per query)")
    print(f"{'query':22} {'inproc':>7}" + "".join(f" {x:>9} {'-inproc':>8}" for x in labels))
    differences: list[list[float]] = [[] for _ in servers]
    cpu_before = [_cpu_seconds(s.pid) for s in servers]
    for name in LOOKUPS:
        latencies = _interleaved_latency(callers, drawn[name], args.warmup)
        floor, *medians = (_ms(percentile(values, 50)) for values in latencies)
        line = f"{name:22} {floor:7.3f}"
        for index, median in enumerate(medians):
            differences[index].append(median - floor)
            line += f" {median:9.3f} {median - floor:+8.3f}"
        print(line)
    print(f"{'mean':22} {'':7}" + "".join(f" {'':9} {sum(d) / len(d):+8.3f}" for d in differences))
    sent = len(LOOKUPS) * args.requests
    for server, before in zip(servers, cpu_before, strict=True):
        after = _cpu_seconds(server.pid)
        print(
            f"{server.label}: CPU per request at c1: server process "
            f"{(after[0] - before[0]) / sent * 1000:.3f} ms, "
            f"workers {(after[1] - before[1]) / sent * 1000:.3f} ms"
        )
    mixed = [r for name in LOOKUPS for r in drawn[name]]
    floor_rps = _throughput(_inprocess_factory(store), mixed, args.seconds)
    line = f"c8 lookups/s: inproc {floor_rps:.0f}"
    for server, factory in zip(servers, factories, strict=True):
        rps = _throughput(factory, mixed, args.seconds)
        line += f"; {server.label} {rps:.0f} ({rps / floor_rps:.2f}x inproc)"
    print(line)


def run(args: argparse.Namespace) -> None:
    data = _ensure_data(args.data)
    store = pyoxigraph.Store()
    store.bulk_load(path=str(data))
    print(f"data: {data} ({len(store)} triples)")
    with ExitStack() as stack:
        servers = [stack.enter_context(_our_server("ours", data, args.server_arg, args.log, None))]
        if args.baseline is not None:
            log = args.log.with_name(args.log.stem + "-baseline.log")
            servers.append(
                stack.enter_context(
                    _our_server("baseline", data, args.server_arg, log, args.baseline)
                )
            )
        _measure(args, store, servers)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="N-Triples file")
    parser.add_argument("--requests", type=int, default=300, help="per query, at c1")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=4.0, help="throughput phase length")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--log", type=Path, default=Path("/tmp/kompass-overhead-server.log"))
    parser.add_argument(
        "--baseline",
        type=Path,
        help="also serve from the kompass_graph package in this folder (e.g. "
        "`git archive HEAD kompass_graph | tar -x -C DIR`), measured in the same run",
    )
    parser.add_argument(
        "--server-arg",
        action="append",
        default=[],
        help="extra argument for `kompass-graph serve` (repeatable; --server-arg=--flag=value)",
    )
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
