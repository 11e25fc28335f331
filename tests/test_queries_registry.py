from pathlib import Path

import pytest

from kompass_graph.errors import SourceNotFoundError, UsageError
from kompass_graph.queries import find_stored_query, load_stored_queries
from kompass_graph.terms import Term, parse_term

PREFIXES = {"actor": "https://w3id.org/kompass-graph/id/actor/"}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_header_fields_and_parameters(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "01-demo.rq",
        "# title: Demo\n# description: First line.\n# description: Second line.\n"
        "# param: project — the project (default: project:x)\n# param: plain\n"
        "# param: node (iri) — any node\n# param: since (year) — first year (default: 2013)\n"
        "SELECT * WHERE { ?s ?p ?o }\n",
    )
    query = load_stored_queries([path])["01-demo"]
    assert query.title == "Demo"
    assert query.description == "First line. Second line."
    assert [(p.name, p.type, p.description, p.default) for p in query.parameters] == [
        ("project", "iri", "the project", "project:x"),
        ("plain", "string", "", None),
        ("node", "iri", "any node", None),
        ("since", "year", "first year", "2013"),
    ]


def test_an_unknown_parameter_type_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "typed.rq", "# title: Typed\n# param: x (colour) — a colour\nASK {}\n")
    with pytest.raises(UsageError, match="unknown type 'colour'"):
        load_stored_queries([path])


def test_every_project_query_declares_its_parameter_types() -> None:
    """The headers of sparql/*.rq say `(iri)`; the API documents and checks by it."""
    from kompass_graph.queries import project_queries
    from kompass_graph.settings import Settings

    parameters = [p for q in project_queries(Settings()).values() for p in q.parameters]
    assert len(parameters) >= 14
    assert {p.type for p in parameters} == {"iri"}


def test_a_query_without_title_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "untitled.rq", "SELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(UsageError, match="title"):
        load_stored_queries([path])


def test_unknown_name_lists_the_known_ones(tmp_path: Path) -> None:
    path = write(tmp_path, "known.rq", "# title: Known\nASK {}\n")
    with pytest.raises(SourceNotFoundError, match="known"):
        find_stored_query(load_stored_queries([path]), "unknown")


XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    ("raw", "term"),
    [
        ("<http://example.org/x>", Term.iri("http://example.org/x")),
        ("actor:giessen", Term.iri("https://w3id.org/kompass-graph/id/actor/giessen")),
        ("https://example.org/y", Term.iri("https://example.org/y")),
        ("Gießen", Term.literal("Gießen")),
        ('say "hi"', Term.literal('say "hi"')),
        ('"tagged"@de', Term.literal("tagged", language="de")),
        ('"2013"^^<' + XSD + "gYear>", Term.literal("2013", datatype=XSD + "gYear")),
        ('"a \\"quoted\\" word"', Term.literal('a "quoted" word')),
        ("unknown:prefix", Term.literal("unknown:prefix")),
    ],
)
def test_parameter_values_become_typed_terms(raw: str, term: Term) -> None:
    assert parse_term(raw, PREFIXES) == term


def test_a_term_is_written_back_as_sparql_for_messages() -> None:
    assert Term.literal('say "hi"', language="de").sparql() == '"say \\"hi\\""@de'
    assert Term.literal("2013", datatype=XSD + "gYear").sparql() == f'"2013"^^<{XSD}gYear>'
    assert Term.iri("urn:x").sparql() == "<urn:x>"
    with pytest.raises(ValueError, match="not both"):
        Term.literal("x", language="de", datatype=XSD + "string")


@pytest.mark.parametrize(
    ("header", "minimum", "maximum", "wording"),
    [
        (None, 1, None, "rows >= 1"),
        ("rows >= 3", 3, None, "rows >= 3"),
        ("rows>=0", 0, None, "rows >= 0"),
        ("rows = 2", 2, 2, "rows = 2"),
        ("empty", 0, 0, "empty"),
        ("Empty", 0, 0, "empty"),
    ],
)
def test_the_expect_header_says_how_many_rows(
    tmp_path: Path, header: str | None, minimum: int, maximum: int | None, wording: str
) -> None:
    line = f"# expect: {header}\n" if header is not None else ""
    path = write(tmp_path, "counted.rq", f"# title: Counted\n{line}SELECT * WHERE {{ ?s ?p ?o }}\n")
    expect = load_stored_queries([path])["counted"].expect
    assert (expect.minimum, expect.maximum, str(expect)) == (minimum, maximum, wording)


def test_an_expectation_admits_exactly_its_row_counts() -> None:
    from kompass_graph.queries import RowExpectation

    assert [RowExpectation().admits(n) for n in (0, 1, 7)] == [False, True, True]
    assert [RowExpectation(0, 0).admits(n) for n in (0, 1)] == [True, False]
    assert [RowExpectation(2, 2).admits(n) for n in (1, 2, 3)] == [False, True, False]


@pytest.mark.parametrize("header", ["rows > 1", "rows = many", "some", "rows >= -1"])
def test_an_unreadable_expectation_is_refused(tmp_path: Path, header: str) -> None:
    path = write(tmp_path, "odd.rq", f"# title: Odd\n# expect: {header}\nASK {{}}\n")
    with pytest.raises(UsageError, match="cannot read '# expect"):
        load_stored_queries([path])


def test_two_expectations_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "two.rq", "# title: Two\n# expect: empty\n# expect: rows = 1\nASK {}\n")
    with pytest.raises(UsageError, match="at most one"):
        load_stored_queries([path])


def test_an_expect_line_after_the_query_is_not_a_header(tmp_path: Path) -> None:
    path = write(tmp_path, "late.rq", "# title: Late\nASK {}\n# expect: empty\n")
    assert str(load_stored_queries([path])["late"].expect) == "rows >= 1"
