"""The scaling run's results as Markdown: figures per configuration, ratios against two.

Pure functions over the results JSON that `bench.scaling` writes, so the table can be
rendered again from a file and tested without servers.
"""

from __future__ import annotations

from typing import Any

__all__ = ["answer_mismatches", "ratio", "render_table"]

#: the configurations every other is compared with: our default, and the peer
_BASES = ("embedded", "oxigraph")


def ratio(value: float | None, reference: float | None) -> float | None:
    if value is None or not reference:
        return None
    return value / reference


def _fmt(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if value >= 100 else f"{value:.{digits}f}"


def _times(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _memory(entry: dict[str, Any], key: str) -> float:
    """Summed over the configuration's process trees (ours and its store, if remote)."""
    return float(sum(tree[key] for tree in entry["memory"].values()))


def render_table(results: dict[str, Any], *, mix: str, concurrency: int) -> str:
    """A Markdown table for one mix: each configuration, its figures, and its c8
    throughput and c1 median as ratios against `embedded` and against `oxigraph`."""
    configs = results["configs"]
    loaded = f"c{concurrency}"

    def figure(name: str, phase: str, key: str) -> float | None:
        phases: dict[str, Any] = configs.get(name, {}).get("mixes", {}).get(mix, {})
        value = phases.get(phase, {}).get(key)
        return None if value is None else float(value)

    head = (
        f"| configuration | c1 p50 / p95 (ms) | c1 req/s | {loaded} req/s "
        f"| {loaded} p50 / p95 (ms) | failed | {loaded} req/s vs embedded | vs oxigraph "
        "| c1 p50 vs embedded | vs oxigraph | RSS / PSS after (MB) |"
    )
    lines = [head, "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, entry in configs.items():
        if "failed" in entry:
            lines.append(f"| {name} | failed: see the results file |" + " - |" * 9)
            continue
        figures = entry["mixes"][mix]
        c1, cn = figures["c1"], figures[loaded]
        failed = c1["errors"] + c1["timeouts"] + cn["errors"] + cn["timeouts"]
        cells = [
            name,
            f"{_fmt(c1['p50_ms'])} / {_fmt(c1['p95_ms'])}",
            _fmt(c1["qps"], 1),
            _fmt(cn["qps"], 1),
            f"{_fmt(cn['p50_ms'])} / {_fmt(cn['p95_ms'])}",
            str(failed),
            *(_times(ratio(cn["qps"], figure(base, loaded, "qps"))) for base in _BASES),
            *(_times(ratio(c1["p50_ms"], figure(base, "c1", "p50_ms"))) for base in _BASES),
            f"{_fmt(_memory(entry, 'rss_mb'), 0)} / {_fmt(_memory(entry, 'pss_mb'), 0)}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def answer_mismatches(configs: dict[str, Any]) -> list[str]:
    """Templates whose first answer (row count, triple count, boolean) differs from the
    last configuration's (the peer, in the default order)."""
    names = [name for name, entry in configs.items() if "failed" not in entry]
    if not names:
        return []
    reference = configs[names[-1]]["answers"]
    return [
        f"{name}: {query} {answer} (against {names[-1]}: {reference.get(query)})"
        for name in names
        for query, answer in configs[name]["answers"].items()
        if answer != reference.get(query)
    ]
