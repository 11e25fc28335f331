"""Stored-query answers name their release, and a `release` pin is honoured or refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.web.conftest import AppClient, serve
from tests.web.release_fixture import PREVIOUS, make_release

BASE = "https://w3id.org/kompass-graph/"
QUERY = "/api/queries/05-project-goals"
PROJECT = "project:auslaenderbehoerden-willkommensbehoerden"


@pytest.fixture(scope="module")
def api() -> Iterator[AppClient]:
    client = serve(only_data=[])
    yield client
    client.close()


def served(api: AppClient) -> str:
    return api.get("/healthz").headers["kompass-release"]


def test_an_answer_cites_its_release(api: AppClient) -> None:
    release = served(api)
    response = api.get(QUERY, params={"project": PROJECT})
    body = response.json()
    given = "project=project%3Aauslaenderbehoerden-willkommensbehoerden"
    pinned = f"{BASE}api/queries/05-project-goals?{given}&release={release.replace('+', '%2B')}"
    assert body["release"] == release == response.headers["kompass-release"]
    assert body["cite"].endswith(f"(release {release}), {pinned}")
    assert body["cite"].startswith("Kompass Graph: ")
    assert response.headers["link"] == f'<{pinned}>; rel="cite-as"'
    # the cited URL, asked here (its path under the base IRI), gives the same rows
    split = urlsplit(pinned)
    path = "/" + split.path.removeprefix(urlsplit(BASE).path)
    again = api.get(path, params=dict(parse_qsl(split.query))).json()
    assert again["rows"] == body["rows"] and again["cite"] == body["cite"]


def test_other_formats_cite_in_the_link_header(api: AppClient) -> None:
    response = api.get(QUERY, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["link"].endswith(
        f'release={served(api).replace("+", "%2B")}>; rel="cite-as"'
    )


def test_the_served_release_as_pin_answers_as_usual(api: AppClient) -> None:
    plain = api.get(QUERY).json()
    pinned = api.get(QUERY, params={"release": served(api)})
    assert pinned.status_code == 200
    assert pinned.json() == plain


def test_another_release_is_a_409_problem_naming_both(api: AppClient) -> None:
    release = served(api)
    response = api.get(QUERY, params={"release": "0.0.9+000000000000"})
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == BASE + "problems/release-not-served"
    assert (problem["requested_release"], problem["served_release"]) == (
        "0.0.9+000000000000", release
    )  # fmt: skip
    assert problem["detail"] == (
        f"the release 0.0.9+000000000000 is not served here: this server answers from {release}"
    )
    assert "/download/" in problem["hint"] and f"(or pin {release})" in problem["hint"]
    # no query ran for it, and the pin is no parameter of the query
    assert "changes.rdfp" not in problem["hint"]


def test_a_pin_given_twice_is_refused(api: AppClient) -> None:
    release = served(api)
    response = api.get(f"{QUERY}?release={release.replace('+', '%2B')}&release=x")
    assert response.status_code == 422
    assert response.json()["parameter"] == "release"


def test_the_openapi_documents_the_pin_and_the_citation(api: AppClient) -> None:
    document = api.get("/openapi.json").json()
    operation = document["paths"][QUERY]["get"]
    assert operation["parameters"][-1]["name"] == "release"
    assert "409" in operation["responses"]
    rows = document["components"]["schemas"]["QueryRows"]
    assert {"release", "cite"} <= set(rows["required"])
    example = operation["responses"]["200"]["content"]["application/json"]["example"]
    assert example["release"] == served(api)


def test_a_pin_of_the_previous_release_points_to_the_changes(tmp_path: Path) -> None:
    client = serve(release_folder=make_release(tmp_path / "r"))
    try:
        response = client.get("/api/queries", params={})  # the registry answers
        assert response.status_code == 200
        name = response.json()["items"][0]["name"]
        problem = client.get(f"/api/queries/{name}", params={"release": PREVIOUS}).json()
        assert problem["status"] == 409
        assert f"its changes from {PREVIOUS} are at /download/changes.rdfp" in problem["hint"]
    finally:
        client.close()
