"""describe, labels and registries against the project's own data, in-process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kompass_graph.linked_data.describe import (
    describe_resource,
    description_statements,
    incoming_links,
    resource_exists,
)
from kompass_graph.linked_data.labels import best_label, labels_for
from kompass_graph.linked_data.registries import REGISTRY_URLS, identifier_links, registry_url
from kompass_graph.terms import Term
from tests.web.conftest import AppClient, serve

BASE = "https://w3id.org/kompass-graph/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF_NAME = "http://xmlns.com/foaf/0.1/name"


@pytest.fixture(scope="module")
def client() -> Iterator[AppClient]:
    app_client = serve(only_data=[])
    yield app_client
    app_client.close()


def _run(client: AppClient, coroutine_function, *args, **kwargs):  # type: ignore[no-untyped-def]
    return client._portal.call(lambda: coroutine_function(*args, **kwargs))


def test_best_label_prefers_language_then_untagged_then_property() -> None:
    pref, name = SKOS + "prefLabel", FOAF_NAME
    candidates = [
        (pref, Term.literal("Rübeling", language="de")),
        (name, Term.literal("Banu Rübeling")),
        (pref, Term.literal("Ruebeling", language="fr")),
    ]
    assert best_label(candidates, "de") == "Rübeling"
    assert best_label(candidates, "en") == "Banu Rübeling"  # untagged before German
    assert best_label(candidates[2:], "en") == "Ruebeling"
    assert best_label([(pref, Term.literal("x", language="de-CH"))], "de") == "x"
    assert best_label([(SKOS + "altLabel", Term.literal("alt"))], "de") is None
    assert best_label([], "de") is None


def test_labels_for_many_iris_in_both_languages(client: AppClient) -> None:
    iris = [f"{BASE}id/actor/{a}" for a in ("bamf", "giessen", "hmsi", "floersheim-am-main")]
    iris += [f"{BASE}concept/role/{r}" for r in ("participant", "lead", "project-site")]
    iris += [f"{BASE}id/goal/{i}" for i in range(20)]  # no such resources: no labels
    state = client.app.state.kompass
    german = _run(client, labels_for, state.reader, iris, "de")
    english = _run(client, labels_for, state.reader, iris, "en")
    assert german[f"{BASE}id/actor/bamf"] == "Bundesamt für Migration und Flüchtlinge"
    assert english[f"{BASE}id/actor/bamf"] == "Federal Office for Migration and Refugees"
    assert english[f"{BASE}id/actor/floersheim-am-main"] == "Flörsheim am Main"
    assert len(german) == len(english) == 7


def test_a_description_is_every_statement_with_its_graph(client: AppClient) -> None:
    state = client.app.state.kompass
    iri = f"{BASE}id/participation/ikoe-bamf"
    description = _run(client, describe_resource, state.reader, iri)
    stated = {
        (f.predicate.value.rpartition("#")[2], f.object.value, f.graph.value if f.graph else None)
        for f in description.facts
        if f.graph is None or not f.graph.value.endswith("graph/entailed")
    }
    source = f"{BASE}graph/source/modellprojekt-bamf-kommunen"
    assert stated == {
        ("type", f"{BASE}ontology#Participation", source),
        ("participant", f"{BASE}id/actor/bamf", source),
        ("role", f"{BASE}concept/role/commissioning-body", source),
        ("statedAs", "im Auftrag des Bundesamtes für Migration und Flüchtlinge", source),
    }
    statements = description_statements(description)
    assert len(statements) == len(description.facts)
    assert {s.subject.value for s in statements} == {iri}


def test_incoming_links_are_counted_and_paged(client: AppClient) -> None:
    state = client.app.state.kompass
    role = f"{BASE}concept/role/participant"
    everything = _run(client, incoming_links, state.reader, role, offset=0, limit=1000)
    assert everything.total == len(everything.links) > 5
    first = _run(client, incoming_links, state.reader, role, offset=0, limit=3)
    rest = _run(client, incoming_links, state.reader, role, offset=3, limit=1000)
    assert first.total == everything.total and first.next_offset == 3
    assert first.links + rest.links == everything.links


def test_resource_exists(client: AppClient) -> None:
    state = client.app.state.kompass
    assert _run(client, resource_exists, state.reader, f"{BASE}id/actor/giessen")
    assert _run(client, resource_exists, state.reader, f"{BASE}graph/entailed")
    assert not _run(client, resource_exists, state.reader, f"{BASE}id/actor/nowhere")


def test_the_registry_table_builds_the_urls_the_data_states(client: AppClient) -> None:
    """Every identifier whose holder states a dcterms:spatial URL gets that URL."""
    query = f"""
    PREFIX adms: <http://www.w3.org/ns/adms#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?holder ?id ?spatial WHERE {{
      ?holder adms:identifier ?id ; dcterms:spatial ?spatial .
      ?id <{SKOS}notation> ?notation .
      FILTER (STRENDS(STR(?spatial), CONCAT("/", ?notation)))
    }}"""
    state = client.app.state.kompass
    rows = _run(client, state.reader.select, query, source="test").rows
    assert len(rows) > 10
    for row in rows:
        links = _run(client, identifier_links, state.reader, row["holder"].value, base_iri=BASE)
        by_id = {link.identifier: link.href for link in links}
        assert by_id[row["id"].value] == row["spatial"].value


def test_registry_url_escapes_and_refuses_unknown_schemes() -> None:
    assert set(REGISTRY_URLS) == {
        "ags",
        "ars",
        "district-key",
        "state-key",
        "nuts",
        "wikidata",
        "gnd",
    }
    scheme = f"{BASE}concept/identifier-scheme/gnd"
    assert registry_url(scheme, "1/2 x", base_iri=BASE) == "https://d-nb.info/gnd/1%2F2%20x"
    assert registry_url(f"{BASE}concept/identifier-scheme/isbn", "1", base_iri=BASE) is None
    assert registry_url("http://example.org/scheme/nuts", "DE7", base_iri=BASE) is None
