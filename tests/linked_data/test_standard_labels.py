"""The labels of standard-vocabulary terms, bundled for terms the store has no label for."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDFS

from kompass_graph.linked_data.labels import LABEL_PROPERTIES, labels_for
from tests.web.conftest import AppClient, serve

FIXTURES = Path(__file__).parent / "fixtures"
DCTERMS_TITLE = "http://purl.org/dc/terms/title"
WAS_DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"

# Every predicate, every type, and every term our ontology's axioms point to (a
# superproperty, a range…) that the store has no label for.
_UNLABELLED_TERMS = (
    "SELECT DISTINCT ?term WHERE {\n"
    "  { ?s ?term ?o } UNION { ?s a ?term } UNION {\n"
    "    VALUES ?axiom { rdfs:subClassOf rdfs:subPropertyOf rdfs:domain rdfs:range\n"
    "                    owl:inverseOf owl:equivalentClass owl:equivalentProperty }\n"
    "    ?s ?axiom ?term FILTER (isIRI(?term)) }\n"
    "  FILTER NOT EXISTS { VALUES ?p { "
    + " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    + " } ?term ?p ?label }\n}"
)
_PREFIXES = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
)


@pytest.fixture(scope="module")
def client() -> Iterator[AppClient]:
    app_client = serve(only_data=[])
    yield app_client
    app_client.close()


def _run(client: AppClient, coroutine_function, *args, **kwargs):  # type: ignore[no-untyped-def]
    return client._portal.call(lambda: coroutine_function(*args, **kwargs))


def _bundled_languages() -> dict[str, set[str]]:
    """{term: languages of its rdfs:label} in the packaged file."""
    text = (
        resources.files("kompass_graph")
        .joinpath("axioms", "standard-labels.ttl")
        .read_text(encoding="utf-8")
    )
    graph = Graph()
    graph.parse(data=text, format="turtle")
    languages: dict[str, set[str]] = {}
    for subject, _, label in graph.triples((None, RDFS.label, None)):
        assert isinstance(label, Literal) and label.language in ("de", "en"), (subject, label)
        languages.setdefault(str(subject), set()).add(label.language)
    return languages


def test_every_unlabelled_term_of_the_served_graph_has_a_bundled_label_in_de_and_en(
    client: AppClient,
) -> None:
    reader = client.app.state.kompass.reader
    answer = _run(client, reader.select, _PREFIXES + _UNLABELLED_TERMS, source="test")
    used = {row["term"].value for row in answer.rows}
    assert {DCTERMS_TITLE, WAS_DERIVED_FROM, "http://www.w3.org/ns/prov#Entity"} <= used
    bundled = _bundled_languages()
    missing = sorted(term for term in used if bundled.get(term) != {"de", "en"})
    assert missing == []


def test_labels_for_falls_back_to_the_bundled_labels_in_the_page_language(
    client: AppClient,
) -> None:
    reader = client.app.state.kompass.reader
    iris = [DCTERMS_TITLE, WAS_DERIVED_FROM, "http://example.org/unlabelled"]
    german = _run(client, labels_for, reader, iris, "de")
    english = _run(client, labels_for, reader, iris, "en")
    assert german == {DCTERMS_TITLE: "Titel", WAS_DERIVED_FROM: "abgeleitet von"}
    assert english == {DCTERMS_TITLE: "title", WAS_DERIVED_FROM: "was derived from"}


def test_a_label_in_the_store_wins_over_the_bundled_one() -> None:
    app_client = serve(only_data=[FIXTURES / "store_labels.trig"], validate_data=False)
    try:
        reader = app_client.app.state.kompass.reader
        iris = [DCTERMS_TITLE, WAS_DERIVED_FROM]
        # the store's English label beats the bundled German one, even for German pages
        german = _run(app_client, labels_for, reader, iris, "de")
        english = _run(app_client, labels_for, reader, iris, "en")
    finally:
        app_client.close()
    assert german == {DCTERMS_TITLE: "heading", WAS_DERIVED_FROM: "abgeleitet von"}
    assert english == {DCTERMS_TITLE: "heading", WAS_DERIVED_FROM: "was derived from"}


@pytest.mark.parametrize(("lang", "label"), [("en", "title"), ("de", "Titel")])
def test_a_resource_page_names_a_standard_property_by_its_label(
    client: AppClient, lang: str, label: str
) -> None:
    response = client.get(
        f"/id/source/integrationskompass?lang={lang}", headers={"accept": "text/html"}
    )
    assert response.status_code == 200
    link = f'<a href="{DCTERMS_TITLE}" title="{DCTERMS_TITLE}">{label}</a>'
    assert link in response.text
    assert "dcterms:title" not in response.text
