"""The linkset report: counts equal direct queries, every join query runs on our side
(and the whole one parses), and the JSON is deterministic."""

from __future__ import annotations

import json

import pytest
from rdflib.plugins.sparql import prepareQuery

from kompass_graph.publish.facts import ReleaseFacts, SelectRunner
from kompass_graph.publish.link_targets import LINK_TARGETS
from kompass_graph.publish.linksets import LinksetReport, TargetReport, linkset_json, linkset_report
from tests.publish.metadata_fixture import facts, project_store, run

__all__ = ["facts", "project_store", "run"]  # the fixtures this module uses

BASE = "https://w3id.org/kompass-graph/"
KG = BASE + "ontology#"


@pytest.fixture(scope="module")
def report(facts: ReleaseFacts, run: SelectRunner) -> LinksetReport:
    return linkset_report(facts, run)


def _target(report: LinksetReport, slug: str) -> TargetReport:
    return next(t for t in report.targets if t.slug == slug)


def _count(run: SelectRunner, pattern: str) -> int:
    rows = run(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {pattern} }}")
    return int(rows[0]["n"].value)


def test_every_target_is_reported_in_table_order(report: LinksetReport) -> None:
    assert [t.slug for t in report.targets] == [t.slug for t in LINK_TARGETS]
    assert [t.slug for t in report.targets] == [
        "geocoding-municipality",
        "geocoding-regional",
        "geocoding-district",
        "geocoding-state",
        "nuts",
        "wikidata",
        "gnd",
        "eu-language",
    ]


def test_link_counts_equal_direct_queries(report: LinksetReport, run: SelectRunner) -> None:
    spatial = "<http://purl.org/dc/terms/spatial>"
    expected = {
        "geocoding-municipality": (7, "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/"),
        "geocoding-regional": (0, "http://dcat-ap.de/def/politicalGeocoding/regionalKey/"),
        "geocoding-district": (7, "http://dcat-ap.de/def/politicalGeocoding/districtKey/"),
        "geocoding-state": (1, "http://dcat-ap.de/def/politicalGeocoding/stateKey/"),
        "nuts": (8, "http://data.europa.eu/nuts/code/"),
        "wikidata": (0, "http://www.wikidata.org/entity/"),
        "gnd": (0, "https://d-nb.info/gnd/"),
    }
    for slug, (count, space) in expected.items():
        target = _target(report, slug)
        direct = _count(run, f'?s {spatial} ?o FILTER(STRSTARTS(STR(?o), "{space}"))')
        assert target.resources == target.links == direct == count, slug
    language = _target(report, "eu-language")
    assert (language.links, language.resources) == (4, 4)
    assert [(p.predicate, p.links) for p in language.predicates] == [
        ("http://purl.org/dc/terms/language", 4)
    ]


def test_kinds_that_do_not_link_yet_are_named(report: LinksetReport, run: SelectRunner) -> None:
    wikidata = _target(report, "wikidata")
    municipalities = next(c for c in wikidata.coverage if c.kind == KG + "Municipality")
    assert municipalities.resources == _count(run, f"?s a <{KG}Municipality>") == 7
    assert municipalities.linked == 0
    assert BASE + "id/actor/giessen" in municipalities.unlinked
    assert len(municipalities.unlinked) == 7
    districts = next(c for c in _target(report, "geocoding-district").coverage)
    assert (districts.kind, districts.resources, districts.linked, districts.unlinked) == (
        KG + "District",
        5,
        5,
        (),
    )
    regional = _target(report, "geocoding-regional").coverage[0]
    assert (regional.resources, regional.linked) == (7, 0)
    nuts = _target(report, "nuts")
    assert nuts.linking_kinds[KG + "District"] == 5
    assert nuts.linking_kinds[KG + "FederalState"] == 1
    assert nuts.linking_kinds[KG + "Municipality"] == 2


def test_every_join_runs_on_our_side_and_counts_as_a_direct_query(
    report: LinksetReport, run: SelectRunner
) -> None:
    joins = [(t.slug, j) for t in report.targets for j in t.joins]
    assert len(joins) == 10
    for slug, join in joins:
        rows = run(join.local_query)
        direct = _count(run, f"?s <{join.our_property}> ?key")
        assert len({r["resource"].value for r in rows}) == join.resources == direct, join.name
        assert join.resources > 0, join.name
        # the whole join (with SERVICE for a remote side) is valid SPARQL as written
        prepareQuery(join.query)
        assert join.query.startswith(f"PREFIX kg: <{KG}>\n")
        if join.endpoint:
            assert f"SERVICE <{join.endpoint}>" in join.query, slug
    ags = next(j for j in _target(report, "wikidata").joins if j.our_property == KG + "ags")
    assert ags.their_property == "http://www.wikidata.org/prop/direct/P439"
    assert "?item wdt:P439 ?key" in ags.query
    assert ags.resources == 7


def test_json_is_deterministic_with_sorted_keys(facts: ReleaseFacts, run: SelectRunner) -> None:
    first = linkset_json(linkset_report(facts, run))
    assert first == linkset_json(linkset_report(facts, run))
    document = json.loads(first)
    assert list(document) == sorted(document)
    assert document["release"] == facts.identifier
    assert list(document["targets"][0]) == sorted(document["targets"][0])
    assert first.endswith(b"\n")
