"""Results JSON → Markdown tables with ratios, and the issue's targets checked one by one.

    python -m bench.report bench/results/kg-1m-20261125T010000Z.json

Ratios compare our server with Oxigraph server and with in-process pyoxigraph measured
in the same run, which is what makes numbers from a noisy, shared machine comparable.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Verdict", "check_targets", "main", "render"]

SYSTEM_ORDER = ("ours", "ours-ondisk", "oxigraph", "pyoxigraph", "rdflib-endpoint")
#: the targets of issue 12, all against Oxigraph server in the same run
LOOKUP_MEDIAN_FACTOR = 1.0  # our c1 median at most this times Oxigraph server's
LOOKUP_THROUGHPUT_FACTOR = 1.0  # our c8 throughput at least this times Oxigraph server's
ANALYTIC_MEDIAN_FACTOR = 0.5  # our c1 median at most this times Oxigraph server's
RDFLIB_FACTOR = 20.0
MEMORY_FACTOR = 1.5  # our process tree's memory after the run at most this times
LOAD_FACTOR = 1.5


@dataclass(frozen=True)
class Verdict:
    target: str
    scope: str
    met: bool | None  # None: could not be measured
    evidence: str


def _fmt(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def _fmt_rate(value: float | None) -> str:
    """Queries per second: whole numbers, but two decimals below 10 (0.27 is not 0)."""
    return _fmt(value, 0 if value is not None and value >= 10 else 2)


def _systems(results: dict[str, Any]) -> list[str]:
    present = results.get("systems", {})
    return [s for s in SYSTEM_ORDER if s in present and "failed" not in present[s]]


def _query(results: dict[str, Any], system: str, name: str) -> dict[str, Any] | None:
    entry = results["systems"].get(system, {})
    query: dict[str, Any] | None = entry.get("queries", {}).get(name)
    return query


def _p50(results: dict[str, Any], system: str, name: str) -> float | None:
    query = _query(results, system, name)
    return None if query is None else query["latency"].get("p50_ms")


def _p50_warm(results: dict[str, Any], system: str, name: str) -> float | None:
    """The median of the second pass over the same requests (absent: not measured)."""
    query = _query(results, system, name)
    return None if query is None else query.get("latency_warm", {}).get("p50_ms")


def _qps(results: dict[str, Any], system: str, name: str, concurrency: int) -> float | None:
    """Throughput; concurrency 1 is the sequential latency phase's rate."""
    query = _query(results, system, name)
    if query is None:
        return None
    if concurrency == 1:
        qps: float | None = query["latency"].get("qps")
        return qps
    phase = query["throughput"].get(str(concurrency), {})
    return None if "skipped" in phase else phase.get("qps")


def _refused(results: dict[str, Any], system: str, name: str, concurrency: int) -> int:
    """Requests of a concurrency phase that got no answer (503s, other errors, timeouts)."""
    query = _query(results, system, name)
    phase = {} if query is None else query["throughput"].get(str(concurrency), {})
    return int(phase.get("errors") or 0) + int(phase.get("timeouts") or 0)


def _timed_out(results: dict[str, Any], system: str, name: str) -> bool:
    query = _query(results, system, name)
    return bool(query and query["latency"].get("timeouts"))


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b in (None, 0) else a / b  # type: ignore[operator]


def _names(results: dict[str, Any]) -> list[str]:
    return list(results.get("templates", {}))


def _class(results: dict[str, Any], name: str) -> str:
    return str(results["templates"][name]["class"])


def check_targets(results: dict[str, Any]) -> list[Verdict]:
    """The issue's targets, each with the figures that decide it."""
    verdicts: list[Verdict] = []
    if "ours" not in _systems(results):
        return [Verdict("all targets", "", None, "our server did not run")]
    names = [n for n in _names(results) if _query(results, "ours", n) is not None]
    for name in names:
        ours, oxi = _p50(results, "ours", name), _p50(results, "oxigraph", name)
        if _class(results, name) == "lookup":
            target = f"lookup median ≤ {LOOKUP_MEDIAN_FACTOR}x Oxigraph server"
            verdicts.append(_at_most(f"{target}, cold", name, ours, oxi, LOOKUP_MEDIAN_FACTOR))
            ours_w, oxi_w = _p50_warm(results, "ours", name), _p50_warm(results, "oxigraph", name)
            if ours_w is not None:
                verdicts.append(
                    _at_most(f"{target}, warm", name, ours_w, oxi_w, LOOKUP_MEDIAN_FACTOR)
                )
            ours8, oxi8 = _qps(results, "ours", name, 8), _qps(results, "oxigraph", name, 8)
            ratio = _ratio(ours8, oxi8)
            verdicts.append(Verdict(
                f"lookup throughput c8 ≥ {LOOKUP_THROUGHPUT_FACTOR}x Oxigraph server, "
                "mostly warm", name,
                None if ratio is None else ratio >= LOOKUP_THROUGHPUT_FACTOR,
                f"{_fmt(ours8, 0)} vs {_fmt(oxi8, 0)} q/s = {_fmt(ratio)}x "
                f"({_refused(results, 'ours', name, 8)} of ours refused or failed)",
            ))  # fmt: skip
        else:
            verdicts.append(_at_most(
                f"analytic median ≤ {ANALYTIC_MEDIAN_FACTOR}x Oxigraph server", name,
                ours, oxi, ANALYTIC_MEDIAN_FACTOR,
            ))  # fmt: skip
            one, eight = _qps(results, "ours", name, 1), _qps(results, "ours", name, 8)
            refused = _refused(results, "ours", name, 8)
            verdicts.append(Verdict(
                "analytic throughput c8 > c1, none refused (nothing blocks)", name,
                None if one is None or eight is None else eight > one and not refused,
                f"c8 {_fmt(eight, 1)} vs c1 {_fmt(one, 1)} q/s; {refused} refused or failed at c8",
            ))  # fmt: skip
        if "rdflib-endpoint" in _systems(results):
            verdicts.append(_rdflib_verdict(results, name))
    verdicts.extend(_memory_and_load(results))
    return verdicts


def _at_most(
    target: str,
    scope: str,
    mine: float | None,
    theirs: float | None,
    factor: float,
    *,
    unit: str = "ms",
    digits: int = 3,
) -> Verdict:
    """Met when `mine` is at most `factor` times `theirs`."""
    ratio = _ratio(mine, theirs)
    return Verdict(
        target,
        scope,
        None if ratio is None else ratio <= factor,
        f"{_fmt(mine, digits)} vs {_fmt(theirs, digits)} {unit} = {_fmt(ratio)}x",
    )


def _best_qps(results: dict[str, Any], system: str, name: str) -> float | None:
    """A peer's best throughput over all concurrency levels (the most generous figure)."""
    levels = [1, *results["settings"]["concurrencies"]]
    rates = [q for c in levels if (q := _qps(results, system, name, c))]
    return max(rates) if rates else None


def _rdflib_verdict(results: dict[str, Any], name: str) -> Verdict:
    target = f"throughput c8 ≥ {RDFLIB_FACTOR:.0f}x rdflib-endpoint (its best level)"
    if "rdflib-endpoint" not in _systems(results):
        return Verdict(target, name, None, "rdflib-endpoint not run")
    ours = _qps(results, "ours", name, 8)
    peer = _best_qps(results, "rdflib-endpoint", name)
    if peer is None:
        # nothing answered within the cap: its throughput is below one per cap
        cap = results["systems"]["rdflib-endpoint"].get("request_timeout_s")
        bound = 1.0 / cap if cap else None
        met = None if ours is None or bound is None else ours >= RDFLIB_FACTOR * bound
        return Verdict(
            target, name, met, f"{_fmt(ours, 1)} q/s vs < {_fmt(bound)} (no answer in {cap} s)"
        )
    ratio = _ratio(ours, peer)
    met = None if ratio is None else ratio >= RDFLIB_FACTOR
    return Verdict(target, name, met, f"{_fmt(ours, 1)} vs {_fmt(peer, 2)} q/s = {_fmt(ratio, 1)}x")


def _memory_and_load(results: dict[str, Any]) -> list[Verdict]:
    systems = results["systems"]
    if "oxigraph" not in _systems(results):
        return [Verdict("memory and load vs Oxigraph server", "", None, "Oxigraph not run")]
    ours, oxi = systems["ours"], systems["oxigraph"]
    verdicts = []
    # RSS counts pages that forked workers share once per process; PSS splits them fairly
    for key, label in (
        ("rss_end_mb", "RSS after the run"),
        ("pss_end_mb", "PSS after the run"),
        ("rss_after_load_mb", "RSS after load"),
        ("pss_after_load_mb", "PSS after load"),
        ("rss_peak_mb", "RSS peak"),
        ("pss_peak_mb", "PSS peak"),
    ):
        verdicts.append(_at_most(
            f"resident memory ≤ {MEMORY_FACTOR}x Oxigraph server", label,
            ours["memory"].get(key), oxi["memory"].get(key), MEMORY_FACTOR, unit="MB", digits=0,
        ))  # fmt: skip
    ratio = _ratio(ours.get("load_seconds"), oxi.get("load_seconds"))
    verdicts.append(Verdict(
        f"start to first answer ≤ {LOAD_FACTOR}x oxigraph load + start", "load",
        None if ratio is None else ratio <= LOAD_FACTOR,
        f"{_fmt(ours.get('load_seconds'))} vs {_fmt(oxi.get('load_seconds'))} s = {_fmt(ratio)}x",
    ))  # fmt: skip
    return verdicts


def _latency_table(results: dict[str, Any], systems: list[str]) -> list[str]:
    lines = [
        "| query | class | " + " | ".join(f"{s} p50 / p95 / p99" for s in systems) + " |",
        "|---|---|" + "---|" * len(systems),
    ]
    for name in _names(results):
        cells = []
        for system in systems:
            query = _query(results, system, name)
            if query is None:
                cells.append("-")
                continue
            lat = query["latency"]
            cell = f"{_fmt(lat['p50_ms'])} / {_fmt(lat['p95_ms'])} / {_fmt(lat['p99_ms'])}"
            if lat.get("timeouts"):
                cell += f" ({lat['timeouts']} timeouts)" if lat.get("n") else " timeout"
            if lat.get("errors"):
                cell += f" ({lat['errors']} errors)"
            cells.append(cell)
        lines.append(f"| {name} | {_class(results, name)} | " + " | ".join(cells) + " |")
    return lines


def _ratio_table(results: dict[str, Any]) -> list[str]:
    lines = [
        "| query | class | ours p50 | pyoxigraph p50 | ours - pyox | ours / pyox "
        "| oxigraph p50 | ours / oxigraph |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in _names(results):
        ours, floor = _p50(results, "ours", name), _p50(results, "pyoxigraph", name)
        oxi = _p50(results, "oxigraph", name)
        diff = None if ours is None or floor is None else ours - floor
        lines.append(
            f"| {name} | {_class(results, name)} | {_fmt(ours, 3)} | {_fmt(floor, 3)} | "
            f"{_fmt(diff, 3)} | {_fmt(_ratio(ours, floor))}x | {_fmt(oxi, 3)} | "
            f"{_fmt(_ratio(ours, oxi))}x |"
        )
    return lines


def _throughput_table(results: dict[str, Any], systems: list[str]) -> list[str]:
    levels = [1, *results["settings"]["concurrencies"]]
    header = " / ".join(f"c{c}" for c in levels)
    lines = [
        "| query | " + " | ".join(f"{s} {header}" for s in systems)
        + " | ours / oxigraph c8 | ours c8 / rdflib best |",
        "|---|" + "---|" * (len(systems) + 2),
    ]  # fmt: skip
    for name in _names(results):
        cells = []
        for system in systems:
            if _query(results, system, name) is None:
                cells.append("-")
            elif system == "rdflib-endpoint" and _timed_out(results, system, name):
                cells.append("timeout")
            else:
                cells.append(" / ".join(_fmt_rate(_qps(results, system, name, c)) for c in levels))
        ours8 = _qps(results, "ours", name, 8)
        oxi = _ratio(ours8, _qps(results, "oxigraph", name, 8))
        rdf = _ratio(ours8, _best_qps(results, "rdflib-endpoint", name))
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {_fmt(oxi)}x | {_fmt(rdf, 0)}x |")
    return lines


def _errors(results: dict[str, Any], systems: list[str]) -> list[str]:
    """Failed or rejected requests in the concurrency phases (a 503 is not a success)."""
    lines = []
    for system in systems:
        for name in _names(results):
            query = _query(results, system, name)
            if query is None:
                continue
            for level, phase in query["throughput"].items():
                if phase.get("errors") or phase.get("timeouts"):
                    lines.append(
                        f"- {system}, {name}, c{level}: {phase.get('completed')} answered, "
                        f"{phase.get('errors')} errors, {phase.get('timeouts')} timeouts; "
                        f"first: `{phase.get('first_error', '')[:120]}`"
                    )
    return lines


def _system_table(results: dict[str, Any], systems: list[str]) -> list[str]:
    lines = [
        "| system | version | load to first answer (s) | RSS after load (MB) | "
        "PSS after load (MB) | RSS peak (MB) | PSS peak (MB) | processes | store on disk (MB) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for system in systems:
        entry = results["systems"][system]
        memory = entry.get("memory", {})
        load = _fmt(entry.get("load_seconds"))
        detail = entry.get("load_detail")
        if detail and detail.get("prepare_seconds"):
            load += (
                f" ({_fmt(detail['prepare_seconds'])} load + "
                f"{_fmt(detail['start_to_first_answer_seconds'])} start)"
            )
        lines.append(
            f"| {system} | {entry.get('version', '')} | {load} | "
            f"{_fmt(memory.get('rss_after_load_mb'), 0)} | {_fmt(memory.get('pss_after_load_mb'), 0)} | "  # noqa: E501
            f"{_fmt(memory.get('rss_peak_mb'), 0)} | {_fmt(memory.get('pss_peak_mb'), 0)} | "
            f"{memory.get('processes', 1)} | {_fmt(memory.get('store_on_disk_mb'), 0)} |"
        )
    return lines


def _answers(results: dict[str, Any], systems: list[str]) -> list[str]:
    lines = ["| query | " + " | ".join(systems) + " |", "|---|" + "---|" * len(systems)]
    for name in _names(results):
        cells = [
            (_query(results, s, name) or {}).get("answer", "-") for s in systems
        ]  # fmt: skip
        mark = "" if len(set(cells)) == 1 else " ⚠"
        lines.append(f"| {name}{mark} | " + " | ".join(cells) + " |")
    return lines


def _client(results: dict[str, Any]) -> list[str]:
    check = results.get("client_check")
    if not check:
        return ["(client check skipped)"]
    lat = check["latency"]
    return [
        f"Against a do-nothing endpoint the client needs {_fmt(lat['p50_ms'], 3)} ms per "
        "request at concurrency 1 (p50, round trip included) and reaches "
        + ", ".join(
            f"{_fmt(t['qps'], 0)} q/s at c{c} ({_fmt(t['client_cpu_us_per_request'], 0)} µs "
            "client CPU per request)"
            for c, t in check["throughput"].items()
        )
        + "."
    ]


def render(results: dict[str, Any]) -> str:
    systems = _systems(results)
    failed = [s for s, e in results.get("systems", {}).items() if "failed" in e]
    out = [
        f"Data: `{Path(results['data']).name}`, {results['triples']:,} triples; "
        f"run started {results['started']} on {results['machine']['cpus']} CPUs.",
        "",
    ]
    if failed:
        out += [f"Did not run: {', '.join(failed)}.", ""]
    out += ["#### Client check", "", *_client(results), ""]
    out += ["#### Systems", "", *_system_table(results, systems), ""]
    out += ["#### Latency at concurrency 1 (ms)", "", *_latency_table(results, systems), ""]
    if "ours" in systems:
        out += ["#### Our server against the floor and Oxigraph server (median, ms)", "",
                *_ratio_table(results), ""]  # fmt: skip
    out += ["#### Throughput (answered queries per second)", "",
            *_throughput_table(results, systems), ""]  # fmt: skip
    errors = _errors(results, systems)
    if errors:
        out += ["#### Errors and timeouts under concurrency", "", *errors, ""]
    out += ["#### Answers (first drawn request of each query)", "", *_answers(results, systems), ""]
    verdicts = check_targets(results)
    out += ["#### Targets", "", "| target | scope | met | figures |", "|---|---|---|---|"]
    for verdict in verdicts:
        met = {True: "yes", False: "**no**", None: "n/a"}[verdict.met]
        out.append(f"| {verdict.target} | {verdict.scope} | {met} | {verdict.evidence} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.report", description=__doc__.splitlines()[0]
    )
    parser.add_argument("results", type=Path)
    args = parser.parse_args(argv)
    print(render(json.loads(args.results.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
