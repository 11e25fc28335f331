"""SERVICE and updates are recognised on the grammar's tokens (see also test_guard_bypasses)."""

from __future__ import annotations

import pytest

from kompass_graph.errors import QueryRejectedError
from kompass_graph.store.guard import check_query, looks_like_update

REFUSED = [
    "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
    "select * { service silent <http://x/> { ?s ?p ?o } }",
    "SELECT * { SERVICE<http://x/>{ ?s ?p ?o } }",
    "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
    "PREFIX e: <http://x/>\nSELECT * { SERVICE e:sparql { ?s ?p ?o } }",
    "SELECT * { ?s ?p 'a' . SERVICE <http://x/> { ?s ?p ?o } } # 'SERVICE'",
    "SELECT * { <http://a#b> ?p ?o . SERVICE <http://x/> {} }",
    'SELECT * { ?s ?p """a "quoted" \nline""" . SERVICE <http://x/> {} }',
]
ALLOWED = [
    "SELECT * { ?s ?p ?o }",
    "SELECT * { ?s <http://example.org/SERVICE> ?o }",
    "SELECT * { ?s ?p 'SERVICE <http://x/> {}' }",
    'SELECT * { ?s ?p """long SERVICE\n<http://x/>""" }',
    "SELECT * { ?s ?p ?o } # SERVICE <http://x/> {}",
    "PREFIX ex: <http://x/> SELECT * { ?s ex:SERVICE ?service . ?service ?p ?o }",
    "SELECT ?service { ?s ?p ?service }",
]


@pytest.mark.parametrize("query", REFUSED)
def test_service_is_refused(query: str) -> None:
    with pytest.raises(QueryRejectedError, match="no outbound request was made"):
        check_query(query)


@pytest.mark.parametrize("query", ALLOWED)
def test_no_service_keyword_passes(query: str) -> None:
    check_query(query)


def test_error_says_where() -> None:
    with pytest.raises(QueryRejectedError, match=r"query:2:3: SERVICE <http://x/>"):
        check_query("SELECT * {\n  SERVICE <http://x/> { ?s ?p ?o } }")


def test_allow_list_admits_named_endpoints_only() -> None:
    allowed = ["https://query.wikidata.org/sparql"]
    check_query(
        "SELECT * { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }",
        service_allow_list=allowed,
    )
    with pytest.raises(QueryRejectedError, match="allowed endpoints"):
        check_query("SELECT * { SERVICE <http://evil/> { ?s ?p ?o } }", service_allow_list=allowed)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("INSERT DATA { <a> <b> <c> }", True),
        ("PREFIX ex: <http://x/>\nBASE <http://y/> delete where { ?s ?p ?o }", True),
        ("# a comment\nLOAD <http://x/>", True),
        ("CLEAR ALL", True),
        ("SELECT * { ?s ?p 'INSERT' }", False),
        ("PREFIX insert: <http://x/> SELECT * {}", False),
        ("ASK {", False),
    ],
)
def test_looks_like_update(text: str, expected: bool) -> None:
    assert looks_like_update(text) is expected
