"""Scaling (issue 11): one server process against two, embedded store against Oxigraph server.

One run, one configuration after the other, on the same file and the same seeded
requests (the bench mix of `bench/queries/*.rq`, all templates interleaved, and its
lookup queries alone):

    embedded         `kompass-graph serve --only-data FILE --no-validate-data
                     --no-entail-standard-types` (1 process, in-memory store)
    embedded-disk    the same with `--store DIR` (1 process, on-disk store): what
                     `--workers 2` changes besides the number of processes
    workers-2        the same as embedded with `--workers 2` (on-disk store shared read-only)
    remote-oxigraph  `kompass-graph serve --store-url .../query` over `oxigraph serve`
    oxigraph         `oxigraph serve` itself, sent the same requests: the peer

For each: latency at concurrency 1 (median, p95) and throughput at concurrency 8 (with
its median and p95), then RSS and PSS of each process tree from /proc/<pid>/smaps_rollup
(this runs in the project's venv, which has no psutil).

    .venv/bin/python -m bench.scaling --data /tmp/kg-100k.nt [--seconds 10]

Every process started here has its own process group and is stopped on the way out,
errors included; the run ends by checking that none of its ports still listens.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.client import (
    RELEASE_PATH,
    HttpEndpoint,
    fetch_answer,
    http_caller_factory,
    wait_until_answering,
    wait_until_settled,
)
from bench.measure import (
    Caller,
    Outcome,
    QueryRequest,
    measure_latency,
    measure_throughput,
    percentile,
)
from bench.plan import fingerprint
from bench.querymix import draw_requests, load_param_space, load_templates
from bench.scaling_table import answer_mismatches, render_table

__all__ = ["interleave", "main", "parse_smaps_rollup", "tree_memory"]

CONFIGS = ("embedded", "embedded-disk", "workers-2", "remote-oxigraph", "oxigraph")
ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
_START_TIMEOUT = 600.0
_PROBE = "ASK { ?s ?p ?o }"


def parse_smaps_rollup(text: str) -> tuple[int, int]:
    """(Rss, Pss) in kB from the text of /proc/<pid>/smaps_rollup."""
    values = {"Rss:": 0, "Pss:": 0}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[0] in values:
            values[fields[0]] = int(fields[1])
    return values["Rss:"], values["Pss:"]


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue  # ended meanwhile
    return found


def tree_memory(pid: int) -> dict[str, float | int]:
    """RSS and PSS (MiB) summed over a process and its descendants."""
    rss = pss = processes = 0
    for member in _descendants(pid):
        try:
            text = Path(f"/proc/{member}/smaps_rollup").read_text()
        except OSError:
            continue
        member_rss, member_pss = parse_smaps_rollup(text)
        rss, pss, processes = rss + member_rss, pss + member_pss, processes + 1
    return {"rss_mb": round(rss / 1024, 1), "pss_mb": round(pss / 1024, 1), "processes": processes}


def interleave(requests: dict[str, list[QueryRequest]], names: Sequence[str]) -> list[QueryRequest]:
    """One stream of the named templates' requests, round-robin: every template weighs
    the same, and any window of the stream holds each of them."""
    rounds = min(len(requests[name]) for name in names)
    return [requests[name][i] for i in range(rounds) for name in names]


@dataclass
class _Running:
    label: str
    process: subprocess.Popen[bytes]
    port: int
    start_seconds: float


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group (started with its own session), SIGKILL if it lingers."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)
    # workers may outlive a parent that died first: the group is theirs too
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def _server(label: str, argv: list[str], port: int, path: str, log: Path) -> Iterator[_Running]:
    with log.open("ab") as sink:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            cwd=ROOT, start_new_session=True,
        )  # fmt: skip
    try:
        answered = wait_until_answering(
            HttpEndpoint(port=port, path=path),
            query=_PROBE,
            deadline=started + _START_TIMEOUT,
            alive=lambda: process.poll() is None,
        )
        if answered is None:
            tail = log.read_text(errors="replace").splitlines()[-15:]
            raise RuntimeError(f"{label} did not answer; log {log}:\n" + "\n".join(tail))
        if label != "oxigraph":  # ours, also over Oxigraph server (a 503: no release)
            wait_until_settled(
                port, RELEASE_PATH, deadline=answered + _START_TIMEOUT, alive=lambda: True
            )
        yield _Running(label, process, port, answered - started)
    finally:
        _stop(process)


class _RecordingCaller:
    """Wraps a caller and keeps the seconds of each answered request (for c8 latency)."""

    def __init__(self, inner: Caller, into: list[float]) -> None:
        self._inner = inner
        self._into = into

    def __call__(self, request: QueryRequest) -> Outcome:
        outcome = self._inner(request)
        if outcome.status == "ok":
            self._into.append(outcome.seconds)  # list.append is atomic under the GIL
        return outcome

    def close(self) -> None:
        close = getattr(self._inner, "close", None)
        if close is not None:
            close()


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 3)


def _measure_mix(
    endpoint: HttpEndpoint, stream: list[QueryRequest], args: argparse.Namespace
) -> dict[str, Any]:
    make = http_caller_factory(endpoint, timeout=args.timeout)
    latency = measure_latency(
        make, stream, warmup=args.warmup, max_requests=1_000_000, max_seconds=args.seconds
    )
    seconds: list[float] = []

    def recording() -> Caller:
        return _RecordingCaller(make(), seconds)

    loaded = measure_throughput(
        recording, stream, concurrency=args.concurrency, seconds=args.seconds,
        max_requests=1_000_000,
    )  # fmt: skip
    return {
        "c1": latency.summary(),
        f"c{args.concurrency}": loaded.summary()
        | {"p50_ms": _ms(percentile(seconds, 50)), "p95_ms": _ms(percentile(seconds, 95))},
    }


def _run_config(
    endpoint: HttpEndpoint,
    mixes: dict[str, list[QueryRequest]],
    firsts: list[QueryRequest],
    args: argparse.Namespace,
) -> dict[str, Any]:
    answers: dict[str, str] = {}
    for request in firsts:  # also the warm-up: every template once
        try:
            answers[request.name] = fingerprint(
                fetch_answer(endpoint, request, timeout=args.timeout), request.accept
            )
        except RuntimeError as error:
            answers[request.name] = f"failed: {error}"[:200]
    return {
        "answers": answers,
        "mixes": {n: _measure_mix(endpoint, s, args) for n, s in mixes.items()},
    }


def _ours(file: Path, port: int, *extra: str) -> list[str]:
    # no entailed standard types: Oxigraph server gets the file as it is, and every
    # configuration must answer from the same triples (the answers are compared)
    return [str(VENV_BIN / "kompass-graph"), "serve", "--only-data", str(file),
            "--no-validate-data", "--no-entail-standard-types", "--host", "127.0.0.1",
            "--port", str(port), *extra]  # fmt: skip


def _oxigraph_serve(location: Path, port: int) -> list[str]:
    return [str(VENV_BIN / "oxigraph"), "serve", "--location", str(location),
            "--bind", f"127.0.0.1:{port}"]  # fmt: skip


def _ours_flags(name: str, store_url: str | None, work: Path) -> list[str]:
    if name == "embedded-disk":
        return ["--store", str(work / "ours-store")]
    if name == "workers-2":
        return ["--workers", "2"]
    if name == "remote-oxigraph":
        return ["--store-url", str(store_url)]
    return []


def _start(
    name: str, stack: ExitStack, args: argparse.Namespace, work: Path, ports: list[int]
) -> tuple[HttpEndpoint, list[_Running], list[str]]:
    """Start one configuration's processes (stopped when `stack` closes): the endpoint
    the requests go to, the process trees to measure, the commands run."""
    log = work / f"{name}.log"
    trees: list[_Running] = []
    commands: list[str] = []
    store_url: str | None = None
    if name in ("remote-oxigraph", "oxigraph"):
        store_port = _free_port()
        ports.append(store_port)
        argv = _oxigraph_serve(work / "oxigraph", store_port)
        trees.append(stack.enter_context(_server("oxigraph", argv, store_port, "/query", log)))
        commands.append(" ".join(argv))
        store_url = f"http://127.0.0.1:{store_port}/query"
        if name == "oxigraph":
            return HttpEndpoint(port=store_port, path="/query"), trees, commands
    port = _free_port()
    ports.append(port)
    argv = _ours(args.data, port, *_ours_flags(name, store_url, work))
    trees.append(stack.enter_context(_server("kompass-graph", argv, port, "/sparql", log)))
    commands.append(" ".join(argv))
    return HttpEndpoint(port=port, path="/sparql"), trees, commands


def _load_oxigraph(data: Path, location: Path) -> float:
    began = time.perf_counter()
    subprocess.run(
        [str(VENV_BIN / "oxigraph"), "load", "--location", str(location), "--file", str(data)],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return round(time.perf_counter() - began, 2)


def _run_configs(
    args: argparse.Namespace, mixes: dict[str, list[QueryRequest]], firsts: list[QueryRequest]
) -> tuple[dict[str, Any], list[int], float | None]:
    """Each configuration in turn; its results, every port used, `oxigraph load` seconds."""
    results: dict[str, Any] = {}
    ports: list[int] = []
    load_seconds: float | None = None
    with tempfile.TemporaryDirectory(prefix="kompass-scaling-") as tmp:
        work = Path(tmp)
        if {"remote-oxigraph", "oxigraph"} & set(args.configs):
            load_seconds = _load_oxigraph(args.data, work / "oxigraph")
        for name in args.configs:
            print(f"[{name}] starting …", file=sys.stderr, flush=True)
            entry: dict[str, Any] = {"load_before": os.getloadavg()}
            try:
                with ExitStack() as stack:
                    endpoint, trees, entry["commands"] = _start(name, stack, args, work, ports)
                    entry["start_to_first_answer_s"] = round(trees[-1].start_seconds, 2)
                    entry |= _run_config(endpoint, mixes, firsts, args)
                    # after the run: what the processes hold once the mix has gone through
                    entry["memory"] = {t.label: tree_memory(t.process.pid) for t in trees}
                    entry["load_after"] = os.getloadavg()
            except (RuntimeError, OSError) as error:  # a server that did not come up
                print(f"[{name}] failed: {error}", file=sys.stderr, flush=True)
                entry["failed"] = str(error)[:2000]
            results[name] = entry
    return results, ports, load_seconds


def _still_listening(ports: Sequence[int]) -> list[int]:
    listening = []
    for port in ports:
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                listening.append(port)
    return listening


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.scaling", description=__doc__.splitlines()[0]
    )
    add = parser.add_argument
    add("--data", type=Path, required=True, help="generated N-Triples file (bench.generate)")
    add("--seconds", type=float, default=10.0, help="length of each phase (c1 and c8), per mix")
    add("--concurrency", type=int, default=8)
    add("--configs", type=lambda s: s.split(","), default=list(CONFIGS),
        help=f"comma-separated, in run order (default: {','.join(CONFIGS)})")  # fmt: skip
    add("--seed", type=int, default=1)
    add("--per-query", type=int, default=300, help="distinct requests drawn per template")
    add("--warmup", type=int, default=14)
    add("--timeout", type=float, default=60.0, help="client timeout per request (s)")
    add("--out", type=Path, help="results JSON (default: bench/results/scaling-<data>-<time>.json)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    args.data = args.data.resolve()
    unknown = set(args.configs) - set(CONFIGS)
    if unknown:
        raise SystemExit(f"unknown configurations {sorted(unknown)}; choose from {CONFIGS}")
    templates = load_templates()
    drawn = draw_requests(
        templates, load_param_space(args.data.with_suffix(".params.json")),
        seed=args.seed, per_query=args.per_query,
    )  # fmt: skip
    names = [t.name for t in templates]
    lookups = [t.name for t in templates if t.query_class == "lookup"]
    mixes = {"mix": interleave(drawn, names), "lookup": interleave(drawn, lookups)}
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = args.out or ROOT / "bench" / "results" / f"scaling-{args.data.stem}-{stamp}.json"
    configs, ports, load_seconds = _run_configs(args, mixes, [drawn[name][0] for name in names])
    results: dict[str, Any] = {
        "started": stamp,
        "data": str(args.data),
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "mixes": {"mix": names, "lookup": lookups},
        "oxigraph_load_seconds": load_seconds,
        "configs": configs,
        "answer_mismatches": answer_mismatches(configs),
        "still_listening": _still_listening(ports),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"results: {out}", file=sys.stderr)
    for mix in mixes:
        print(f"\n{mix} ({len(results['mixes'][mix])} templates)\n")
        print(render_table(results, mix=mix, concurrency=args.concurrency))
    for line in results["answer_mismatches"]:
        print(f"answer differs: {line}")
    print(f"\nports still listening afterwards: {results['still_listening'] or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
