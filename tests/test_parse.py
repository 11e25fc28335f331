from pathlib import Path

import pytest
from rdflib import Graph

from kompass_graph.errors import ParseError, UsageError
from kompass_graph.parse import check_syntax, parse_into

FIXTURES = Path(__file__).parent / "fixtures"


def test_parse_error_names_file_line_and_column() -> None:
    with pytest.raises(ParseError) as caught:
        check_syntax(FIXTURES / "broken.ttl")
    error = caught.value
    assert error.file.endswith("broken.ttl")
    assert error.position.line == 3
    assert error.position.column is not None
    assert str(error).startswith(f"{error.file}:3:")


def test_rdfxml_with_entity_declaration_is_refused() -> None:
    with pytest.raises(ParseError, match="DOCTYPE or ENTITY") as caught:
        check_syntax(FIXTURES / "entity.rdf")
    assert caught.value.position.line == 2


def test_unknown_suffix_is_a_usage_error(tmp_path: Path) -> None:
    odd = tmp_path / "data.xyz"
    odd.write_text("")
    with pytest.raises(UsageError, match=r"\.xyz"):
        check_syntax(odd)


def test_missing_file_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="file not found"):
        check_syntax(tmp_path / "absent.ttl")


def test_parse_into_adds_the_triples(tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    good.write_text("<http://example.org/a> <http://example.org/b> 1 .\n")
    graph = Graph()
    parse_into(graph, good)
    assert len(graph) == 1
