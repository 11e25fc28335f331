"""The guard against bypasses: every variant is also run by the real engine.

Each query is run by an in-process Oxigraph against a socket listening on loopback
(`engine_calls_out`). A bypass case must really make the engine call out (else it
tests nothing), and the guard must refuse it; for generated mutations, whatever the
guard lets through must not make the engine call out.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from kompass_graph.errors import QueryRejectedError
from kompass_graph.store.guard import check_query, has_dataset_clause
from tests.loopback import Listener, listening

CALL = "SERVICE <http://127.0.0.1:PORT/sparql> { ?a ?b ?c }"
# Spellings from an attack on 127.0.0.1, and relatives: a dot right before the keyword,
# escaped characters in a prefixed name, braces and '#' in strings and comments,
# nested subqueries. CALL stands for the SERVICE clause.
BYPASSES = [
    r"PREFIX ex: <http://x/> SELECT * { ?s ?p ex:o .CALL }",
    r"PREFIX ex: <http://x/> SELECT * { ?s ?p ex:o\# . CALL }",
    r"PREFIX ex: <http://x/> SELECT * { ?s ?p ex:o\' . CALL }",
    r"PREFIX ex: <http://x/> SELECT * { ?s ?p ex:a\.b . CALL }",
    r'SELECT * { ?s ?p "}#{" . CALL }',
    r"SELECT * { ?s ?p '''a ' '' }''' . CALL }",
    "SELECT * { ?s ?p ?o # }\n . CALL }",
    r"SELECT * { { SELECT * { CALL } } }",
    r"SELECT * { OPTIONAL { CALL } }",
    r"SELECT * {CALL}",
]
SPELLINGS = [r"\u0053ERVICE", r"S\u0045RVICE", r"\U00000053ERVICE", r"s\u0065rvice"]


@pytest.fixture
def listener() -> Iterator[Listener]:
    with listening() as witness:
        yield witness


def _engine() -> ox.Store:
    """A store in which every pattern before the SERVICE clauses above has a match, so
    the engine really gets to evaluate the call (it evaluates lazily)."""
    store = ox.Store()
    s, p = ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p")
    objects = [
        "http://x/o",
        "http://x/o#",
        "http://x/o'",
        "http://x/o.",
        "http://x/a.b",
        "http://a#b",
    ]
    for o in objects:
        store.add(ox.Quad(s, p, ox.NamedNode(o)))
    for text in ("}#{", "a ' '' }", "}", "#"):
        store.add(ox.Quad(s, p, ox.Literal(text)))
    store.add(ox.Quad(ox.NamedNode("http://a#b"), p, ox.NamedNode("http://x/o")))
    return store


ENGINE = _engine()


def engine_calls_out(query: str, listener: Listener) -> bool:
    """Run `query` on a real in-process engine; True when it connected to `listener`."""
    return listener.calls_out(lambda: list(ENGINE.query(query)))  # type: ignore[arg-type]


def at(listener: Listener, text: str) -> str:
    return text.replace("PORT", str(listener.port))


@pytest.mark.parametrize("template", BYPASSES)
def test_each_bypass_is_a_real_call_and_is_refused(template: str, listener: Listener) -> None:
    query = at(listener, template.replace("CALL", CALL))
    assert engine_calls_out(query, listener), "the engine makes no call here: a weak case"
    with pytest.raises(QueryRejectedError, match="no outbound request was made"):
        check_query(query)


@pytest.mark.parametrize("spelled", SPELLINGS)
def test_codepoint_escapes_are_read_as_the_grammar_reads_them(
    spelled: str, listener: Listener
) -> None:
    """SPARQL 1.1 (19.2) replaces codepoint escapes before parsing, so these spell
    SERVICE. Oxigraph 0.5.13 rejects them as a syntax error instead and makes no call;
    the guard follows the grammar, so an engine that follows it too cannot be led out."""
    query = at(listener, "SELECT * { " + CALL.replace("SERVICE", spelled) + " }")
    assert not engine_calls_out(query, listener)  # today's engine: a syntax error
    with pytest.raises(QueryRejectedError, match=r"SERVICE <http://127\.0\.0\.1"):
        check_query(query)


def mutations(seed: int, count: int) -> Iterator[str]:
    """Queries around a SERVICE call, edited at random: the keyword's case and escapes,
    what stands before it (escaped prefixed names, strings and comments with braces or
    '#', a dot, IRIs with '#'), SILENT, nesting, and now and then cut off."""
    rng = random.Random(seed)
    keywords = ["SERVICE", "service", "SeRvIcE", r"\u0053ERVICE", r"SERV\u0049CE"]
    before = ["", ".", " . ", r"ex:o\# .", r"ex:o\' .", r"ex:o\. .", "'}' .", '"#" .',
              "# c\n", "<http://a#b> ?p ?o .", "?x ?y ?z .", "{ }", "FILTER(1) ."]  # fmt: skip
    for _ in range(count):
        call = " ".join(
            (
                rng.choice(before),
                rng.choice(keywords) + rng.choice(["", " SILENT", " silent"]),
                "<http://127.0.0.1:PORT/>",
                rng.choice(["{ ?a ?b ?c }", "{?a ?b ?c}", "{}"]),
            )
        )
        depth = rng.randrange(3)
        query = "PREFIX ex: <http://x/> SELECT * { ?s ?p ?o . " + "{ " * depth + call
        query += " }" * depth + " }"
        if rng.random() < 0.1:
            query = query[: rng.randrange(len(query))]
        yield query


def test_a_generated_set_of_mutations_never_calls_out(listener: Listener) -> None:
    """For every mutation the guard lets through, the engine makes no outbound call."""
    refused = 0
    for template in mutations(seed=8, count=300):
        query = at(listener, template)
        try:
            check_query(query)
        except QueryRejectedError:
            refused += 1
            continue
        assert not engine_calls_out(query, listener), query
    assert refused > 200, f"only {refused} of 300 mutations were refused: a weak generator"


@pytest.mark.parametrize(("opening", "closing"), [("{", "}"), ("(", ")"), ("[", "]")])
def test_deep_nesting_is_refused_before_the_engine(opening: str, closing: str) -> None:
    deep = "SELECT * WHERE { FILTER(" + opening * 2200 + closing * 2200 + ") }"
    with pytest.raises(QueryRejectedError, match="deeper than 64 levels"):
        check_query(deep)
    check_query("SELECT * " + "{ " * 30 + "?s ?p ?o" + " }" * 30)  # ordinary depth passes


def test_the_nesting_limit_is_a_setting() -> None:
    query = "SELECT * " + "{ " * 10 + "?s ?p ?o" + " }" * 10
    check_query(query, max_nesting=10)
    with pytest.raises(QueryRejectedError, match="deeper than 9 levels"):
        check_query(query, max_nesting=9)


def test_from_is_found_on_tokens_only() -> None:
    assert has_dataset_clause("SELECT * FROM <http://g> { ?s ?p ?o }")
    assert has_dataset_clause(r"SELECT * \u0046ROM <http://g> { ?s ?p ?o }")
    assert not has_dataset_clause("SELECT * { ?s <http://example.org/from> 'FROM' }")
    assert not has_dataset_clause("PREFIX from: <http://x/> SELECT * { ?s from:x ?o }")


@pytest.mark.parametrize(
    ("query", "where", "named"),
    [
        ("SELEC * WHERE { ?s ?p ?o }", (1, 1), "'SELEC' (did you mean SELECT?)"),
        ("SELECT * WHER { ?s ?p ?o }", (1, 10), "'WHER' (did you mean WHERE?)"),
        ("SELECT * WHERE {\n  ?s ?p ?o FILTR(?o) }", (2, 12), "'FILTR' (did you mean FILTER?)"),
    ],
)
def test_a_syntax_error_points_at_the_mistyped_word(
    query: str, where: tuple[int, int], named: str
) -> None:
    from kompass_graph.store.execution import execute_query
    from kompass_graph.store.interface import FormatChoice, QueryRequest

    outcome = execute_query(ox.Store(), QueryRequest(query, FormatChoice("json", "json", None)))
    assert outcome.error is not None and outcome.error.kind == "syntax"
    assert (outcome.error.line, outcome.error.column) == where
    assert named in outcome.error.message


def test_a_syntax_error_without_a_typo_keeps_the_parser_position() -> None:
    from kompass_graph.store.execution import execute_query
    from kompass_graph.store.interface import FormatChoice, QueryRequest

    query = "SELECT * WHERE { ?s ?p }"
    outcome = execute_query(ox.Store(), QueryRequest(query, FormatChoice("json", "json", None)))
    assert outcome.error is not None
    assert (outcome.error.line, outcome.error.column) == (1, 25)
    assert "unknown word" not in outcome.error.message
