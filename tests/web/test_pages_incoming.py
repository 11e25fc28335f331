"""Incoming links ("referenced by") are counted and paged: a hub with 100,000 links
answers within a second with one page of them and their count."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest

from tests.web.conftest import AppClient, serve

BASE = "https://w3id.org/kompass-graph/"
HUB = "/id/actor/hub"
LINKS = 100_000
PAGE = 50


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppClient]:
    data: Path = tmp_path_factory.mktemp("hub") / "hub.nt"
    lines = [f'<{BASE}id/actor/hub> <http://www.w3.org/2004/02/skos/core#prefLabel> "Hub"@de .\n']
    lines += [
        f"<{BASE}id/participation/p{i:06d}> <{BASE}ontology#participant> <{BASE}id/actor/hub> .\n"
        for i in range(LINKS)
    ]
    data.write_text("".join(lines), encoding="utf-8")
    app_client = serve(only_data=[data], validate_data=False)
    yield app_client
    app_client.close()


def _incoming_rows(html: str) -> list[str]:
    section = html[html.index('id="incoming"') :]
    return re.findall(r'<tr><td><a href="(/id/participation/p\d+)"', section)


def test_a_hub_answers_one_page_and_the_count_quickly(hub: AppClient) -> None:
    hub.get(HUB)  # the first request warms the workers up
    started = time.perf_counter()
    answer = hub.get(HUB, params={"in_offset": 1000})
    elapsed = time.perf_counter() - started
    assert answer.status_code == 200
    assert elapsed < 1.0, f"{elapsed:.2f} s"
    assert '<span class="kg-count">(100000)</span>' in answer.text
    rows = _incoming_rows(answer.text)
    assert len(rows) == PAGE == len(set(rows))
    assert "Verweise 1001\u20131050 von 100000" in answer.text  # an en dash


def test_pages_follow_on_without_gaps_or_repeats(hub: AppClient) -> None:
    first = hub.get(HUB).text
    next_link = re.search(r'<a rel="next" href="([^"]+)"', first)
    assert next_link is not None
    assert unescape(next_link[1]) == f"{HUB}?lang=de&in_offset={PAGE}#incoming"
    second = hub.get(unescape(next_link[1]).partition("#")[0]).text
    one, two = set(_incoming_rows(first)), set(_incoming_rows(second))
    assert len(one) == len(two) == PAGE
    assert one.isdisjoint(two)
    assert 'rel="prev"' not in first and 'rel="prev"' in second


def test_the_last_page_is_short_and_has_no_next(hub: AppClient) -> None:
    html = hub.get(HUB, params={"in_offset": LINKS - 7}).text
    assert len(_incoming_rows(html)) == 7
    assert 'rel="next"' not in html
    past = hub.get(HUB, params={"in_offset": LINKS + 10}).text
    assert _incoming_rows(past) == []
    assert '<span class="kg-count">(100000)</span>' in past


@pytest.mark.parametrize("offset", ["-1", "x", "1e3", str(10**10)])
def test_a_bad_offset_is_a_422_problem_naming_it(hub: AppClient, offset: str) -> None:
    answer = hub.get(HUB, params={"in_offset": offset})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["parameter"] == "in_offset"
    assert "whole number" in answer.json()["expected"]


def test_the_document_holds_only_the_hubs_own_statements(hub: AppClient) -> None:
    turtle = hub.get(HUB + ".nt").text
    assert turtle.count("\n") == 1
