from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from kompass_graph.errors import ParseError, UsageError
from kompass_graph.parse import check_syntax, parse_file, parse_into

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


TRIG = """@prefix ex: <https://example.org/> .
ex:g a ex:Graph .
ex:g { ex:a ex:p "plain" , "de"@de , 1 ; ex:q _:b . }
ex:h { ex:c ex:p _:b . }
"""


def test_parse_file_keeps_default_and_named_graphs_apart(tmp_path: Path) -> None:
    path = tmp_path / "data.trig"
    path.write_text(TRIG, encoding="utf-8")
    parsed = parse_file(path)
    assert parsed.can_name_graphs
    assert len(parsed.default) == 1
    assert {str(g): len(t) for g, t in parsed.named.items()} == {
        "https://example.org/g": 4,
        "https://example.org/h": 1,
    }
    assert len(parsed.union) == 6
    values = set(
        parsed.union.objects(URIRef("https://example.org/a"), URIRef("https://example.org/p"))
    )
    # as rdflib's own parsers give them: a plain string has no datatype
    assert values == {Literal("plain"), Literal("de", lang="de"), Literal(1)}
    # one blank node label within a file is one node
    b = next(parsed.union.objects(URIRef("https://example.org/a"), URIRef("https://example.org/q")))
    assert (URIRef("https://example.org/c"), URIRef("https://example.org/p"), b) in parsed.union


def test_parse_file_gives_each_file_its_own_blank_nodes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.trig", tmp_path / "b.trig"
    first.write_text(TRIG, encoding="utf-8")
    second.write_text(TRIG, encoding="utf-8")
    blanks = [
        {o for o in parse_file(path).union.objects() if isinstance(o, BNode)}
        for path in (first, second)
    ]
    assert len(blanks[0]) == len(blanks[1]) == 1
    assert blanks[0].isdisjoint(blanks[1])


def test_parse_file_reads_turtle_as_one_default_graph(tmp_path: Path) -> None:
    path = tmp_path / "data.ttl"
    path.write_text("@prefix ex: <https://example.org/> .\nex:a ex:p ex:b .\n", encoding="utf-8")
    parsed = parse_file(path)
    assert not parsed.can_name_graphs and parsed.named == {}
    assert len(parsed.default) == len(parsed.union) == 1
