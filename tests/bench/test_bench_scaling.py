"""The scaling run's pure parts: the request stream, /proc memory parsing, ratios, table."""

from __future__ import annotations

from typing import Any

from bench.measure import QueryRequest
from bench.scaling import interleave, parse_smaps_rollup
from bench.scaling_table import answer_mismatches, ratio, render_table

SMAPS_ROLLUP = """\
55d4c0a3e000-7ffd2b1f9000 ---p 00000000 00:00 0                          [rollup]
Rss:              204800 kB
Pss:               51200 kB
Pss_Anon:          40000 kB
Shared_Clean:     150000 kB
Private_Dirty:     40000 kB
"""


def _requests(name: str, count: int) -> list[QueryRequest]:
    return [QueryRequest(name, f"ASK {{ <urn:{name}:{i}> ?p ?o }}", "x") for i in range(count)]


def test_the_stream_takes_each_template_in_turn_and_stops_with_the_shortest() -> None:
    drawn = {"a": _requests("a", 3), "b": _requests("b", 2), "c": _requests("c", 5)}
    stream = interleave(drawn, ["a", "b"])
    assert [r.text for r in stream] == [
        "ASK { <urn:a:0> ?p ?o }",
        "ASK { <urn:b:0> ?p ?o }",
        "ASK { <urn:a:1> ?p ?o }",
        "ASK { <urn:b:1> ?p ?o }",
    ]


def test_smaps_rollup_gives_rss_and_pss_not_the_pss_parts() -> None:
    assert parse_smaps_rollup(SMAPS_ROLLUP) == (204800, 51200)
    assert parse_smaps_rollup("") == (0, 0)


def test_ratio_has_no_value_without_both_figures() -> None:
    assert ratio(300.0, 150.0) == 2.0
    assert ratio(None, 150.0) is None
    assert ratio(300.0, None) is None
    assert ratio(300.0, 0.0) is None


def _config(c1_p50: float, c8_qps: float, rss: float, pss: float) -> dict[str, Any]:
    phase = {"errors": 0, "timeouts": 0, "qps": 100.0, "p50_ms": c1_p50, "p95_ms": 2 * c1_p50}
    loaded = {"errors": 1, "timeouts": 0, "qps": c8_qps, "p50_ms": 4.0, "p95_ms": 9.5}
    return {
        "answers": {"q": "rows=1"},
        "mixes": {"mix": {"c1": phase, "c8": loaded}},
        "memory": {"oxigraph": {"rss_mb": rss, "pss_mb": pss}},
    }


def test_the_table_gives_ratios_against_embedded_and_against_oxigraph() -> None:
    results = {
        "configs": {
            "embedded": _config(1.0, 1000.0, 900.0, 400.0),
            "oxigraph": _config(0.5, 4000.0, 30.0, 25.0),
        }
    }
    table = render_table(results, mix="mix", concurrency=8).splitlines()
    assert table[0].startswith("| configuration | c1 p50 / p95 (ms) | c1 req/s | c8 req/s |")
    assert table[2] == (
        "| embedded | 1.00 / 2.00 | 100 | 1,000 | 4.00 / 9.50 | 1 | 1.00x | 0.25x "
        "| 1.00x | 2.00x | 900 / 400 |"
    )
    assert table[3] == (
        "| oxigraph | 0.50 / 1.00 | 100 | 4,000 | 4.00 / 9.50 | 1 | 4.00x | 1.00x "
        "| 0.50x | 1.00x | 30 / 25 |"
    )


def test_a_missing_reference_shows_a_dash_not_a_ratio() -> None:
    results = {"configs": {"workers-2": _config(1.0, 500.0, 10.0, 5.0)}}
    row = render_table(results, mix="mix", concurrency=8).splitlines()[2]
    assert (
        row == "| workers-2 | 1.00 / 2.00 | 100 | 500 | 4.00 / 9.50 | 1 | - | - | - | - | 10 / 5 |"
    )


def test_answers_are_compared_with_the_last_configuration() -> None:
    configs = {
        "embedded": {"answers": {"q": "rows=24", "r": "boolean=true"}},
        "oxigraph": {"answers": {"q": "rows=2", "r": "boolean=true"}},
    }
    assert answer_mismatches(configs) == ["embedded: q rows=24 (against oxigraph: rows=2)"]
    assert answer_mismatches({}) == []


def test_a_failed_configuration_keeps_its_row_and_is_not_compared() -> None:
    configs = {
        "embedded": {"failed": "did not answer"},
        "oxigraph": _config(0.5, 4000.0, 30.0, 25.0),
    }
    row = render_table({"configs": configs}, mix="mix", concurrency=8).splitlines()[2]
    assert row == "| embedded | failed: see the results file | - | - | - | - | - | - | - | - | - |"
    assert answer_mismatches(configs) == []
