"""`base_iri` applies to what is served and queried, not only to prefixes."""

import json

import pytest
from pydantic import ValidationError

from kompass_graph.cli.query import run_query
from kompass_graph.settings import Settings

OTHER = "https://example.org/kg/"


def test_the_cli_answers_under_the_configured_base() -> None:
    answer = json.loads(run_query(Settings(base_iri=OTHER), "07-funder-and-start", fmt="json"))
    rows = answer["results"]["bindings"]
    assert [row["funding"]["value"] for row in rows] == [OTHER + "id/funding/abh-bamf"]
    assert rows[0]["startDate"]["value"] == "2013-10"


def test_the_default_base_leaves_the_iris_as_written() -> None:
    answer = json.loads(run_query(Settings(), "07-funder-and-start", fmt="json"))
    funding = answer["results"]["bindings"][0]["funding"]["value"]
    assert funding == "https://w3id.org/kompass-graph/id/funding/abh-bamf"


def test_a_base_gets_its_final_slash_and_must_be_http() -> None:
    assert Settings(base_iri="https://example.org/kg").base_iri == OTHER
    with pytest.raises(ValidationError, match="http"):
        Settings(base_iri="urn:kg:")


def test_stored_queries_move_to_the_configured_base() -> None:
    from kompass_graph.queries import load_stored_queries
    from kompass_graph.sources import find_project_files

    files = find_project_files().queries
    moved = load_stored_queries(files, base_iri=OTHER)["05-project-goals"].text
    assert "https://w3id.org/kompass-graph/" not in moved
    assert f"<{OTHER}ontology#>" in moved


def test_the_server_store_loads_our_files_under_the_configured_base() -> None:
    import asyncio

    from kompass_graph.namespaces import DEFAULT_BASE_IRI
    from kompass_graph.sources import find_project_files
    from kompass_graph.store import EmbeddedStore, FormatChoice, QueryRequest
    from kompass_graph.store.rebase import Rebase

    store = EmbeddedStore(rebase=Rebase(DEFAULT_BASE_IRI, OTHER), warm_workers=1, max_workers=1)
    store.load(find_project_files().graph_files)
    query = f"SELECT ?p WHERE {{ ?p a <{OTHER}ontology#Project> }} ORDER BY ?p"

    async def run() -> list[str]:
        await store.start()
        try:
            request = QueryRequest(
                query=query,
                formats=FormatChoice("json", "json", "nquads"),
                union_default_graph=True,  # as the server runs: our data is named graphs
            )
            answer = await store.execute(request, timeout=10)
        finally:
            await store.close()
        return [b["p"]["value"] for b in json.loads(answer.body)["results"]["bindings"]]

    assert asyncio.run(run()) == [
        OTHER + "id/project/auslaenderbehoerden-willkommensbehoerden",
        OTHER + "id/project/interkulturelle-oeffnung-der-verwaltung-als-chance",
    ]
