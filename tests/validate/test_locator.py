"""The locator sends a maintainer to the line that describes a node, in Turtle and TriG."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kompass_graph.locator import Locator
from kompass_graph.parse import parse_file

ID = "https://w3id.org/kompass-graph/id/"

TRIG = """@prefix kg:      <https://w3id.org/kompass-graph/ontology#> .
@prefix project: <https://w3id.org/kompass-graph/id/project/> .
@prefix actor:   <https://w3id.org/kompass-graph/id/actor/> .
@prefix g:       <https://w3id.org/kompass-graph/graph/source/> .

g:page a kg:SourceGraph .

g:page {
    project:p a kg:Project ;
        kg:funder actor:x ,
            actor:y .

    actor:y
        a kg:Ministry .

    actor:x a kg:Ministry .
}

GRAPH <https://w3id.org/kompass-graph/graph/source/other> {
    <https://w3id.org/kompass-graph/id/actor/z> a kg:Fund .
}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_node_in_a_graph_block_is_found_where_it_is_described(tmp_path: Path) -> None:
    path = write(tmp_path, "data.trig", TRIG)
    locator = Locator({path: parse_file(path).union})
    lines = TRIG.splitlines()
    for node, expected in [
        (ID + "actor/x", "    actor:x a kg:Ministry ."),
        (ID + "actor/y", "    actor:y"),  # a subject alone on its line, not the object above
        (ID + "project/p", "    project:p a kg:Project ;"),
        (ID + "actor/z", "    <https://w3id.org/kompass-graph/id/actor/z> a kg:Fund ."),
    ]:
        file, line = locator.locate(node)
        assert file == str(path)
        assert line is not None and lines[line - 1] == expected, node


def test_the_line_that_opens_a_graph_is_found(tmp_path: Path) -> None:
    path = write(tmp_path, "data.trig", TRIG)
    locator = Locator({path: parse_file(path).union})
    lines = TRIG.splitlines()
    graphs = "https://w3id.org/kompass-graph/graph/source/"
    page = locator.graph_line_of(path, graphs + "page")
    other = locator.graph_line_of(path, graphs + "other")
    assert page is not None and lines[page - 1] == "g:page {"
    assert other is not None and lines[other - 1].startswith("GRAPH <")


def test_the_prefix_the_file_declares_picks_the_right_node(tmp_path: Path) -> None:
    text = (
        "@prefix project: <https://w3id.org/kompass-graph/id/project/> .\n"
        "@prefix actor: <https://w3id.org/kompass-graph/id/actor/> .\n"
        "actor:same a <https://example.org/A> .\n"
        "project:same a <https://example.org/B> .\n"
    )
    path = write(tmp_path, "data.ttl", text)
    locator = Locator({path: parse_file(path).union})
    assert locator.line_of(path, ID + "project/same") == 4
    assert locator.line_of(path, ID + "actor/same") == 3


def test_the_file_holding_the_triple_wins_over_the_file_typing_the_node(tmp_path: Path) -> None:
    node, other = URIRef(ID + "actor/x"), URIRef(ID + "actor/y")
    typing, using = Graph(), Graph()
    typing.add((node, RDF.type, URIRef("https://example.org/A")))
    using.add((other, URIRef("https://example.org/p"), node))
    locator = Locator({tmp_path / "a.ttl": typing, tmp_path / "b.ttl": using})
    assert locator.file_of(str(node)) == tmp_path / "a.ttl"
    triple = (other, URIRef("https://example.org/p"), node)
    assert locator.locate(str(node), triple=triple)[0] == str(tmp_path / "b.ttl")
