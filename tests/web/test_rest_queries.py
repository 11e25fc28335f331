"""The stored queries as API operations: listed, typed, bound as values, by Accept."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest

from kompass_graph.queries import project_queries
from kompass_graph.settings import Settings
from tests.web.conftest import AppClient, serve

BASE = "https://w3id.org/kompass-graph/"
ABH = BASE + "id/project/auslaenderbehoerden-willkommensbehoerden"
IKOE_GOALS = [  # by German label, as the query orders them
    "removing-access-barriers", "involvement-of-local-actors", "new-access-routes",
    "more-staff-with-migration-background", "intercultural-opening",
    "organisational-and-staff-development", "sensitisation-and-intercultural-training",
    "participation-of-all-groups", "welcome-culture",
]  # fmt: skip


@pytest.fixture(scope="module")
def api() -> Iterator[AppClient]:
    client = serve(only_data=[])
    yield client
    client.close()


def test_every_stored_query_is_listed_with_its_typed_parameters(api: AppClient) -> None:
    body = api.get("/api/queries").json()
    names = list(project_queries(Settings()))
    assert [q["name"] for q in body["items"]] == names
    assert body["total"] == len(names) == 13
    contribution = body["items"][3]
    assert contribution["url"] == "/api/queries/04-state-contribution"
    assert contribution["parameters"] == [
        {"name": "project", "type": "iri", "description": "IRI of the project",
         "default": "project:interkulturelle-oeffnung-der-verwaltung-als-chance"},
        {"name": "funder", "type": "iri", "description": "IRI of the funder",
         "default": "actor:hessische-landesregierung"},
    ]  # fmt: skip


def goals(api: AppClient, url: str) -> list[str]:
    response = api.get(url)
    assert response.status_code == 200, response.text
    return [row["goal"].rsplit("/", 1)[1] for row in response.json()["rows"]]


def test_defaults_apply_and_a_parameter_is_bound(api: AppClient) -> None:
    body = api.get("/api/queries/05-project-goals").json()
    assert body["columns"] == ["project", "goal", "goalLabel", "goalLabelEn"]
    assert (body["total"], body["truncated"]) == (9, False)
    assert goals(api, "/api/queries/05-project-goals") == IKOE_GOALS
    for value in ("project:auslaenderbehoerden-willkommensbehoerden", ABH, f"<{ABH}>"):
        assert goals(api, f"/api/queries/05-project-goals?project={value}") == [
            "welcome-and-recognition-culture"
        ]
    assert goals(api, "/api/queries/05-project-goals?project=https://example.org/none") == []


def test_the_answer_format_follows_accept(api: AppClient) -> None:
    url = "/api/queries/05-project-goals"
    as_csv = api.get(url, headers={"accept": "text/csv"})
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(as_csv.text)))
    assert rows[0] == ["project", "goal", "goalLabel", "goalLabelEn"]
    assert len(rows) == 10
    srj = api.get(url, headers={"accept": "application/sparql-results+json"})
    assert srj.headers["content-type"] == "application/sparql-results+json"
    assert len(srj.json()["results"]["bindings"]) == 9
    srx = api.get(url, headers={"accept": "application/sparql-results+xml"})
    assert srx.headers["content-type"] == "application/sparql-results+xml; charset=utf-8"
    assert srx.text.count("<result>") == 9
    plain = api.get(url, headers={"accept": "*/*"})
    assert plain.headers["content-type"] == "application/json"
    refused = api.get(url, headers={"accept": "image/png"})
    assert refused.status_code == 406
    assert "text/csv" in refused.json()["available"]


@pytest.mark.parametrize(
    ("url", "status", "parameter"),
    [
        ("/api/queries/05-project-goals?project=not an iri", 422, "project"),
        ("/api/queries/05-project-goals?project=%22literal%22", 422, "project"),
        ("/api/queries/05-project-goals?colour=red", 422, "colour"),
        ("/api/queries/05-project-goals?project=a:b&project=c:d", 422, "project"),
        ("/api/queries/99-no-such-query", 404, None),
    ],
)
def test_bad_input_is_a_problem(
    api: AppClient, url: str, status: int, parameter: str | None
) -> None:
    response = api.get(url)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json().get("parameter") == parameter


def test_an_injection_attempt_is_refused_and_nothing_runs(api: AppClient) -> None:
    attack = "<x> } ; DROP ALL ; SELECT * { ?s ?p ?o"
    response = api.get("/api/queries/05-project-goals", params={"project": attack})
    assert response.status_code == 422
    assert response.json()["parameter"] == "project"
    # an attack that is a well-formed IRI is bound as that IRI: it matches nothing
    iri_attack = "https://example.org/x#}DROP-ALL"
    assert goals(api, f"/api/queries/05-project-goals?project={iri_attack}") == []
    assert goals(api, "/api/queries/05-project-goals") == IKOE_GOALS
