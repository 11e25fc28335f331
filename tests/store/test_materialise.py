"""Entailed standard types: what a client knowing only ORG or FOAF finds after loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from kompass_graph.formats import FormatChoice
from kompass_graph.linked_data.rows import read_json_results
from kompass_graph.store.embedded import EmbeddedStore
from kompass_graph.store.interface import QueryRequest
from kompass_graph.store.materialise import entailed_graph_iri

FIXTURES = Path(__file__).parent / "fixtures" / "entailment"
BASE = "http://example.org/"
ENTAILED = entailed_graph_iri(BASE)
JSON = FormatChoice("json", "json", None)


def _store(*, entail: bool, path: Path | None = None) -> EmbeddedStore:
    store = EmbeddedStore(entailment_base=BASE if entail else None, path=path)
    store.load([FIXTURES / "ontology.ttl", FIXTURES / "data.trig"])
    return store


def _select(store: EmbeddedStore, query: str) -> list[tuple[str, ...]]:
    answer = store.run(QueryRequest(query, JSON, union_default_graph=True))
    return sorted(
        tuple(row[name].value for name in sorted(row)) for row in read_json_results(answer.body)
    )


def test_types_follow_the_whole_subclass_chain() -> None:
    store = _store(entail=True)
    rows = _select(
        store,
        "SELECT ?x WHERE { ?x a <http://xmlns.com/foaf/0.1/Agent> }",
    )
    assert rows == [("http://example.org/id/giessen",), ("http://example.org/id/kassel",)]


def test_an_org_client_gets_each_organisation_once() -> None:
    """kassel states org:Organization itself: the union must not repeat the row."""
    rows = _select(
        _store(entail=True), "SELECT ?x WHERE { ?x a <http://www.w3.org/ns/org#Organization> }"
    )
    assert rows == [("http://example.org/id/giessen",), ("http://example.org/id/kassel",)]


def test_super_properties_are_entailed_into_their_own_graph() -> None:
    rows = _select(
        _store(entail=True),
        "SELECT ?g ?s ?o WHERE { GRAPH ?g { ?s <http://www.w3.org/ns/org#headOf> ?o } }",
    )
    assert rows == [(ENTAILED, "http://example.org/id/giessen", "http://example.org/id/anna")]


def test_the_entailed_graph_is_described_and_derived_from_the_ontology() -> None:
    rows = _select(
        _store(entail=True),
        "SELECT ?source WHERE { ?graph <http://www.w3.org/ns/prov#wasDerivedFrom> ?source }"
        f" VALUES ?graph {{ <{ENTAILED}> }}",
    )
    assert rows == [("http://example.org/ontology",)]


def test_nothing_is_entailed_when_turned_off() -> None:
    store = _store(entail=False)
    assert _select(store, "SELECT ?x WHERE { ?x a <http://xmlns.com/foaf/0.1/Agent> }") == []
    assert _select(store, f"SELECT ?s WHERE {{ GRAPH <{ENTAILED}> {{ ?s ?p ?o }} }}") == []


def test_entailment_leaves_the_release_as_the_files_name_it() -> None:
    """The release identifier names the files; entailing is a way of serving them."""
    with_entailment, without = _store(entail=True), _store(entail=False)
    assert with_entailment.load_report is not None and without.load_report is not None
    assert with_entailment.load_report.content_hash == without.load_report.content_hash
    assert with_entailment.load_report.triples > without.load_report.triples


@pytest.mark.parametrize("first", [True, False])
def test_an_on_disk_store_is_not_reused_across_the_entailment_setting(
    tmp_path: Path, first: bool
) -> None:
    _store(entail=first, path=tmp_path)
    again = _store(entail=not first, path=tmp_path)
    assert again.load_report is not None and not again.load_report.reused
    assert _store(entail=not first, path=tmp_path).load_report.reused  # type: ignore[union-attr]


def test_the_project_data_answers_standard_vocabularies() -> None:
    """The issue's example: `?x a org:Organization` lists the organisations."""
    from kompass_graph.settings import Settings
    from kompass_graph.store.factory import build_store, served_files

    settings = Settings()
    store = build_store(settings)
    store.load(served_files(settings))
    organisations = _select(
        store, "SELECT ?x WHERE { ?x a <http://www.w3.org/ns/org#Organization> }"
    )
    assert ("https://w3id.org/kompass-graph/id/actor/giessen",) in organisations
    assert ("https://w3id.org/kompass-graph/id/actor/bamf",) in organisations
    projects = _select(store, "SELECT ?x WHERE { ?x a <http://www.w3.org/ns/prov#Activity> }")
    assert (
        "https://w3id.org/kompass-graph/id/project/auslaenderbehoerden-willkommensbehoerden",
    ) in projects
