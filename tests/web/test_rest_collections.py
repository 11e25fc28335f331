"""The REST API's collections over the project's own data: filters, label search,
pagination, JSON-LD, and bad or hostile input."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from tests.web.conftest import AppClient, serve

BASE = "https://w3id.org/kompass-graph/"
IKOE = BASE + "id/project/interkulturelle-oeffnung-der-verwaltung-als-chance"
ABH = BASE + "id/project/auslaenderbehoerden-willkommensbehoerden"


@pytest.fixture(scope="module")
def api() -> Iterator[AppClient]:
    client = serve(only_data=[])
    yield client
    client.close()


def ids(api: AppClient, url: str) -> list[str]:
    response = api.get(url)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] >= len(body["items"])
    return [item["@id"] for item in body["items"]]


def test_projects_are_listed_by_german_label(api: AppClient) -> None:
    response = api.get("/api/projects")
    body = response.json()
    assert response.headers["content-type"] == "application/json"
    assert body["@context"] == "/api/context.jsonld"
    assert body["@type"] == "hydra:Collection"
    assert (body["total"], body["limit"], body["offset"]) == (2, 20, 0)
    assert [item["@id"] for item in body["items"]] == [ABH, IKOE]
    assert 'rel="next"' not in response.headers["link"]


def test_pages_link_next_and_prev(api: AppClient) -> None:
    first = api.get("/api/projects?limit=1")
    assert [item["@id"] for item in first.json()["items"]] == [ABH]
    assert '<http://testserver/api/projects?limit=1&offset=1>; rel="next"' in first.headers["link"]
    assert 'rel="prev"' not in first.headers["link"]
    second = api.get("/api/projects?limit=1&offset=1")
    assert [item["@id"] for item in second.json()["items"]] == [IKOE]
    assert second.json()["total"] == 2
    assert '<http://testserver/api/projects?limit=1&offset=0>; rel="prev"' in second.headers["link"]
    assert 'rel="next"' not in second.headers["link"]
    assert ids(api, "/api/projects?offset=5") == []


@pytest.mark.parametrize(
    "value", ["bamf", "actor:bamf", BASE + "id/actor/bamf", f"<{BASE}id/actor/bamf>"]
)
def test_a_filter_takes_a_slug_a_prefixed_name_or_an_iri(api: AppClient, value: str) -> None:
    assert ids(api, f"/api/projects?funder={value}") == [ABH]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/api/projects?funder=eif", [IKOE]),
        ("/api/projects?participant=giessen", [IKOE]),
        ("/api/projects?participant=giessen&role=participant", [IKOE]),
        ("/api/projects?participant=giessen&role=commissioning-body", []),
        ("/api/projects?role=project-site", [ABH]),
        ("/api/projects?year=2013", [ABH, IKOE]),
        ("/api/projects?year=2014", []),
        ("/api/fundings?year=2013", [BASE + "id/funding/abh-bamf",
                                     BASE + "id/funding/ikoe-hessische-landesregierung"]),
        ("/api/fundings?project=interkulturelle-oeffnung-der-verwaltung-als-chance&funder=eif",
         [BASE + "id/funding/ikoe-eif"]),
        ("/api/actors?project=auslaenderbehoerden-willkommensbehoerden&type=ForeignersAuthority",
         [BASE + "id/actor/auslaenderbehoerde-kassel",
          BASE + "id/actor/auslaenderbehoerde-wiesbaden",
          BASE + "id/actor/auslaenderbehoerde-wetteraukreis"]),
        ("/api/actors?role=commissioning-body", [BASE + "id/actor/bamf"]),
        ("/api/actors?type=kg:Fund", [BASE + "id/actor/eif"]),
        ("/api/concepts?scheme=support-area&q=network",
         [BASE + "concept/support-area/networking-with-institutions"]),
    ],
)  # fmt: skip
def test_filters(api: AppClient, url: str, expected: list[str]) -> None:
    assert ids(api, url) == expected


def test_type_filters_follow_the_class_hierarchy(api: AppClient) -> None:
    municipalities = api.get("/api/actors?type=Municipality&limit=100").json()
    assert municipalities["total"] == 7
    public_bodies = api.get("/api/actors?type=PublicBody&limit=100").json()
    assert public_bodies["total"] > municipalities["total"]
    assert api.get("/api/concepts?scheme=goal&limit=100").json()["total"] == 10


@pytest.mark.parametrize("q", ["offnung", "oeffnung", "Öffnung", "ÖFFNUNG", "opening"])
def test_the_label_search_ignores_case_and_accents_in_both_languages(
    api: AppClient, q: str
) -> None:
    assert ids(api, f"/api/projects?q={q}") == [IKOE]


def test_a_project_in_full(api: AppClient) -> None:
    response = api.get("/api/projects/auslaenderbehoerden-willkommensbehoerden")
    assert response.status_code == 200
    body = response.json()
    assert body["@id"] == ABH
    assert body["@type"] == "Project"
    assert body["url"] == "/id/project/auslaenderbehoerden-willkommensbehoerden"
    assert body["prefLabel"] == {
        "de": "Ausländerbehörden \N{EN DASH} Willkommensbehörden",
        "en": "Foreigners' authorities \N{EN DASH} welcome authorities",
    }
    funding = body["isFundedBy"]
    assert [f["@id"] for f in funding] == [BASE + "id/funding/abh-bamf"]
    assert funding[0]["startDate"] == "2013-10"
    assert funding[0]["funder"]["prefLabel"]["de"] == "Bundesamt für Migration und Flüchtlinge"
    roles = sorted((p["participant"]["url"], p["role"]["url"]) for p in body["hasParticipation"])
    assert roles == [
        ("/id/actor/auslaenderbehoerde-kassel", "/concept/role/partner-authority"),
        ("/id/actor/auslaenderbehoerde-wetteraukreis", "/concept/role/project-site"),
        ("/id/actor/auslaenderbehoerde-wiesbaden", "/concept/role/partner-authority"),
    ]


def test_a_funding_embeds_its_amount(api: AppClient) -> None:
    body = api.get("/api/fundings/ikoe-hessische-landesregierung").json()
    assert body["year"] == "2013"
    amount = body["amount"]
    assert (amount["@type"], amount["value"], amount["approximate"]) == (
        "schema:MonetaryAmount",
        104000.0,
        True,
    )
    assert api.get("/api/fundings/ikoe-eif").json()["share"] == 0.5


def test_actors_networks_and_concepts_by_slug(api: AppClient) -> None:
    network = api.get("/api/actors/projektgruppe-hessisches-netzwerk").json()
    assert network["@id"] == BASE + "id/network/projektgruppe-hessisches-netzwerk"
    assert network["@type"] == "ProjectGroup"
    concept = api.get("/api/concepts/role/participant").json()
    assert concept["prefLabel"] == {"de": "Teilnehmer", "en": "participant"}
    assert [s["@id"] for s in concept["inScheme"]] == [BASE + "concept/role"]


def test_the_answer_is_json_ld_with_the_served_context(api: AppClient) -> None:
    context = api.get("/api/context.jsonld")
    assert context.headers["content-type"] == "application/ld+json"
    body = api.get("/api/projects/auslaenderbehoerden-willkommensbehoerden").json()
    body["@context"] = context.json()["@context"]
    triples = {
        (q.subject, q.predicate, q.object)
        for q in ox.parse(json.dumps(body).encode(), format=ox.RdfFormat.JSON_LD)
    }
    project = ox.NamedNode(ABH)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert (project, rdf_type, ox.NamedNode(BASE + "ontology#Project")) in triples
    label = ox.Literal("Ausländerbehörden \N{EN DASH} Willkommensbehörden", language="de")
    pref_label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    assert (project, pref_label, label) in triples
    funding = ox.NamedNode(BASE + "id/funding/abh-bamf")
    assert (project, ox.NamedNode(BASE + "ontology#isFundedBy"), funding) in triples


def test_ld_json_when_asked_for(api: AppClient) -> None:
    response = api.get("/api/projects", headers={"accept": "application/ld+json"})
    assert response.headers["content-type"] == "application/ld+json"


@pytest.mark.parametrize(
    "url",
    ["/api/projects/no-such-project", "/api/actors/nobody", "/api/concepts/role/nothing"],
)
def test_an_unknown_id_is_a_404_problem(api: AppClient, url: str) -> None:
    response = api.get(url)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == BASE + "problems/not-found"


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/projects?limit=0", "limit"),
        ("/api/projects?limit=101", "limit"),
        ("/api/projects?offset=-1", "offset"),
        ("/api/projects?year=twenty", "year"),
        ("/api/projects/Not_A_Slug", "id"),
        ("/api/projects?funder=two words", "funder"),
        ("/api/projects?funder=https://example.org/a b", "funder"),
    ],
)
def test_a_bad_parameter_is_a_422_problem_naming_it(
    api: AppClient, url: str, parameter: str
) -> None:
    response = api.get(url)
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == BASE + "problems/invalid-parameter"
    assert problem["parameter"] == parameter
    assert problem["expected"]


def test_injection_attempts_are_refused_or_bound_as_values(api: AppClient) -> None:
    attack = "<x> } ; DROP ALL ; SELECT * { ?s ?p ?o"
    response = api.get("/api/projects", params={"funder": attack})
    assert response.status_code == 422
    assert response.json()["parameter"] == "funder"
    searched = api.get("/api/projects", params={"q": '") } UNION { ?s ?p ?o } #'})
    assert searched.status_code == 200
    assert searched.json()["total"] == 0
    bound = api.get("/api/projects", params={"funder": "https://example.org/x>{?s}"})
    assert bound.status_code == 422
    # nothing was dropped: the data is all still there
    assert api.get("/api/projects").json()["total"] == 2
