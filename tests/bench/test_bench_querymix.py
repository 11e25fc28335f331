"""The query mix: well-formed templates, seeded draws, and answers checked against the data."""

from __future__ import annotations

import collections
import json
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Namespace

from bench.generate import GenerationResult
from bench.plan import fingerprint
from bench.querymix import (
    QueryTemplate,
    TemplateError,
    draw_requests,
    load_param_space,
    load_templates,
    parse_template,
)

KG = Namespace("https://w3id.org/kompass-graph/ontology#")
SCHEMA = Namespace("https://schema.org/")
Sample = tuple[Path, GenerationResult]


@pytest.fixture(scope="module")
def store(sample: Sample) -> pyoxigraph.Store:
    path, _ = sample
    store = pyoxigraph.Store()
    store.bulk_load(path=str(path))
    return store


def run(store: pyoxigraph.Store, query: str, accept: str) -> bytes:
    result = store.query(query)
    if isinstance(result, pyoxigraph.QueryTriples):
        return result.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
    return result.serialize(format=pyoxigraph.QueryResultsFormat.JSON) or b""


def test_the_mix_covers_what_the_issue_asks_for() -> None:
    templates = load_templates()
    assert len(templates) >= 10
    assert {t.query_class for t in templates} == {"lookup", "analytic"}
    text = "\n".join(t.body.upper() for t in templates)
    for feature in ("DESCRIBE", "ASK", "CONSTRUCT", "HAVING", "OFFSET", "LCASE", "COUNT(",
                    "SUM(", "GROUP BY", ")*", "/KG:"):  # fmt: skip
        assert feature in text, feature


def test_every_template_is_drawn_and_answers_on_the_sample(
    sample: Sample, store: pyoxigraph.Store
) -> None:
    _, result = sample
    space = load_param_space(result.params_path)
    drawn = draw_requests(load_templates(), space, seed=3, per_query=12)
    for name, requests in drawn.items():
        answers = [fingerprint(run(store, r.text, r.accept), r.accept) for r in requests]
        # parameters differ between requests, and some request of each query finds something
        assert len({r.text for r in requests}) > 1 or "{{" not in requests[0].text, name
        assert any(a not in ("rows=0", "triples=0") for a in answers), (name, answers)


def test_ask_queries_say_yes_for_some_entities_and_no_for_others(
    sample: Sample, store: pyoxigraph.Store
) -> None:
    _, result = sample
    drawn = draw_requests(load_templates(), load_param_space(result.params_path), seed=3,
                          per_query=30)  # fmt: skip
    for name in ("ask-role", "ask-approximate"):
        answers = {fingerprint(run(store, r.text, r.accept), r.accept) for r in drawn[name]}
        assert answers == {"boolean=true", "boolean=false"}, name


def test_same_seed_same_requests_and_another_seed_others(sample: Sample) -> None:
    _, result = sample
    space = load_param_space(result.params_path)
    templates = load_templates()
    first = draw_requests(templates, space, seed=5, per_query=20)
    again = draw_requests(templates, space, seed=5, per_query=20)
    other = draw_requests(templates, space, seed=6, per_query=20)
    assert first == again
    assert first["project-lookup"] != other["project-lookup"]


def test_funding_sums_match_a_count_by_hand(sample: Sample, store: pyoxigraph.Store) -> None:
    """The aggregate query's exact answer, computed independently from the same file."""
    path, _ = sample
    data = Graph()
    data.parse(path, format="nt")
    expected: dict[str, dict[str, Decimal]] = collections.defaultdict(dict)
    for funding, funder in data.subject_objects(KG.funder):
        year = data.value(funding, KG.year)
        amount = data.value(funding, KG.amount)
        if year is None or amount is None:
            continue
        value = data.value(amount, SCHEMA.value).toPython()
        sums = expected[str(funder)]
        sums[str(year)] = sums.get(str(year), Decimal(0)) + value
    template = next(t for t in load_templates() if t.name == "funding-by-year")
    busiest = max(expected, key=lambda f: len(expected[f]))
    body = run(store, template.fill({"funder": f"<{busiest}>"}), template.accept)
    rows = json.loads(body)["results"]["bindings"]
    got = {row["year"]["value"]: Decimal(row["total"]["value"]) for row in rows}
    assert got == expected[busiest]
    assert len(got) > 3


def test_count_query_counts_every_participation(sample: Sample, store: pyoxigraph.Store) -> None:
    path, _ = sample
    with path.open(encoding="utf-8") as stream:
        predicate = " <https://w3id.org/kompass-graph/ontology#participant> "
        participations = sum(1 for line in stream if predicate in line)
    template = next(t for t in load_templates() if t.name == "count-participations")
    rows = json.loads(run(store, template.fill({}), template.accept))["results"]["bindings"]
    # one row per (role, kind); each participant has exactly one asserted kind
    assert sum(int(row["participations"]["value"]) for row in rows) == participations


def test_a_template_without_a_class_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("# name: x\n# about: y\nSELECT * { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="class"):
        parse_template(bad)


def test_a_placeholder_without_a_parameter_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text(
        "# name: x\n# class: lookup\n# about: y\nASK { {{thing}} ?p ?o }\n", encoding="utf-8"
    )
    with pytest.raises(TemplateError, match="placeholders"):
        parse_template(bad)


def test_the_header_is_not_sent(tmp_path: Path) -> None:
    good = tmp_path / "good.rq"
    good.write_text(
        "# name: x\n# class: lookup\n# about: y\n# params: s=project\nASK { {{s}} ?p ?o }\n",
        encoding="utf-8",
    )
    template: QueryTemplate = parse_template(good)
    assert template.fill({"s": "<urn:a>"}) == "ASK { <urn:a> ?p ?o }\n"
    assert template.accept == "application/sparql-results+json"
