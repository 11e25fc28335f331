"""The benchmark driver: one generated file, every system, one run, one results file.

Systems run one after another (never two at once: the machine has two cores), each on
the same file and the same drawn requests:

    ours             `kompass-graph serve --only-data FILE` (or --ours-cmd)
    oxigraph         `oxigraph load` then `oxigraph serve-read-only` (PyPI `oxigraph`)
    pyoxigraph       in-process pyoxigraph, the floor (child process, no HTTP)
    rdflib-endpoint  `rdflib-endpoint serve FILE`, the Python peer (capped per request)

Before them, the HTTP client is measured against a do-nothing endpoint, so the report
can say how much of a system's number is the client's own cost.

    /work/bench-venv/bin/python -m bench.run --data bench/data/kg-100k.nt

Peers come from a separate venv (default /work/bench-venv) so they never enter the
project's dependencies. Every request loop is bounded by count and by time; everything
listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import report
from bench.client import RELEASE_PATH, HttpEndpoint, fetch_answer, http_caller_factory
from bench.measure import QueryRequest, measure_latency, measure_throughput
from bench.plan import Plan, measure_queries
from bench.querymix import draw_requests, load_param_space, load_templates
from bench.systems import (
    MemoryWatch,
    RunningServer,
    ServerSpec,
    ServerStartError,
    free_port,
    start_server,
)

__all__ = ["main"]

ALL_SYSTEMS = ("ours", "ours-ondisk", "oxigraph", "pyoxigraph", "rdflib-endpoint")
BENCH_VENV = Path("/work/bench-venv")
PROJECT_VENV = Path("/work/venv")


def _version_of(python: str, *distributions: str) -> str:
    code = (
        "import importlib.metadata as m, sys\n"
        "print(', '.join(f'{d} {m.version(d)}' for d in sys.argv[1:]))"
    )
    try:
        finished = subprocess.run(
            [python, "-c", code, *distributions],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError) as error:
        return f"unknown ({error})"
    return finished.stdout.strip()


def _command_version(argv: list[str]) -> str:
    try:
        return subprocess.run(
            argv, capture_output=True, text=True, check=True, timeout=60
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as error:
        return f"unknown ({error})"


def server_specs(args: argparse.Namespace) -> dict[str, ServerSpec]:
    oxigraph = str(args.oxigraph_bin)
    return {
        "ours": ServerSpec(
            name="ours",
            argv=shlex.split(args.ours_cmd),
            path=args.ours_path,
            version=_version_of(str(args.project_python), "kompass-graph", "pyoxigraph"),
            settled_path=RELEASE_PATH,
        ),
        # the same server with its store on disk (`--store`), as Oxigraph server keeps it
        "ours-ondisk": ServerSpec(
            name="ours-ondisk",
            argv=[*shlex.split(args.ours_cmd), "--store", "{store}/kompass-store"],
            path=args.ours_path,
            needs_store_dir=True,
            version=_version_of(str(args.project_python), "kompass-graph", "pyoxigraph"),
            settled_path=RELEASE_PATH,
        ),
        "oxigraph": ServerSpec(
            name="oxigraph",
            prepare=[[oxigraph, "load", "--location", "{store}", "--file", "{file}"]],
            argv=[
                oxigraph,
                "serve-read-only",
                "--location",
                "{store}",
                "--bind",
                "127.0.0.1:{port}",
            ],
            path="/query",
            needs_store_dir=True,
            version=_command_version([oxigraph, "--version"]),
        ),
        "rdflib-endpoint": ServerSpec(
            name="rdflib-endpoint",
            argv=[
                str(args.rdflib_endpoint_bin),
                "serve",
                "{file}",
                "--host",
                "127.0.0.1",
                "--port",
                "{port}",
            ],
            path="/",
            version=_version_of(str(args.peer_python), "rdflib-endpoint", "rdflib"),
        ),
    }


def check_client(args: argparse.Namespace, work_dir: Path) -> dict[str, Any]:
    """The client against an endpoint that does no work: its own ceiling and CPU cost."""
    port = free_port()
    server = subprocess.Popen(
        [str(args.peer_python), "-m", "bench.trivial", "--port", str(port)],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        endpoint = HttpEndpoint(port=port, path="/sparql")
        requests = [
            QueryRequest(
                "trivial", f"ASK {{ <urn:x:{i}> ?p ?o }}", "application/sparql-results+json"
            )
            for i in range(64)
        ]
        make = http_caller_factory(endpoint, timeout=5.0)
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline and make()(requests[0]).status != "ok":
            time.sleep(0.05)
        latency = measure_latency(make, requests, warmup=20, max_requests=3000, max_seconds=3)
        result: dict[str, Any] = {"latency": latency.summary(), "throughput": {}}
        for concurrency in (1, *args.concurrency):
            measured = measure_throughput(
                make, requests, concurrency=concurrency, seconds=2.0, max_requests=200_000
            )
            result["throughput"][str(concurrency)] = measured.summary()
        return result
    finally:
        server.terminate()
        server.wait(timeout=10)


def run_http_system(
    spec: ServerSpec, plan: Plan, args: argparse.Namespace, work_dir: Path
) -> dict[str, Any]:
    print(f"[{spec.name}] starting on {args.data} …", file=sys.stderr, flush=True)
    server = start_server(
        spec, data_file=args.data, work_dir=work_dir, start_timeout=args.start_timeout
    )
    restarts = 0
    # the server in use: after_phase may replace it with a restarted one
    holder = {"server": server}
    try:
        print(
            f"[{spec.name}] answering after {server.load_seconds:.1f} s",
            file=sys.stderr,
            flush=True,
        )
        time.sleep(1.0)  # let start-up allocations settle before reading memory
        loaded = server.memory()
        on_disk = _tree_size_mb(server.store_dir) if server.store_dir else None

        def after_phase(query: str, timed_out: bool) -> None:
            nonlocal restarts
            current = holder["server"]
            if not timed_out:
                return
            # abandoned requests may still run inside the server: let them finish, or
            # restart it, so the next query is not measured against leftover work
            if current.wait_idle(max_seconds=args.idle_wait):
                return
            print(f"[{spec.name}] still busy after {query}; restarting", file=sys.stderr)
            current.stop()
            holder["server"] = start_server(
                spec, data_file=args.data, work_dir=work_dir, start_timeout=args.start_timeout
            )
            restarts += 1

        def make_caller():  # type: ignore[no-untyped-def]
            current: RunningServer = holder["server"]
            return http_caller_factory(current.endpoint, timeout=plan.request_timeout)()

        def answer(request: QueryRequest) -> bytes:
            current: RunningServer = holder["server"]
            return fetch_answer(current.endpoint, request, timeout=plan.request_timeout)

        with MemoryWatch(server.process.pid) as watch:
            queries = measure_queries(make_caller, plan, answer=answer, after_phase=after_phase)
        final = holder["server"].memory()
        return {
            "system": spec.name,
            "version": spec.version,
            "command": " ".join(spec.argv),
            "load_seconds": round(server.load_seconds, 3),
            "load_detail": {
                "prepare_seconds": round(server.prepare_seconds, 3),
                "start_to_first_answer_seconds": round(server.start_seconds, 3),
            },
            "memory": {
                "rss_after_load_mb": _round(loaded.rss_mb if loaded else None),
                "pss_after_load_mb": _round(loaded.pss_mb if loaded else None),
                "processes": loaded.processes if loaded else None,
                "rss_peak_mb": _round(watch.peak_rss_mb if restarts == 0 else None),
                "pss_peak_mb": _round(watch.peak_pss_mb if restarts == 0 else None),
                "rss_end_mb": _round(final.rss_mb if final else None),
                "pss_end_mb": _round(final.pss_mb if final else None),
                # file-backed data (Oxigraph's RocksDB) lives in the page cache, not in RSS
                "store_on_disk_mb": _round(on_disk),
            },
            "request_timeout_s": plan.request_timeout,
            "restarts": restarts,
            "queries": queries,
        }
    finally:
        holder["server"].stop()
        server.stop()  # a no-op unless it was replaced


def _tree_size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def run_inprocess(plan: Plan, args: argparse.Namespace, work_dir: Path) -> dict[str, Any]:
    print("[pyoxigraph] in-process run …", file=sys.stderr, flush=True)
    plan_path = work_dir / "plan.json"
    out_path = work_dir / "inprocess.json"
    plan_path.write_text(json.dumps(plan.to_json(), ensure_ascii=False), encoding="utf-8")
    subprocess.run(
        [
            str(args.peer_python),
            "-m",
            "bench.inprocess",
            "--data",
            str(args.data),
            "--plan",
            str(plan_path),
            "--out",
            str(out_path),
        ],
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
        timeout=args.system_timeout,
    )
    result: dict[str, Any] = json.loads(out_path.read_text(encoding="utf-8"))
    result["system"] = "pyoxigraph"
    return result


def build_plan(args: argparse.Namespace) -> Plan:
    params = args.params or args.data.with_suffix(".params.json")
    templates = load_templates()
    requests = draw_requests(
        templates, load_param_space(params), seed=args.seed, per_query=args.per_query
    )
    if args.queries:
        wanted = set(args.queries.split(","))
        requests = {name: r for name, r in requests.items() if name in wanted}
    return Plan(
        requests=requests,
        classes={t.name: t.query_class for t in templates},
        warmup=args.warmup,
        latency_requests=args.latency_requests,
        latency_seconds=args.latency_seconds,
        concurrencies=tuple(args.concurrency),
        throughput_seconds=args.throughput_seconds,
        throughput_max_requests=args.throughput_max_requests,
        request_timeout=args.timeout,
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.splitlines()[0]
    )
    add = parser.add_argument
    add("--data", type=Path, required=True, help="generated N-Triples file (bench.generate)")
    add("--params", type=Path, help="its parameter file (default: DATA with .params.json)")
    add("--systems", default=",".join(ALL_SYSTEMS), help="comma-separated, in run order")
    add("--queries", help="comma-separated template names (default: all)")
    add("--out", type=Path, help="results JSON (default: bench/results/<data>-<time>.json)")
    add("--seed", type=int, default=1, help="parameter draw seed")
    add("--per-query", type=int, default=300, help="distinct requests drawn per template")
    add("--warmup", type=int, default=3)
    add("--latency-requests", type=int, default=300, help="max requests at concurrency 1")
    add("--latency-seconds", type=float, default=6.0, help="max seconds at concurrency 1")
    add("--concurrency", type=lambda s: [int(c) for c in s.split(",")], default=[8, 32])
    add("--throughput-seconds", type=float, default=3.0)
    add("--throughput-max-requests", type=int, default=20_000)
    add("--timeout", type=float, default=60.0, help="client timeout per request (s)")
    add("--rdflib-timeout", type=float, default=4.0,
        help="client timeout per request for rdflib-endpoint (s): its cap")  # fmt: skip
    add("--idle-wait", type=float, default=60.0,
        help="after a timeout, seconds to wait for an idle server, else restart")  # fmt: skip
    add("--start-timeout", type=float, default=1800.0, help="max seconds to first answer")
    add("--system-timeout", type=float, default=3600.0, help="max seconds for the in-process run")
    add("--ours-cmd", default=f"{PROJECT_VENV}/bin/kompass-graph serve --only-data {{file}} "
        "--no-validate-data --host 127.0.0.1 --port {port}",
        help="command that starts our server ({file}, {port} are filled in)")  # fmt: skip
    add("--ours-path", default="/sparql")
    add("--ours-env", action="append", default=[], metavar="KEY=VALUE",
        help="extra environment for our server, e.g. KOMPASS_QUERY_WORKERS=4")  # fmt: skip
    add("--oxigraph-bin", type=Path, default=BENCH_VENV / "bin/oxigraph")
    add("--rdflib-endpoint-bin", type=Path, default=BENCH_VENV / "bin/rdflib-endpoint")
    add("--peer-python", type=Path, default=BENCH_VENV / "bin/python",
        help="python with pyoxigraph and psutil, for the in-process floor")  # fmt: skip
    add("--project-python", type=Path, default=PROJECT_VENV / "bin/python")
    add("--skip-client-check", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.data = args.data.resolve()
    systems = [s for s in args.systems.split(",") if s]
    unknown = set(systems) - set(ALL_SYSTEMS)
    if unknown:
        raise SystemExit(f"unknown systems {sorted(unknown)}; choose from {ALL_SYSTEMS}")
    for item in args.ours_env:
        key, _, value = item.partition("=")
        os.environ[key] = value  # inherited by the server process only: the driver ignores it
    plan = build_plan(args)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = args.out or Path(__file__).resolve().parent / "results" / f"{args.data.stem}-{stamp}.json"
    results: dict[str, Any] = {
        "started": stamp,
        "data": str(args.data),
        "triples": _count_lines(args.data),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "settings": {k: v for k, v in plan.to_json().items() if k != "requests"}
        | {
            "per_query": args.per_query,
            "seed": args.seed,
            "rdflib_timeout": args.rdflib_timeout,
            "ours_env": args.ours_env,
        },
        "templates": {t.name: {"class": t.query_class, "about": t.about} for t in load_templates()},
        "systems": {},
    }
    with tempfile.TemporaryDirectory(prefix="kompass-bench-") as tmp:
        work_dir = Path(tmp)
        if not args.skip_client_check:
            print("[client] measuring the client against a do-nothing endpoint …", file=sys.stderr)
            results["client_check"] = check_client(args, work_dir)
        specs = server_specs(args)
        for name in systems:
            try:
                if name == "pyoxigraph":
                    results["systems"][name] = run_inprocess(plan, args, work_dir)
                elif name == "rdflib-endpoint":
                    capped = replace(plan, request_timeout=args.rdflib_timeout)
                    results["systems"][name] = run_http_system(specs[name], capped, args, work_dir)
                else:
                    results["systems"][name] = run_http_system(specs[name], plan, args, work_dir)
            except (ServerStartError, subprocess.SubprocessError) as error:
                print(f"[{name}] failed: {error}", file=sys.stderr)
                results["systems"][name] = {"system": name, "failed": str(error)}
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"results: {out}", file=sys.stderr)
    print(report.render(results))
    return 0


def _count_lines(path: Path) -> int:
    with path.open("rb") as stream:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))


if __name__ == "__main__":
    raise SystemExit(main())
